/**
 * Linear maps on embeddings that damp the directions along which one person's face moves as
 * the person grows up. Fitted on difference vectors (the same person at two ages): the top
 * eigenvectors of their covariance are the "age nuisance". The first `napRank` directions are
 * removed (nuisance-attribute projection, NAP); the next `wccnRank` are shrunk to the spread of
 * the rest (within-class covariance normalisation, WCCN, on a subspace). Every other direction
 * is left alone, so the map stays close to the identity (a small file, little cost on adults) and
 * is applied as v - sum_i (1 - s_i) (u_i . v) u_i, then re-normalised: microseconds per face, in
 * Node and the browser alike.
 */
import { l2normalize } from './vectors.js';

export interface EmbeddingMap {
  /** Recorded in the embedder's id (and so in gallery headers): maps must match to compare. */
  id: string;
  dim: number;
  /** Orthonormal directions, one per row. */
  directions: number[][];
  /** Kept fraction along each direction: 0 removes it, 1 leaves it. */
  scales: number[];
}

/** Applies the map to a unit-length embedding in place and re-normalises it. */
export function applyEmbeddingMap(map: EmbeddingMap, v: Float32Array): Float32Array {
  if (v.length !== map.dim) throw new RangeError(`map expects ${map.dim} dimensions, got ${v.length}`);
  const coef = map.directions.map((u, i) => {
    let dot = 0;
    for (let k = 0; k < u.length; k++) dot += u[k]! * v[k]!;
    return (1 - map.scales[i]!) * dot;
  });
  map.directions.forEach((u, i) => {
    const c = coef[i]!;
    if (c !== 0) for (let k = 0; k < u.length; k++) v[k] = v[k]! - c * u[k]!;
  });
  return l2normalize(v);
}

/** Checks a parsed map file (shipped or the user's own); throws RangeError naming the fault. */
export function checkEmbeddingMap(m: unknown): EmbeddingMap {
  const o = m as EmbeddingMap;
  const ok =
    typeof o === 'object' && o !== null && typeof o.id === 'string' && /^[A-Za-z0-9.-]+$/.test(o.id) &&
    Number.isInteger(o.dim) && o.dim > 0 && Array.isArray(o.directions) && Array.isArray(o.scales) &&
    o.directions.length === o.scales.length &&
    o.directions.every((u) => Array.isArray(u) && u.length === o.dim && u.every(Number.isFinite)) &&
    o.scales.every((s) => typeof s === 'number' && s >= 0 && s <= 1);
  if (!ok) throw new RangeError('not an embedding map: needs id, dim, directions (dim numbers each) and scales in [0, 1]');
  return { id: o.id, dim: o.dim, directions: o.directions, scales: o.scales };
}

/** FNV-1a over the rounded numbers: two maps with equal ids transform alike. */
export function mapDigest(directions: number[][], scales: number[]): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify([directions, scales]);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
