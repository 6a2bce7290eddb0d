import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/node.js';
import { makeBases } from './corpus.js';
import { bump, countTable, observe } from './outcome.js';
import { MUTATIONS, mutate, seededRandom } from './seeded.js';

/** Mutations per format; 4 formats. Raise locally with REUNITE_FUZZ_COUNT for a longer run. */
const PER_FORMAT = Number(process.env['REUNITE_FUZZ_COUNT'] ?? 75);
const SEED = 20260401;
const HANG_MS = 30_000;
/** Codes a damaged photo may legitimately get. */
const ALLOWED = new Set(['faces:none', 'faces:some', 'IMAGE_DECODE_FAILED', 'IMAGE_TOO_LARGE', 'UNSUPPORTED_FORMAT']);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

describe(`decoder fuzzing: ${PER_FORMAT} seeded mutations each of JPEG, PNG, WebP, GIF`, () => {
  let m: Matcher;
  const counts = new Map<string, number>();
  let tried = 0;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    m = await Matcher.create();
  });
  afterAll(async () => {
    await m.dispose();
    process.off('unhandledRejection', onUnhandled);
    console.log(`\ndecoder fuzzing: ${tried} mutated files (seed ${SEED})\n${countTable('format: outcome', counts)}`);
  });

  it('every mutated file decodes or is refused with a MatcherError', async () => {
    const b = await makeBases();
    const files = { jpeg: b.graceJpeg, png: b.gracePng, webp: b.graceWebp, gif: b.graceGif };
    const rand = seededRandom(SEED);
    const bad: string[] = [];
    for (const [fmt, src] of Object.entries(files)) {
      const donors = Object.values(files).filter((f) => f !== src);
      for (let i = 0; i < PER_FORMAT; i++) {
        const kind = MUTATIONS[i % MUTATIONS.length]!;
        const input = mutate(rand, src, kind, donors[i % donors.length]!);
        const { observed } = await observe(() => m.detect(input), HANG_MS);
        tried++;
        bump(counts, `${fmt}: ${observed}`);
        if (!ALLOWED.has(observed)) bad.push(`${fmt} #${i} ${kind}: ${observed}`);
      }
    }
    expect(bad).toEqual([]);
    // The damage must actually reach the decoder's error paths, or this test proves nothing.
    expect([...counts].filter(([k]) => k.endsWith('IMAGE_DECODE_FAILED')).length).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 500));
    expect(unhandled.map(String)).toEqual([]);
  }, Math.max(120_000, PER_FORMAT * 4 * 1000));
});
