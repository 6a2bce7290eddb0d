/**
 * The case worker's path end to end: enroll a case folder of public-domain portraits (encrypted
 * gallery), search a folder of degraded copies, and check the outputs: the right case first for
 * every face in the JSON, the CSV and the HTML report; the report opened in Chromium makes no
 * request at all and records decisions that `reunite-face report` reads back; files are
 * owner-only and the passphrase is written nowhere. Screenshot: test-output/case-worker-report.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadsDoc } from '../../src/report/index.js';
import { CHROMIUM, hasChromium } from '../browser/harness.js';
import { type CaseFolder, makeCaseFolder, parseCsv } from '../helpers/case-folder.js';
import { ROOT, cli } from './run-cli.js';

const PASSPHRASE = 'orange kettle 4711 under the bridge';
const dir = mkdtempSync(join(tmpdir(), 'rf-caseworker-'));
const OUT = join(ROOT, 'test-output');

/** Every file under `d`, recursively. */
function filesUnder(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(d, e.name)) : [join(d, e.name)]));
}

const mode = (p: string) => statSync(p).mode & 0o777;
const streetName = (photo: string) => photo.split('/').pop()!;

describe.skipIf(!hasChromium())('case worker: enroll, search, report', () => {
  let folder: CaseFolder;
  let doc: LeadsDoc;
  let browser: Browser;
  const logs: string[] = [];

  beforeAll(async () => {
    folder = await makeCaseFolder(dir);
    writeFileSync(join(dir, 'pass.txt'), `${PASSPHRASE}\n`);
    const enrolled = await cli(['enroll', 'cases', '--gallery', 'cases.rfg', '--passphrase-file', 'pass.txt'], { cwd: dir });
    logs.push(enrolled.stdout, enrolled.stderr);
    expect(enrolled.status, enrolled.stderr + enrolled.stdout).toBe(0);
    const searched = await cli(
      ['search', 'street', '--gallery', 'cases.rfg', '--passphrase-file', 'pass.txt', '--report', 'out/leads.html', '--json', 'out/leads.json', '--csv', 'out/leads.csv', '-k', '3'],
      { cwd: dir },
    );
    logs.push(searched.stdout, searched.stderr);
    expect(searched.status, searched.stderr + searched.stdout).toBe(0);
    doc = JSON.parse(readFileSync(join(dir, 'out', 'leads.json'), 'utf8')) as LeadsDoc;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts the right case first for the face of every degraded copy (JSON)', () => {
    const photos = new Set(doc.faces.map((f) => streetName(f.photo)));
    expect([...photos].sort()).toEqual([...folder.expected.keys()].sort());
    expect(doc.noFace).toEqual([]);
    expect(doc.problems).toEqual([]);
    for (const f of doc.faces.filter((x) => x.face === 1)) {
      expect(f.candidates[0]?.caseId, f.photo).toBe(folder.expected.get(streetName(f.photo)));
      expect(f.candidates[0]?.casePhoto).toMatch(new RegExp(`^${f.candidates[0]?.caseId}/`));
    }
    // Strongest lead first.
    const best = doc.faces.map((f) => f.candidates[0]?.score ?? -1);
    expect(best).toEqual([...best].sort((a, b) => b - a));
    expect(doc.faces.find((f) => f.candidates.some((c) => c.caseId === 'collins'))?.candidates.find((c) => c.caseId === 'collins')?.fields).toEqual({
      name: 'Eileen (public-domain fixture)',
      missing_since: '2019-04',
    });
  });

  it('holds the same ranking in the CSV', () => {
    const [head, ...rows] = parseCsv(readFileSync(join(dir, 'out', 'leads.csv'), 'utf8'));
    const col = (name: string) => head!.indexOf(name);
    const fromCsv = new Map<string, string[]>();
    for (const r of rows) {
      const key = `${r[col('photo')]}#${r[col('face')]}`;
      fromCsv.set(key, [...(fromCsv.get(key) ?? []), r[col('case_id')]!]);
      expect(Number(r[col('order')])).toBe(doc.faces.findIndex((f) => f.id === key) + 1);
    }
    expect([...fromCsv.keys()]).toEqual(doc.faces.map((f) => f.id));
    for (const f of doc.faces) expect(fromCsv.get(f.id)).toEqual(f.candidates.map((c) => c.caseId));
  });

  it('writes the report, exports and gallery owner-only, and the passphrase nowhere', () => {
    expect(mode(join(dir, 'out'))).toBe(0o700);
    for (const f of ['leads.html', 'leads.json', 'leads.csv']) expect(mode(join(dir, 'out', f)), f).toBe(0o600);
    expect(mode(join(dir, 'cases.rfg'))).toBe(0o600);
    const written = filesUnder(dir).filter((f) => !f.endsWith('pass.txt'));
    for (const f of written) expect(readFileSync(f).includes(PASSPHRASE), f).toBe(false);
    for (const l of logs) expect(l.includes(PASSPHRASE)).toBe(false);
    // The gallery is encrypted: no case id in the clear.
    expect(readFileSync(join(dir, 'cases.rfg')).includes('collins')).toBe(false);
  });

  it('opens in Chromium without any request, right case first per face, and exports decisions', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    const requests: string[] = [];
    const errors: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const url = pathToFileURL(join(dir, 'out', 'leads.html')).href;
    await page.goto(url);

    const shown = await page.locator('article.rf-face').evaluateAll((els) =>
      els.map((e) => ({ face: (e as HTMLElement).dataset['face'], cases: [...e.querySelectorAll('tr.rf-cand')].map((tr) => (tr as HTMLElement).dataset['case']) })),
    );
    expect(shown.map((s) => s.face)).toEqual(doc.faces.map((f) => f.id));
    for (const s of shown) {
      const f = doc.faces.find((x) => x.id === s.face)!;
      expect(s.cases).toEqual(f.candidates.map((c) => c.caseId));
      if (f.face === 1) expect(s.cases[0], f.photo).toBe(folder.expected.get(streetName(f.photo)));
    }
    // Every crop is drawn: the street faces as images, the case photos through their CSS rule.
    const drawn = await page.locator('img.rf-facecrop').evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth));
    expect(drawn).toEqual(doc.faces.map(() => 112));
    const caseCrops = await page.locator('.rf-crop').evaluateAll((els) => els.map((e) => getComputedStyle(e, '::before').content.startsWith('url(')));
    expect(caseCrops.length).toBe(doc.faces.reduce((n, f) => n + f.candidates.length, 0));
    expect(caseCrops.every(Boolean)).toBe(true);
    await expect(page.locator('.rf-warn').textContent()).resolves.toContain('Every lead needs a person to check it');
    // The strongest lead scores above every impostor of the calibration: its rates are bounds.
    await expect(page.locator('.rf-fmr').first().textContent()).resolves.toMatch(/adults: 1 in 3,000 or fewer.*child vs adult: 1 in 800 or fewer/s);
    await expect(page.locator('.rf-private').textContent()).resolves.toContain("children's faces");

    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'case-worker-report.png'), fullPage: true });

    // Decisions: first lead same, the second face's first lead not same.
    await page.fill('.rf-reviewer', 'test reviewer');
    await page.locator('tr.rf-cand').nth(0).locator('input[value="same"]').check();
    await page.locator('article.rf-face').nth(1).locator('tr.rf-cand').first().locator('input[value="not-same"]').check();
    await expect(page.locator('.rf-count').textContent()).resolves.toMatch(/^2 of \d+ leads decided: 1 same, 1 not same/);
    const download = page.waitForEvent('download');
    await page.click('[data-rf-export="json"]');
    const file = join(dir, 'out', 'decisions.json');
    await (await download).saveAs(file);
    const csvDownload = page.waitForEvent('download');
    await page.click('[data-rf-export="csv"]');
    const csvFile = join(dir, 'out', 'decisions.csv');
    await (await csvDownload).saveAs(csvFile);
    await context.close();

    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { report: string; decisions: { lead: string; decision: string; reviewer: string }[] };
    expect(exported.report).toBe(doc.id);
    const [f0, f1] = doc.faces;
    expect(exported.decisions.map((d) => [d.lead, d.decision, d.reviewer]).sort()).toEqual(
      [
        [`${f0!.id}|${f0!.candidates[0]!.caseId}`, 'same', 'test reviewer'],
        [`${f1!.id}|${f1!.candidates[0]!.caseId}`, 'not-same', 'test reviewer'],
      ].sort(),
    );
    const csvRows = parseCsv(readFileSync(csvFile, 'utf8'));
    expect(csvRows[0]).toEqual(['report', 'photo', 'face', 'case_id', 'rank', 'score', 'decision', 'reviewer', 'decided_at']);
    expect(csvRows.slice(1).map((r) => r[6]).sort()).toEqual(['not-same', 'same']);

    // The decisions come back: ticked in a re-made report and in the CSV's decision column.
    const again = await cli(['report', 'out/leads.json', '--out', 'out/reviewed.html', '--decisions', 'out/decisions.json', '--csv', 'out/reviewed.csv'], { cwd: dir });
    expect(again.status, again.stderr + again.stdout).toBe(0);
    const [head, ...rows] = parseCsv(readFileSync(join(dir, 'out', 'reviewed.csv'), 'utf8'));
    const decided = rows.filter((r) => r[head!.indexOf('decision')]).map((r) => `${r[head!.indexOf('photo')]}#${r[head!.indexOf('face')]}|${r[head!.indexOf('case_id')]}=${r[head!.indexOf('decision')]}`);
    expect(decided.sort()).toEqual(exported.decisions.map((d) => `${d.lead}=${d.decision}`).sort());
    expect(readFileSync(join(dir, 'out', 'reviewed.html'), 'utf8').match(/ checked>/g)).toHaveLength(2);
    expect(mode(join(dir, 'out', 'reviewed.html'))).toBe(0o600);
  });

  it('--no-photos names the files and embeds no face', async () => {
    const r = await cli(['search', 'street', '--gallery', 'cases.rfg', '--passphrase-file', 'pass.txt', '--report', 'out/names.html', '--no-photos', '-k', '2'], { cwd: dir });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const html = readFileSync(join(dir, 'out', 'names.html'), 'utf8');
    expect(html).not.toContain('data:image');
    for (const name of folder.expected.keys()) expect(html).toContain(`street/${name}`);
    expect(html).toContain('collins/astronaut.png');
    expect(mode(join(dir, 'out', 'names.html'))).toBe(0o600);
  });
});
