/** `reunite-face sightings add` / `sightings groups`, run as a user runs them (child process). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portraitVariants } from '../robustness/variants.js';
import { cli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rf-cli-sightings-'));
const run = (args: string[]) => cli(args, { cwd: dir });

beforeAll(async () => {
  // Street photos: degraded copies of the two public-domain portraits, named by who is in them.
  mkdirSync(join(dir, 'street', 'day2'), { recursive: true });
  for (const [i, v] of (await portraitVariants(8, 200, 1207)).entries()) {
    writeFileSync(join(dir, 'street', i < 4 ? '' : 'day2', `${v.who}-${i}.jpg`), v.bytes);
  }
  writeFileSync(join(dir, 'street', 'broken.jpg'), 'not a photo');
  writeFileSync(join(dir, 'pass.txt'), 'street secret\n');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI sightings', () => {
  it('adds a folder (encrypted gallery), skips what it already has, and lists the groups by child', async () => {
    const add = await run(['sightings', 'add', 'street', '--gallery', 'g.rfg', '--passphrase-file', 'pass.txt', '--place', 'market', '--json']);
    // The broken photo is listed and makes the exit code 1; the rest went in.
    expect(add.status, add.stderr).toBe(1);
    const summary = JSON.parse(add.stdout);
    expect(summary).toMatchObject({ added: 8, skipped: 0, sightings: { size: 8 } });
    expect(summary.problems).toEqual([{ photo: join('street', 'broken.jpg'), reason: expect.stringMatching(/^IMAGE_DECODE_FAILED/) }]);

    const again = await run(['sightings', 'add', 'street/day2', '--gallery', 'g.rfg', '--passphrase-file', 'pass.txt', '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, skipped: 4 });

    const groups = await run(['sightings', 'groups', '--gallery', 'g.rfg', '--passphrase-file', 'pass.txt', '--min-photos', '3', '--json']);
    expect(groups.status, groups.stderr).toBe(0);
    const list = JSON.parse(groups.stdout) as { groupId: string; faces: { faceIndex: number; metadata: Record<string, string>; outlier: boolean }[] }[];
    expect(list.length).toBeGreaterThanOrEqual(1);
    for (const g of list) {
      const people = new Set(g.faces.filter((f) => f.faceIndex === 0).map((f) => /(collins|hopper)-/.exec(f.metadata['file']!)![1]));
      expect(people.size).toBe(1);
      expect(g.faces[0]!.metadata).toMatchObject({ place: 'market', fileModified: expect.any(String) });
    }
    const text = await run(['sightings', 'groups', '--gallery', 'g.rfg', '--passphrase-file', 'pass.txt']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^8 sightings, \d+ faces; \d+ group\(s\)/);
    expect(text.stdout).toContain('market');
  }, 300_000);

  it('without the passphrase or the gallery: one line, exit 2', async () => {
    const locked = await run(['sightings', 'groups', '--gallery', 'g.rfg']);
    expect(locked.status).toBe(2);
    expect(locked.stderr.trim()).toMatch(/^error \[GALLERY_PASSPHRASE_REQUIRED\]: gallery g\.rfg is encrypted/);
    const missing = await run(['sightings', 'groups', '--gallery', 'nowhere.rfg']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^error \[FILE_NOT_FOUND\]: gallery nowhere\.rfg does not exist/);
  }, 120_000);
});
