/**
 * The measurements of bench/e2e.ts, each run on "today's code" and this code alike
 * (bench/lib/code-under-test.ts), alternating between them photo by photo so that load on
 * the machine falls on both.
 */
import { timingStats, type TimingStats } from '../../research/peers/peer-bench.js';
import type { CodeUnderTest } from './code-under-test.js';
import { FACE_SIZES, type PhotoSize, type RecallScene, type TimedPhoto } from './e2e-photos.js';
import { found } from './scenes.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const LIMITS = { maxPixels: 1e8, maxBytes: 1e8 };

/** Alternates the codes' order from photo to photo; returns per code and size the ms of `fn`. */
async function alternate<T>(codes: T[], photos: TimedPhoto[], fn: (code: T, photo: TimedPhoto) => Promise<number>): Promise<Map<T, Map<PhotoSize, number[]>>> {
  const out = new Map(codes.map((c) => [c, new Map<PhotoSize, number[]>()]));
  for (const [i, photo] of photos.entries()) {
    const order = i % 2 ? [...codes].reverse() : codes;
    for (const c of order) {
      const ms = await fn(c, photo);
      const m = out.get(c)!;
      m.set(photo.size, [...(m.get(photo.size) ?? []), ms]);
    }
  }
  return out;
}

/** End to end through `Matcher.embed` (decode, detect, align, embed every face), per photo size. */
export async function endToEnd(codes: CodeUnderTest[], photos: TimedPhoto[], threads: number): Promise<Record<string, Record<string, TimingStats>>> {
  const matchers = await Promise.all(codes.map((c) => c.node.Matcher.create({ threads, threshold: 0 })));
  const byCode = new Map(codes.map((c, i) => [c, matchers[i]]));
  // Warm-up: first calls allocate the sessions' buffers for each input size.
  for (const m of matchers) for (const size of new Set(photos.map((p) => p.size))) await m.embed(photos.find((p) => p.size === size)!.input);
  const times = await alternate(codes, photos, async (c, p) => {
    const t0 = performance.now();
    await byCode.get(c).embed(p.input);
    return performance.now() - t0;
  });
  await Promise.all(matchers.map((m) => m.dispose()));
  return Object.fromEntries(codes.map((c) => [c.label, Object.fromEntries([...times.get(c)!].map(([size, ms]) => [size, { ...timingStats(ms), samplesMs: undefined } as unknown as TimingStats]))]));
}

/** Per stage (decode, detect and the detector's own stages, landmarks, warp, embed): medians in ms. */
export async function stages(codes: CodeUnderTest[], photos: TimedPhoto[], threads: number): Promise<Record<string, Record<string, Record<string, number>>>> {
  const mods = new Map<CodeUnderTest, Json>();
  for (const c of codes) {
    const ctx = await c.context(threads);
    mods.set(c, {
      det: await c.detector.UltrafaceDetector.create(ctx, c.detector.ultrafaceSchema.parse({})),
      ali: await c.aligner.Landmarks68Aligner.create(ctx, {}),
      emb: await c.embedder.OnnxEmbedder.create(ctx, 'mobilefacenet', { batchSize: 32 }),
    });
  }
  const samples = new Map(codes.map((c) => [c, new Map<PhotoSize, Record<string, number>[]>()]));
  const run = async (c: CodeUnderTest, p: TimedPhoto) => {
    const { det, ali, emb } = mods.get(c);
    const s: Record<string, number> = {};
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      s[name] = (s[name] ?? 0) + now - t;
      t = now;
    };
    const img = await c.node.decodeImage(p.input, LIMITS);
    lap('decode');
    const detectorStages: Record<string, number> = {};
    const faces = await det.detect(img, { stages: detectorStages });
    lap('detect');
    const aligned = [];
    for (const f of faces) {
      const five = c.aligner.fivePointsFrom68(await ali.landmarks68(img, f.box));
      lap('landmarks');
      aligned.push(c.aligner.alignToTemplate(img, five, 112));
      lap('warp');
    }
    if (aligned.length) await emb.embed(aligned);
    lap('embed');
    return { ...s, ...Object.fromEntries(Object.entries(detectorStages).map(([k, v]) => [`detect.${k}`, v])), faces: faces.length };
  };
  for (const c of codes) for (const size of new Set(photos.map((p) => p.size))) await run(c, photos.find((p) => p.size === size)!);
  for (const [i, p] of photos.entries()) {
    for (const c of i % 2 ? [...codes].reverse() : codes) {
      const m = samples.get(c)!;
      m.set(p.size, [...(m.get(p.size) ?? []), await run(c, p)]);
    }
  }
  for (const { det, ali, emb } of mods.values()) await Promise.all([det.dispose(), ali.dispose(), emb.dispose()]);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  return Object.fromEntries(
    codes.map((c) => [
      c.label,
      Object.fromEntries(
        [...samples.get(c)!].map(([size, rows]) => {
          const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
          return [size, Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k] ?? 0))]))];
        }),
      ),
    ]),
  );
}

export interface RecallRow {
  name: string;
  settings: string;
  backend: string;
  /** Face size (px) -> fraction of the pasted faces found. */
  recall: Record<number, number>;
  facesPerSize: number;
  /** Detections matching no pasted face, per photo. */
  otherDetectionsPerPhoto: number;
  msPerPhoto: TimingStats;
}

/** Recall per face size and ms per photo of `facesIn` (full pipeline on every face) over the scenes. */
export async function recallOf(
  name: string,
  settings: string,
  backend: string,
  scenes: RecallScene[],
  facesIn: (jpeg: Uint8Array) => Promise<{ x: number; y: number; width: number; height: number }[]>,
): Promise<RecallRow> {
  const hits: Record<number, number> = Object.fromEntries(FACE_SIZES.map((s) => [s, 0]));
  const totals: Record<number, number> = Object.fromEntries(FACE_SIZES.map((s) => [s, 0]));
  const ms: number[] = [];
  let other = 0;
  await facesIn(scenes[0]!.jpeg); // warm-up
  for (const scene of scenes) {
    const t0 = performance.now();
    const boxes = (await facesIn(scene.jpeg)).map((box) => ({ box }));
    ms.push(performance.now() - t0);
    for (const f of scene.faces) {
      totals[f.size]!++;
      if (found(f, boxes)) hits[f.size]!++;
    }
    other += boxes.filter((b) => !scene.faces.some((f) => found(f, [b]))).length;
  }
  const recall = Object.fromEntries(FACE_SIZES.map((s) => [s, hits[s]! / totals[s]!]));
  return { name, settings, backend, recall, facesPerSize: totals[FACE_SIZES[0]!]!, otherDetectionsPerPhoto: other / scenes.length, msPerPhoto: { ...timingStats(ms), samplesMs: [] } };
}
