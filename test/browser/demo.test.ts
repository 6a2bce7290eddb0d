/**
 * The browser demo end to end in Chromium: load the page, enroll public-domain portraits, search
 * with a degraded photo and check the right child comes first, group the searched photos by
 * child (sightings), save and reload the gallery, then do it again with the server stopped
 * (offline), with no request leaving this machine and no console error. Screenshots in test-output/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, PUBLIC_DOMAIN, hasData } from '../helpers/data.js';
import { ROOT, ensureWebBuild, hasChromium, openDemo, waitReady, type DemoSession } from './harness.js';

const OUT = join(ROOT, 'test-output');

describe.skipIf(!hasChromium())('browser demo in Chromium', () => {
  let s: DemoSession;
  const gallery: string[] = [join(FIXTURES, 'astronaut.png'), join(FIXTURES, 'grace_hopper.jpg')];
  if (hasData('public-domain')) gallery.push(join(PUBLIC_DOMAIN, 'obama.jpg'), join(PUBLIC_DOMAIN, 'biden.jpg'));

  beforeAll(async () => {
    await ensureWebBuild();
    mkdirSync(OUT, { recursive: true });
    s = await openDemo({ serviceWorkers: 'allow' });
    await waitReady(s.page);
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  it('loads with threads, from this machine only', async () => {
    expect(await s.page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const models = s.served.filter((p) => p.endsWith('.onnx'));
    expect(models.sort()).toEqual(['/models/landmarks68-fp32.onnx', '/models/mobilefacenet-fp32.onnx', '/models/ultraface-fp32.onnx']);
    expect(s.served).toContain('/ort/ort-wasm-simd-threaded.wasm');
  });

  it('enrolls a gallery and puts the right person first for a degraded query', async () => {
    await s.page.setInputFiles('#gallery-files', gallery);
    await waitReady(s.page);
    const subjects = await s.page.locator('#subjects li[data-subject]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['subject']));
    expect(subjects.sort()).toEqual(gallery.map((p) => p.split('/').pop()!.replace(/\.\w+$/, '')).sort());
    expect(await s.page.locator('#subjects .error').count()).toBe(0);

    // Grace Hopper, downscaled, blurred, rotated and saved as a low-quality JPEG.
    const degraded = join(OUT, 'browser-demo-query.jpg');
    writeFileSync(
      degraded,
      await sharp(join(FIXTURES, 'grace_hopper.jpg')).resize(160).blur(1.2).rotate(8, { background: '#777' }).jpeg({ quality: 35 }).toBuffer(),
    );
    await s.page.setInputFiles('#query-files', degraded);
    await waitReady(s.page);
    const first = s.page.locator('.result').first();
    const names = await first.locator('.face').first().locator('.candidate .subject').allTextContents();
    const scores = (await first.locator('.face').first().locator('.candidate .score').allTextContents()).map(Number);
    expect(names[0]).toBe('grace_hopper');
    expect(names).toHaveLength(gallery.length);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(await first.locator('.candidate').first().locator('.match').count()).toBe(1);
    // The aligned 112x112 crop of the query face is drawn next to the candidates.
    expect(await first.locator('.face > canvas').first().evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height])).toEqual([112, 112]);

    if (hasData('public-domain')) {
      await s.page.setInputFiles('#query-files', join(PUBLIC_DOMAIN, 'obama2.jpg'));
      await waitReady(s.page);
      const top = await s.page.locator('.result').first().locator('.face').first().locator('.candidate .subject').first().textContent();
      expect(top).toBe('obama');
    }
    await s.page.screenshot({ path: join(OUT, 'browser-demo.png'), fullPage: true });
  });

  it('shows the searches in the review panel (the report renderer), keeps decisions and exports them', async () => {
    const review = s.page.locator('#review-root');
    const faces = await review.locator('article.rf-face').evaluateAll((els) =>
      els.map((e) => ({ face: (e as HTMLElement).dataset['face'], top: e.querySelector('tr.rf-cand')?.getAttribute('data-case') })),
    );
    expect(faces.find((f) => f.face === 'browser-demo-query.jpg#1')?.top).toBe('grace_hopper');
    // The aligned crops of the query face and of the case photo are shown.
    expect(await review.locator('img.rf-facecrop').count()).toBe(faces.length);
    const first = review.locator('article.rf-face').first();
    expect(await first.locator('.rf-crop').first().evaluate((e) => getComputedStyle(e, '::before').content.startsWith('url('))).toBe(true);
    // The strongest lead scores above every impostor of the calibration: its rate is a bound.
    expect(await first.locator('.rf-fmr').first().textContent()).toMatch(/adults: 1 in 3,000 or fewer/);
    await first.locator('tr.rf-cand').first().locator('input[value="same"]').check();
    // A later search re-renders the panel: the decision is kept.
    await s.page.setInputFiles('#query-files', join(FIXTURES, 'astronaut.png'));
    await waitReady(s.page);
    expect(await review.locator('article.rf-face').count()).toBe(faces.length + 1);
    await expect(review.locator('.rf-count').textContent()).resolves.toMatch(/^1 of \d+ leads decided: 1 same/);
    const download = s.page.waitForEvent('download');
    await review.locator('[data-rf-export="json"]').click();
    const file = join(OUT, 'browser-demo-decisions.json');
    await (await download).saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { decisions: { lead: string; decision: string }[] };
    expect(exported.decisions.map((d) => d.decision)).toEqual(['same']);
    expect(exported.decisions[0]!.lead).toMatch(/#1\|/);
    await s.page.locator('#review').screenshot({ path: join(OUT, 'browser-demo-review.png') });
  });

  it('groups the searched photos by child (sightings panel), searches the cases with a group, splits a face off', async () => {
    const copies = [0, 1].map((i) => join(OUT, `browser-demo-hopper-${i}.jpg`));
    for (const [i, file] of copies.entries()) {
      writeFileSync(file, await sharp(join(FIXTURES, 'grace_hopper.jpg')).resize(200 - 30 * i).modulate({ brightness: 0.8 + 0.3 * i }).jpeg({ quality: 40 }).toBuffer());
    }
    await s.page.setInputFiles('#query-files', copies);
    await waitReady(s.page);
    const root = s.page.locator('#sightings-root');
    const hopper = root.locator('article.sighting-group').filter({ has: s.page.locator('figure[data-face*="browser-demo-query.jpg"]') });
    // The three degraded Grace Hopper photos searched so far are one group, shown side by side.
    expect(await hopper.locator('figure.sighting-face').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['face']!.replace(/^\d+:/, '')).sort())).toEqual(
      ['browser-demo-hopper-0.jpg#0', 'browser-demo-hopper-1.jpg#0', 'browser-demo-query.jpg#0'],
    );
    expect(await hopper.locator('canvas').first().evaluate((c) => (c as HTMLCanvasElement).width)).toBe(112);
    await hopper.locator('button.search-group').click();
    await hopper.locator('.group-candidates li').first().waitFor();
    expect(await hopper.locator('.group-candidates li').first().getAttribute('data-subject')).toBe('grace_hopper');
    const before = Number(await root.getAttribute('data-groups'));
    await hopper.locator('button.split').first().click();
    await expect.poll(() => root.getAttribute('data-groups')).toBe(String(before + 1));
    await s.page.locator('#sightings').screenshot({ path: join(OUT, 'browser-demo-sightings.png') });
  });

  it('saves the gallery and loads it back in a fresh visit without downloading the models again', async () => {
    const download = s.page.waitForEvent('download');
    await s.page.click('#save');
    const file = join(OUT, 'browser-demo.rfgal');
    await (await download).saveAs(file);
    await waitReady(s.page);

    const before = s.served.length;
    await s.page.reload();
    await waitReady(s.page);
    const afterReload = s.served.slice(before);
    // Second visit: models come from the Cache API (manifest.json is revalidated).
    expect(afterReload.filter((p) => p.endsWith('.onnx'))).toEqual([]);
    expect(afterReload).toContain('/models/manifest.json');

    await s.page.setInputFiles('#load', file);
    await waitReady(s.page);
    expect(await s.page.locator('#gallery-size').textContent()).toBe(`(${gallery.length} children, ${gallery.length} photos)`);
    // The sightings and the split came back with the gallery (saved faces have no crop to show).
    const groups = s.page.locator('#sightings-root article.sighting-group');
    expect(await groups.count()).toBeGreaterThanOrEqual(3);
    expect(await s.page.locator('#sightings-root .no-crop').count()).toBeGreaterThan(0);
    await s.page.setInputFiles('#query-files', join(FIXTURES, 'astronaut.png'));
    await waitReady(s.page);
    const top = await s.page.locator('.result').first().locator('.candidate .subject').first().textContent();
    expect(top).toBe('astronaut');
  });

  it('works offline once loaded: server stopped, page reloaded from the service worker', async () => {
    // The reload in the test above happened under the service worker, which cached every file.
    expect(await s.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await s.stopServer();
    await s.page.reload();
    await waitReady(s.page);
    await s.page.setInputFiles('#gallery-files', [join(FIXTURES, 'astronaut.png'), join(FIXTURES, 'grace_hopper.jpg')]);
    await waitReady(s.page);
    await s.page.setInputFiles('#query-files', join(OUT, 'browser-demo-query.jpg'));
    await waitReady(s.page);
    const top = await s.page.locator('.result').first().locator('.candidate .subject').first().textContent();
    expect(top).toBe('grace_hopper');
  });

  it('made no request off this machine and logged no console error', () => {
    expect(s.external).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
