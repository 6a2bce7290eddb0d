/**
 * `reunite-face enroll` on 300 LFW photos, stopped by Ctrl-C, then killed outright, then run to
 * the end: every photo with a face ends up in the gallery exactly once, and each run only did
 * what the previous ones had not saved.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lfwEnrollPhotos, linkCaseFolder } from '../../bench/lib/lfw-cases.js';
import type { EnrollSummary } from '../../src/cli/enroll-cases.js';
import { Matcher } from '../../src/node.js';
import { FACES, hasData } from '../helpers/data.js';
import { cli, cliProcess } from './run-cli.js';

const N = 300;
const dir = mkdtempSync(join(tmpdir(), 'rf-resume-'));
const gallery = join(dir, 'lfw.rfg');
// LFW centres the labelled person: without --face, its photos of two similar faces are listed, not enrolled.
const args = ['enroll', 'cases', '--gallery', 'lfw.rfg', '--save-every', '1', '--face', 'central', '--json'];

/** Resolves once the saved gallery holds roughly `templates` templates (a plain template is > 2 KiB). */
async function galleryReaches(templates: number, timeoutMs = 300_000): Promise<void> {
  const t0 = Date.now();
  while (!(existsSync(gallery) && statSync(gallery).size > templates * 2048)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`the gallery did not reach ${templates} templates in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopped(child: ReturnType<typeof cliProcess>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout })));
}

describe.skipIf(!hasData('lfw'))('enroll: stopped and killed runs continue, each photo enrolled once', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Ctrl-C, then kill -9, then a full run', async () => {
    const photos = lfwEnrollPhotos(join(FACES, 'lfw'), N);
    expect(photos).toHaveLength(N);
    const cases = linkCaseFolder(photos, join(dir, 'cases'));

    // 1. Ctrl-C at about a third: the run stops, saves what it enrolled and says so.
    const first = cliProcess(args, { cwd: dir });
    const firstDone = stopped(first);
    await galleryReaches(N / 3);
    first.kill('SIGINT');
    const r1 = await firstDone;
    expect(r1.code).toBe(130);
    const s1 = JSON.parse(r1.stdout) as EnrollSummary;
    expect(s1.interrupted).toBe(true);
    expect(s1.enrolled).toBeGreaterThan(0);
    expect(s1.enrolled + s1.noFace.length + s1.problems.length).toBeLessThan(N);
    expect(s1.galleryPhotos).toBe(s1.enrolled);

    // 2. Killed outright at about two thirds: only the last save (at most a second old) counts.
    const second = cliProcess(args, { cwd: dir });
    const secondDone = stopped(second);
    await galleryReaches(s1.enrolled + N / 3);
    second.kill('SIGKILL');
    expect((await secondDone).signal).toBe('SIGKILL');

    // 3. To the end.
    const r3 = await cli(args, { cwd: dir });
    expect([0, 1], r3.stderr).toContain(r3.status);
    const s3 = JSON.parse(r3.stdout) as EnrollSummary;
    expect(s3.interrupted).toBe(false);
    expect(s3.photos).toBe(N);
    expect(s3.cases).toBe(cases);
    expect(s3.problems).toEqual([]);
    expect(s3.alreadyEnrolled).toBeGreaterThan(s1.enrolled);
    expect(s3.enrolled).toBeGreaterThan(0);
    expect(s3.alreadyEnrolled + s3.enrolled + s3.noFace.length).toBe(N);

    // The gallery: every photo with a face exactly once, under its person.
    const m = await Matcher.loadFromFile(gallery);
    try {
      const templates = (await m.exportGallery()).templates;
      expect(templates).toHaveLength(N - s3.noFace.length);
      const seen = new Map<string, number>();
      for (const t of templates) {
        const photo = String(t.metadata['photo']);
        expect(photo.startsWith(`${t.subjectId}/`)).toBe(true);
        seen.set(photo, (seen.get(photo) ?? 0) + 1);
      }
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      const expected = photos.map((p) => p.split('/').slice(-2).join('/')).filter((p) => !s3.noFace.includes(p));
      expect([...seen.keys()].sort()).toEqual(expected.sort());
      console.log(
        `enroll resume: ${N} photos, ${cases} cases; Ctrl-C after ${s1.enrolled}, kill -9, last run found ${s3.alreadyEnrolled} enrolled and did ${s3.enrolled} (${s3.photosPerSecond.toFixed(1)} photos/s, ${s3.workers} workers); no face: ${s3.noFace.length}`,
      );
    } finally {
      await m.dispose();
    }
  }, 900_000);
});
