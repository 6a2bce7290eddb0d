/** Score helpers shared by embedders.ts and cohort.ts: metrics row, z-normalisation, bootstrap. */
import { seededRandom } from '../../bench/lib/seeded-random.js';
import type { Pair } from '../../bench/lib/datasets.js';
import { auc, tarAtFar, tenFold } from '../../bench/lib/verification.js';

export interface Metrics {
  accuracy: number;
  accuracyStd: number;
  tar1e3: number;
  auc: number;
  failed: number;
}

export function metrics(pairs: Pair[], scores: number[]): Metrics {
  const labels = pairs.map((p) => p.same);
  const tf = tenFold(scores, labels, pairs.map((p) => p.fold));
  return {
    accuracy: tf.accuracy,
    accuracyStd: tf.std,
    tar1e3: tarAtFar(scores, labels, 1e-3).tar,
    auc: auc(scores, labels),
    failed: scores.filter((s) => !Number.isFinite(s)).length,
  };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function l2normalise(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / n);
}

export function pairScores(pairs: Pair[], vecs: Map<string, Float32Array | null>): number[] {
  return pairs.map((p) => {
    const a = vecs.get(p.a);
    const b = vecs.get(p.b);
    return a && b ? dot(a, b) : -Infinity;
  });
}

/** Mean and standard deviation of the finite impostor scores (a held-out set's, never the test set's). */
export function impostorStats(pairs: Pair[], scores: number[]): { mean: number; sd: number; n: number } {
  const imp = scores.filter((s, i) => !pairs[i]!.same && Number.isFinite(s));
  const mean = imp.reduce((a, b) => a + b, 0) / imp.length;
  const sd = Math.sqrt(imp.reduce((a, b) => a + (b - mean) ** 2, 0) / (imp.length - 1));
  return { mean, sd, n: imp.length };
}


/** Resampled pair indices, drawn once and shared by every comparison (paired bootstrap). */
export function bootstrapSamples(n: number, resamples: number, seed: number): Int32Array[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: resamples }, () => Int32Array.from({ length: n }, () => Math.floor(rnd() * n)));
}

/** 95% percentile interval of AUC(candidate) - AUC(base) over paired resamples. */
export function aucDiffInterval(labels: boolean[], base: number[], cand: number[], samples: Int32Array[]): { lo: number; hi: number; mean: number } {
  const diffs = samples.map((idx) => {
    const l = Array.from(idx, (i) => labels[i]!);
    return auc(Array.from(idx, (i) => cand[i]!), l) - auc(Array.from(idx, (i) => base[i]!), l);
  });
  diffs.sort((a, b) => a - b);
  const q = (p: number) => diffs[Math.min(diffs.length - 1, Math.floor(p * diffs.length))]!;
  return { lo: q(0.025), hi: q(0.975), mean: diffs.reduce((a, b) => a + b, 0) / diffs.length };
}

export function pct(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(2) + '%' : 'n/a';
}
