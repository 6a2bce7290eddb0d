import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { Matcher, decodeImage, type Face, type NodeImageInput } from '../../src/node.js';
import { buildCorpus, makeBases, type MatcherKind } from './corpus.js';
import { bump, countTable, expected, observe } from './outcome.js';

const HANG_MS = 30_000;
/** A decode of any bomb here would need > 400 MB; refusing from the header needs next to nothing. */
const BOMB_RSS_BUDGET_MB = 150;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);

const dir = mkdtempSync(join(tmpdir(), 'rf-corpus-'));
const cases = await buildCorpus(dir);
const matchers = new Map<MatcherKind, Matcher>();
const byCode = new Map<string, number>();
const byGroup = new Map<string, Map<string, number>>();
let reference: Face;
const bombPeaks: string[] = [];

/**
 * Peak RSS while `fn` runs, sampled every 2 ms: decoding happens on libvips threads, so the
 * event loop keeps sampling. (The process-lifetime maxRSS would hide a spike below an earlier peak.)
 */
async function peakRssGrowthMb<T>(fn: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, growthMb: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

describe(`bad-input corpus (${cases.length} inputs, detect + embed each)`, () => {
  beforeAll(async () => {
    matchers.set('default', await Matcher.create());
    matchers.set('maxPixels10k', await Matcher.create({ limits: { maxPixels: 10_000 } }));
    matchers.set('maxBytes1k', await Matcher.create({ limits: { maxBytes: 1_000 } }));
    matchers.set('timeout1ms', await Matcher.create({ limits: { timeoutMs: 1 } }));
    const faces = await matchers.get('default')!.detect((await makeBases()).astroRaw);
    expect(faces.length).toBeGreaterThan(0);
    reference = faces[0]!;
  });

  afterAll(async () => {
    await Promise.all([...matchers.values()].map((m) => m.dispose()));
    rmSync(dir, { recursive: true, force: true });
    process.off('unhandledRejection', onUnhandled);
    const groups = [...byGroup].map(([g, m]) => `| ${g} | ${[...m].map(([k, n]) => `${k} x${n}`).join(', ')} |`);
    console.log(
      [
        `\nbad-input corpus: ${cases.length} inputs, ${cases.length * 2} calls (detect + embed)`,
        countTable('outcome (per call)', byCode),
        '',
        '| group | outcomes (per call) |',
        '|---|---|',
        ...groups,
        '',
        `peak RSS growth during detect, bombs: ${bombPeaks.join('; ')}`,
      ].join('\n'),
    );
  });

  it('has at least 200 inputs, each group documented in docs/bad-input.md', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const doc = readFileSync(resolve(__dirname, '..', '..', 'docs', 'bad-input.md'), 'utf8');
    const missing = [...new Set(cases.map((c) => c.group))].filter((g) => !doc.includes(`| \`${g}\` |`));
    expect(missing).toEqual([]);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const m = matchers.get(c.matcher ?? 'default')!;
    const input = c.input as NodeImageInput;
    const { value: det, growthMb } = await peakRssGrowthMb(() => observe(() => m.detect(input), HANG_MS));
    const emb = await observe(() => m.embed(input), HANG_MS);
    for (const o of [det.observed, emb.observed]) {
      bump(byCode, o);
      if (!byGroup.has(c.group)) byGroup.set(c.group, new Map());
      bump(byGroup.get(c.group)!, o);
    }
    const want = expected(c.expect);
    const matches = (o: string) => (want === 'faces:any' ? o.startsWith('faces:') : o === want);
    expect({ detect: det.observed, embed: emb.observed }).toEqual({
      detect: matches(det.observed) ? det.observed : want,
      embed: matches(emb.observed) ? emb.observed : want,
    });
    if (c.group === 'bomb' || c.group === 'chunk-bomb') {
      bombPeaks.push(`${c.id} +${growthMb.toFixed(0)} MB`);
      expect(growthMb).toBeLessThan(BOMB_RSS_BUDGET_MB);
    }
    if (c.upright) {
      const face = (det.value as Face[])[0]!;
      const [le, re, , lm, rm] = face.landmarks;
      // Upright: both eyes above both mouth corners, the image-left eye on the left.
      expect(Math.max(le![1], re![1])).toBeLessThan(Math.min(lm![1], rm![1]));
      expect(le![0]).toBeLessThan(re![0]);
      // And where the upright picture has them (JPEG/GIF loss moves them by a pixel or two).
      face.landmarks.forEach((p, i) => {
        const q = reference.landmarks[i]!;
        expect(Math.hypot(p[0] - q[0], p[1] - q[1])).toBeLessThan(8);
      });
    }
  });

  it('the RSS probe used on bombs does see a real large decode (so its < 150 MB is meaningful)', async () => {
    const big = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#808080' } }).png({ compressionLevel: 1 }).toBuffer();
    const { value, growthMb } = await peakRssGrowthMb(() => decodeImage(big, { maxPixels: 100_000_000, maxBytes: 64 << 20 }));
    expect(value.width).toBe(6000);
    expect(growthMb).toBeGreaterThan(80); // 108 MB of RGB output alone
  });

  it('raised no unhandled promise rejection', async () => {
    // Timed-out work finishes in the background: give it time to settle before checking.
    await new Promise((r) => setTimeout(r, 3000));
    expect(unhandled.map(String)).toEqual([]);
  });
});
