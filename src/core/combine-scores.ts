/**
 * Scoring several photos of one person against the templates of one subject: the street
 * photos grouped as one child (sightings) against a case, or every childhood photo of a case
 * against one street face. Pure functions on unit-length embeddings, no I/O, so Node, the
 * browser and the benchmarks score the same way.
 */
import { dot } from './vectors.js';
import { DEFAULT_QUALITY_THRESHOLDS, type FaceQuality, type QualityThresholds } from './quality.js';

/**
 * - `best`: the highest score of any face against any template (one strong photo wins).
 * - `mean-embedding`: the faces' embeddings averaged (and re-normalised) into one query.
 * - `top2-mean`: each face's best score, then the mean of the two highest (one lucky
 *   look-alike photo is not enough; one face alone scores as `best`).
 * - `quality-weighted`: like `mean-embedding`, each face weighted by `qualityWeight`.
 */
export const COMBINE_METHODS = ['best', 'mean-embedding', 'top2-mean', 'quality-weighted'] as const;
export type CombineMethod = (typeof COMBINE_METHODS)[number];

export interface ScoredFace {
  /** Unit-length embedding. */
  embedding: Float32Array;
  /** A face's quality (as `detect` reports it) or a weight already computed; default 1. */
  quality?: FaceQuality | number;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * A weight in (0, 1] from a face's measured quality: full weight at twice the size and
 * sharpness thresholds below which `quality.ok` is false, falling linearly with head turn.
 * Each factor is kept at or above 0.05, so a poor face still counts a little and a group of
 * poor faces still has a direction. A face assumed from a crop (detector score 0) is not
 * penalised for its detector score.
 */
export function qualityWeight(q: FaceQuality | number | undefined, t: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS): number {
  if (q === undefined) return 1;
  if (typeof q === 'number') return Number.isFinite(q) && q > 0 ? q : 0.05;
  const size = clamp(q.eyeDistance / (2 * t.minEyeDistance), 0.05, 1);
  const sharp = clamp(q.sharpness / (2 * t.minSharpness), 0.05, 1);
  const pose = clamp(1 - Math.abs(q.yaw) / (2 * t.maxYaw), 0.05, 1);
  const det = q.detectorScore > 0 ? clamp(q.detectorScore, 0.05, 1) : 1;
  return size * sharp * pose * det;
}

/** Unit-length (weighted) mean of unit vectors; a zero mean (opposite faces) gives the first face. */
export function meanEmbedding(vectors: readonly Float32Array[], weights?: readonly number[]): Float32Array {
  if (vectors.length === 0) throw new RangeError('meanEmbedding needs at least one vector');
  const d = vectors[0]!.length;
  const sum = new Float64Array(d);
  vectors.forEach((v, i) => {
    const w = weights?.[i] ?? 1;
    for (let k = 0; k < d; k++) sum[k]! += w * v[k]!;
  });
  let norm = 0;
  for (let k = 0; k < d; k++) norm += sum[k]! * sum[k]!;
  if (!(norm > 1e-12)) return Float32Array.from(vectors[0]!);
  const inv = 1 / Math.sqrt(norm);
  return Float32Array.from(sum, (x) => x * inv);
}

/** The single query vector a method searches with, or undefined for the methods that score each face. */
export function combinedQuery(method: CombineMethod, faces: readonly ScoredFace[]): Float32Array | undefined {
  if (method === 'mean-embedding') return meanEmbedding(faces.map((f) => f.embedding));
  if (method === 'quality-weighted') {
    return meanEmbedding(
      faces.map((f) => f.embedding),
      faces.map((f) => qualityWeight(f.quality)),
    );
  }
  return undefined;
}

/**
 * Combines each face's best score against one subject into the subject's score, for the
 * methods that score faces one by one (`best`, `top2-mean`). `perFace[i]` is face i's best
 * score against the subject's templates.
 */
export function combineFaceScores(method: 'best' | 'top2-mean', perFace: readonly number[]): number {
  if (perFace.length === 0) throw new RangeError('combineFaceScores needs at least one score');
  if (method === 'best' || perFace.length === 1) return Math.max(...perFace);
  let a = -Infinity;
  let b = -Infinity;
  for (const s of perFace) {
    if (s > a) {
      b = a;
      a = s;
    } else if (s > b) b = s;
  }
  return (a + b) / 2;
}

/**
 * Score of several faces of one person against the templates of one subject (each template
 * unit length): the best template counts for every method. Swap the roles to score several
 * photos of a case against one face.
 */
export function groupScore(method: CombineMethod, faces: readonly ScoredFace[], templates: readonly Float32Array[]): number {
  if (faces.length === 0 || templates.length === 0) throw new RangeError('groupScore needs at least one face and one template');
  const bestOf = (q: Float32Array) => {
    let best = -Infinity;
    for (const t of templates) best = Math.max(best, dot(q, t));
    return best;
  };
  const query = combinedQuery(method, faces);
  if (query) return bestOf(query);
  return combineFaceScores(method as 'best' | 'top2-mean', faces.map((f) => bestOf(f.embedding)));
}
