/**
 * A gallery saved by the Node Matcher loads in the browser demo page and gives the same
 * identify results: same candidates in the same order, same scores. The query is a PNG so both
 * sides decode identical pixels (JPEG decoders differ in their last bits; see parity.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/node.js';
import { FIXTURES } from '../helpers/data.js';
import { ROOT, ensureWebBuild, hasChromium, openDemo, waitReady, type DemoSession } from './harness.js';

const OUT = join(ROOT, 'test-output');

describe.skipIf(!hasChromium())('a gallery saved in Node, identified in Chromium', () => {
  let s: DemoSession;
  beforeAll(async () => {
    await ensureWebBuild();
    mkdirSync(OUT, { recursive: true });
    s = await openDemo({ serviceWorkers: 'block' });
    await waitReady(s.page);
  }, 300_000);
  afterAll(async () => {
    await s?.close();
  });

  it('loads the Node file and ranks the same candidates with the same scores', async () => {
    const m = await Matcher.create();
    const galleryFile = join(OUT, 'node-gallery.rfgal');
    const queryFile = join(OUT, 'node-gallery-query.png');
    let expected: { subjectId: string; score: number }[];
    try {
      await m.enroll('astronaut', join(FIXTURES, 'astronaut.png'));
      await m.enroll('grace_hopper', join(FIXTURES, 'grace_hopper.jpg'));
      writeFileSync(queryFile, await sharp(join(FIXTURES, 'grace_hopper.jpg')).resize(220).rotate(6, { background: '#777' }).png().toBuffer());
      const [res] = await m.identify(queryFile);
      expected = res!.candidates.map((c) => ({ subjectId: c.subjectId, score: c.score }));
      writeFileSync(galleryFile, await m.save());
    } finally {
      await m.dispose();
    }

    await s.page.setInputFiles('#load', galleryFile);
    await waitReady(s.page);
    expect(await s.page.locator('#gallery-size').textContent()).toBe('(2 children, 2 photos)');
    await s.page.setInputFiles('#query-files', queryFile);
    await waitReady(s.page);
    const face = s.page.locator('.result').first().locator('.face').first();
    const names = await face.locator('.candidate .subject').allTextContents();
    const scores = (await face.locator('.candidate .score').allTextContents()).map(Number);
    console.log(`Node: ${expected.map((c) => `${c.subjectId} ${c.score.toFixed(4)}`).join(', ')}; Chromium: ${names.map((n, i) => `${n} ${scores[i]}`).join(', ')}`);
    expect(names).toEqual(expected.map((c) => c.subjectId));
    // The page prints scores rounded to 3 decimals.
    scores.forEach((sc, i) => expect(Math.abs(sc - expected[i]!.score)).toBeLessThanOrEqual(0.0006));
    expect(s.external).toEqual([]);
    expect(s.consoleErrors).toEqual([]);
  });
});
