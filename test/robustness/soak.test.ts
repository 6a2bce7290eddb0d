import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Matcher, MatcherError } from '../../src/node.js';
import { portraitVariants } from './variants.js';

/*
 * Memory soak. Calls = enroll (1 in 10) + identify (the rest) on small degraded portraits;
 * RSS is read after a full GC at the start and every READ_EVERY calls after warm-up. Set
 * REUNITE_SOAK_CALLS / REUNITE_SOAK_SIZE to run longer or on larger photos.
 *
 * Growth is the median of the last READINGS readings against the median of the first
 * READINGS after warm-up. A single reading is not enough: glibc keeps freed pages of its
 * per-thread arenas (sharp decodes on libuv threads, onnxruntime runs on its own), so RSS
 * swings by ±15 MB from call to call with no change in live memory. Measured: a run whose
 * RSS went 204 -> 210 MB fell to 185.4 -> 187.0 MB after malloc_trim(0) at the same points,
 * i.e. the swings are free memory the allocator holds. A leak moves every reading, so it
 * still moves the medians.
 */
const CALLS = Number(process.env['REUNITE_SOAK_CALLS'] ?? 2000);
const WARMUP = Math.min(200, Math.floor(CALLS / 10));
const SIZE = Number(process.env['REUNITE_SOAK_SIZE'] ?? 128);
const DISTINCT = 64;
const MATCHERS = 50;
const READ_EVERY = Math.max(1, Math.floor(CALLS / 40));
const READINGS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// A full collection before each reading, so the figures are live memory, not GC timing.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function rssMb(): number {
  gc();
  gc();
  return process.memoryUsage().rss / 2 ** 20;
}

describe('soak', () => {
  it(`${CALLS} enroll/identify calls on ${SIZE}x${SIZE} photos: RSS stops growing after warm-up`, async () => {
    const photos = await portraitVariants(DISTINCT, SIZE, 4242);
    const m = await Matcher.create({ threshold: 0.5 });
    const start = rssMb();
    const readings: number[] = [];
    let enrolled = 0;
    let noFace = 0;
    let identified = 0;
    const t0 = performance.now();
    let tWarm = t0;
    for (let i = 0; i < CALLS; i++) {
      const p = photos[i % DISTINCT]!;
      if (i % 10 === 0) {
        try {
          await m.enroll(`${p.who}-${i % 40}`, p.bytes, { metadata: { call: i } });
          enrolled++;
        } catch (e) {
          if (!(e instanceof MatcherError && e.code === 'NO_FACE')) throw e;
          noFace++;
        }
      } else {
        const res = await m.identify(p.bytes, { k: 3 });
        if (res.length > 0) identified++;
      }
      if (i + 1 === WARMUP) tWarm = performance.now();
      if (i + 1 >= WARMUP && (i + 1 - WARMUP) % READ_EVERY === 0) readings.push(rssMb());
    }
    readings.push(rssMb());
    const afterWarmup = median(readings.slice(0, READINGS));
    const end = median(readings.slice(-READINGS));
    const secs = (performance.now() - t0) / 1000;
    const perCall = (performance.now() - tWarm) / (CALLS - WARMUP);
    const growth = (end - afterWarmup) / afterWarmup;
    console.log(
      [
        `\nsoak: ${CALLS} calls (${enrolled} enrolled, ${noFace} enroll NO_FACE, ${identified} identify calls with a face) on ${DISTINCT} distinct ${SIZE}x${SIZE} photos in ${secs.toFixed(1)} s (${perCall.toFixed(1)} ms/call after warm-up)`,
        '| point | RSS (MiB) |',
        '|---|---|',
        `| start (models loaded) | ${start.toFixed(1)} |`,
        `| after warm-up (${WARMUP} calls), single reading | ${readings[0]!.toFixed(1)} |`,
        `| after warm-up, median of the first ${READINGS} readings (every ${READ_EVERY} calls) | ${afterWarmup.toFixed(1)} |`,
        `| end, median of the last ${READINGS} readings | ${end.toFixed(1)} |`,
        `| end (${CALLS} calls), single reading | ${readings.at(-1)!.toFixed(1)} |`,
        `readings: ${readings.map((r) => r.toFixed(0)).join(' ')}`,
        `growth after warm-up: ${(growth * 100).toFixed(2)} % (medians); gallery ${m.size.templates} templates`,
      ].join('\n'),
    );
    expect(enrolled).toBeGreaterThan(CALLS / 20);
    expect(identified).toBeGreaterThan(CALLS / 2);
    expect(growth).toBeLessThan(0.1);
    await m.dispose();
  }, 900_000);

  it(`${MATCHERS} matchers created and disposed: RSS stays bounded, a disposed matcher says DISPOSED`, async () => {
    const photo = (await portraitVariants(1, SIZE, 7))[0]!.bytes;
    const readings: number[] = [];
    for (let i = 0; i < MATCHERS; i++) {
      const m = await Matcher.create();
      // Use it once, so sessions have allocated their working memory before disposal.
      await m.detect(photo);
      await m.dispose();
      await expect(m.detect(photo)).rejects.toMatchObject({ code: 'DISPOSED' });
      await expect(m.enroll('x', photo)).rejects.toMatchObject({ code: 'DISPOSED' });
      if (i === 9 || i === MATCHERS - 1) readings.push(rssMb());
    }
    const [after10, afterAll] = readings as [number, number];
    console.log(`\ncreate/dispose: RSS after 10 matchers ${after10.toFixed(1)} MiB, after ${MATCHERS} ${afterAll.toFixed(1)} MiB`);
    // One leaked matcher holds ~3 sessions (~50 MB): 40 leaks would add ~2 GB.
    expect(afterAll - after10).toBeLessThan(Math.max(100, after10 * 0.25));
  }, 600_000);
});
