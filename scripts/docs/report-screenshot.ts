/**
 * The README's screenshot of the case workers' report, made from the two public-domain
 * portraits in fixtures/demo only (nothing from the evaluation data may appear in a committed
 * image): enroll them, search degraded copies, mark one lead, and photograph the top of the page.
 *   npx tsx scripts/docs/report-screenshot.ts   ->  docs/images/case-worker-report.png
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { makeCaseFolder } from '../../test/helpers/case-folder.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'docs', 'images', 'case-worker-report.png');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

function cli(args: string[], cwd: string): void {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`reunite-face ${args[0]} exited ${r.status}: ${r.stderr}`);
}

const dir = mkdtempSync(join(tmpdir(), 'rf-screenshot-'));
try {
  await makeCaseFolder(dir, { fixturesOnly: true });
  cli(['enroll', 'cases', '--gallery', 'cases.rfg'], dir);
  cli(['search', 'street', '--gallery', 'cases.rfg', '--report', 'leads.html', '-k', '2'], dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    await page.goto(pathToFileURL(join(dir, 'leads.html')).href);
    await page.fill('.rf-reviewer', 'A. Reviewer');
    await page.locator('tr.rf-cand').first().locator('input[value="same"]').check();
    await page.locator('article.rf-face').first().locator('tr.rf-cand').nth(1).locator('input[value="not-same"]').check();
    mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: OUT, clip: { x: 0, y: 0, width: 1100, height: 1180 }, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${OUT}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
