import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Matcher, MatcherError } from '../../src/node.js';
import { portraitVariants } from './variants.js';

/*
 * Memory soak. Calls = enroll (1 in 10) + identify (the rest) on small degraded portraits.
 * Set REUNITE_SOAK_CALLS / REUNITE_SOAK_SIZE to run longer or on larger photos.
 *
 * What is asserted: resident memory after warm-up vs at the end, each read after a full JS
 * garbage collection AND after glibc has returned its free pages (malloc_trim(0), called
 * through gdb). Both steps remove memory that is free but still mapped, so what is left is
 * what the process really holds. Without the trim, RSS swings by 10-30 MB and steps up at
 * random moments with no change in live memory: sharp decodes on libuv's threads and
 * onnxruntime computes on its own, and glibc keeps each thread's freed pages in its arena.
 * Measured on this workload: RSS 253, 204, 205, 209, 210 MB at five points; after the trim
 * 185.4, 185.3, 186.0, 186.4, 187.0 MB. The untrimmed figures are printed as well (median of
 * readings every READ_EVERY calls). Where gdb is missing or may not attach (ptrace refused), the
 * test falls back to asserting on those medians, with a wider bound.
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

const run = promisify(execFile);

/** Why gdb could not trim, printed with the figures (a CI machine may forbid ptrace attach). */
let trimFailure = '';

/** RSS after GC and malloc_trim(0) in this very process; undefined when gdb cannot do it. */
async function trimmedRssMb(): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined;
  gc();
  gc();
  try {
    const { stdout, stderr } = await run('gdb', ['-p', String(process.pid), '-batch', '-nx', '-ex', 'call (int)malloc_trim(0)'], { timeout: 120_000 });
    if (!/\$1 = [01]/.test(stdout)) {
      trimFailure = `gdb printed no result: ${(stderr || stdout).trim().split('\n').slice(-2).join(' / ')}`;
      return undefined;
    }
  } catch (e) {
    trimFailure = `gdb failed: ${e instanceof Error ? e.message.split('\n').slice(0, 3).join(' / ') : String(e)}`;
    return undefined;
  }
  return process.memoryUsage().rss / 2 ** 20;
}

describe('soak', () => {
  it(`${CALLS} enroll/identify calls on ${SIZE}x${SIZE} photos: RSS stops growing after warm-up`, async () => {
    const photos = await portraitVariants(DISTINCT, SIZE, 4242);
    const m = await Matcher.create({ threshold: 0.5 });
    const start = rssMb();
    const readings: number[] = [];
    let trimmedWarm: number | undefined;
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
      // The untrimmed reading first: a trim would make it look lower than the ones after it.
      if (i + 1 >= WARMUP && (i + 1 - WARMUP) % READ_EVERY === 0) readings.push(rssMb());
      if (i + 1 === WARMUP) {
        trimmedWarm = await trimmedRssMb();
        tWarm = performance.now();
      }
    }
    readings.push(rssMb());
    // After the last untrimmed reading, for the same reason.
    const trimmedEnd = trimmedWarm === undefined ? undefined : await trimmedRssMb();
    const afterWarmup = median(readings.slice(0, READINGS));
    const end = median(readings.slice(-READINGS));
    const secs = (performance.now() - t0) / 1000;
    const perCall = (performance.now() - tWarm) / (CALLS - WARMUP);
    const growth = (end - afterWarmup) / afterWarmup;
    const trimmedGrowth = trimmedWarm !== undefined && trimmedEnd !== undefined ? (trimmedEnd - trimmedWarm) / trimmedWarm : undefined;
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
        `| after warm-up, after malloc_trim | ${trimmedWarm?.toFixed(1) ?? `n/a (${trimFailure || 'not linux'})`} |`,
        `| end, after malloc_trim | ${trimmedEnd?.toFixed(1) ?? 'n/a'} |`,
        `growth after warm-up: ${trimmedGrowth === undefined ? 'n/a' : (trimmedGrowth * 100).toFixed(2)} % after malloc_trim (asserted < 10% when available); ${(growth * 100).toFixed(2)} % untrimmed medians (asserted < 20% otherwise); gallery ${m.size.templates} templates`,
      ].join('\n'),
    );
    expect(enrolled).toBeGreaterThan(CALLS / 20);
    expect(identified).toBeGreaterThan(CALLS / 2);
    // Where gdb may not attach (a CI machine once could not trim), the untrimmed medians decide,
    // with a wider bound: they grew 12.1% in one run here without gdb, where the next run, with
    // gdb, grew 2.7% trimmed and 1.7% untrimmed (glibc's arenas, not live memory). A leak of
    // 30 KB per call (a 128x128 photo is 48 KB of pixels) still fails it.
    if (trimmedGrowth !== undefined) expect(trimmedGrowth).toBeLessThan(0.1);
    else expect(growth).toBeLessThan(0.2);
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
