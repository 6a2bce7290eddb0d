/**
 * Measurements that work for any embedder with an `embed(input)` method, so
 * the combined bench can run ours and the peers through the same code.
 */
import { performance } from 'node:perf_hooks';
import { auc, countFailures, tarAtFar, tenFold, type LfwPair, type TenFoldResult, type TarAtFarResult } from '../../bench/lib/verification.js';
import type { ImageInput } from './image-tensor.js';

export interface Embedder {
  embed(input: ImageInput): Promise<Float32Array | null>;
  similarity(a: Float32Array, b: Float32Array): number;
}

export interface TimingStats {
  count: number;
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Every measured duration, in order. */
  samplesMs: number[];
}

export function timingStats(samplesMs: number[]): TimingStats {
  if (samplesMs.length === 0) throw new Error('no timing samples');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    count: samplesMs.length,
    medianMs: median,
    meanMs: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length,
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
    samplesMs,
  };
}

/** Times `embed` on each input in turn (one at a time, nothing overlapped). */
export async function timeEmbeds(
  embedder: Embedder,
  inputs: readonly ImageInput[],
): Promise<{ stats: TimingStats; embeddings: (Float32Array | null)[] }> {
  const samples: number[] = [];
  const embeddings: (Float32Array | null)[] = [];
  for (const input of inputs) {
    const t0 = performance.now();
    embeddings.push(await embedder.embed(input));
    samples.push(performance.now() - t0);
  }
  return { stats: timingStats(samples), embeddings };
}

export interface PairEvaluation {
  folds: number[];
  pairs: number;
  /** Pairs where at least one photo had no face found. */
  failedPairs: number;
  /** Distinct photos without a face found, out of `photos`. */
  failedPhotos: number;
  photos: number;
  crossValidation: TenFoldResult;
  auc: number;
  tarAtFar: { far: number; result: TarAtFarResult }[];
  /** Per pair, in input order; null where a face was missing. */
  scores: (number | null)[];
}

/**
 * Embeds every distinct photo of `pairs` once (reusing `known` results),
 * scores each pair, and evaluates with the shared verification protocol.
 */
export async function evaluatePairs(
  embedder: Embedder,
  pairs: readonly LfwPair[],
  options: {
    known?: Map<string, Float32Array | null>;
    fars?: number[];
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<PairEvaluation> {
  const cache = new Map(options.known ?? []);
  const photos = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  let done = 0;
  for (const photo of photos) {
    if (!cache.has(photo)) cache.set(photo, await embedder.embed(photo));
    options.onProgress?.(++done, photos.length);
  }
  const scores = pairs.map((p) => {
    const a = cache.get(p.a);
    const b = cache.get(p.b);
    return a && b ? embedder.similarity(a, b) : -Infinity;
  });
  const labels = pairs.map((p) => p.same);
  const folds = pairs.map((p) => p.fold);
  return {
    folds: [...new Set(folds)].sort((a, b) => a - b),
    pairs: pairs.length,
    failedPairs: countFailures(scores),
    failedPhotos: photos.filter((p) => cache.get(p) === null).length,
    photos: photos.length,
    crossValidation: tenFold(scores, labels, folds),
    auc: auc(scores, labels),
    tarAtFar: (options.fars ?? [0.01, 0.001]).map((far) => ({ far, result: tarAtFar(scores, labels, far) })),
    scores: scores.map((s) => (Number.isFinite(s) ? s : null)),
  };
}
