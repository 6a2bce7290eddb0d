/**
 * Fitting an embedding map (see embedding-map.ts) from embeddings of the same people at two
 * ages. Node only: the eigendecomposition comes from ml-matrix (2 s for 512 dimensions, where
 * a hand-written Jacobi took 24 s), which the browser bundle's size budget does not allow.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { mapDigest, type EmbeddingMap } from './embedding-map.js';

export interface MapPair {
  /** Unit-length embeddings of one person at two ages (order does not matter). */
  a: Float32Array;
  b: Float32Array;
  /** Weight of the pair, default 1 (e.g. 1 / pairs of the person, so each person counts once). */
  weight?: number;
}

export interface FitMapOptions {
  /** Directions removed outright (NAP). */
  napRank?: number;
  /** Directions after those shrunk to the spread of the rest (WCCN on a subspace). */
  wccnRank?: number;
  /** Written into the map's id (letters, digits, '-', '.'); default 'custom'. */
  name?: string;
}

/**
 * What the inner cross-validation on lag-dev chose most often (bench:search-children: WCCN on
 * 32 directions in 4 folds of 5); the shipped map uses the same.
 */
export const DEFAULT_MAP_RANKS = { napRank: 0, wccnRank: 32 } as const;

/** Eigen-decomposition of the weighted covariance of the pairs' difference vectors, largest first. */
export interface DifferenceSpectrum {
  dim: number;
  values: number[];
  vectors: number[][];
}

export function differenceSpectrum(pairs: readonly MapPair[]): DifferenceSpectrum {
  if (pairs.length < 2) throw new RangeError('fitting a map needs at least 2 pairs');
  const dim = pairs[0]!.a.length;
  const cov = new Float64Array(dim * dim);
  const diff = new Float64Array(dim);
  let total = 0;
  for (const p of pairs) {
    if (p.a.length !== dim || p.b.length !== dim) throw new RangeError('every embedding of the pairs must have the same length');
    const w = p.weight ?? 1;
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError('pair weights must be finite and >= 0');
    total += w;
    for (let k = 0; k < dim; k++) diff[k] = p.a[k]! - p.b[k]!;
    for (let i = 0; i < dim; i++) {
      const di = diff[i]! * w;
      if (di === 0) continue;
      for (let j = i; j < dim; j++) cov[i * dim + j]! += di * diff[j]!;
    }
  }
  if (!(total > 0)) throw new RangeError('pair weights sum to 0');
  const rows: number[][] = [];
  for (let i = 0; i < dim; i++) {
    const row = new Array<number>(dim);
    for (let j = 0; j < dim; j++) row[j] = (i <= j ? cov[i * dim + j]! : cov[j * dim + i]!) / total;
    rows.push(row);
  }
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const v = eig.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((x, y) => values[y]! - values[x]!);
  return { dim, values: order.map((i) => Math.max(0, values[i]!)), vectors: order.map((i) => v.getColumn(i)) };
}

/** The map with the given ranks from a spectrum (cheap: the grid search fits one spectrum per fold). */
export function mapFromSpectrum(s: DifferenceSpectrum, napRank: number, wccnRank: number, name = 'custom'): EmbeddingMap {
  const rank = napRank + wccnRank;
  if (!Number.isInteger(napRank) || !Number.isInteger(wccnRank) || napRank < 0 || wccnRank < 0 || rank > s.dim - 1) {
    throw new RangeError(`napRank and wccnRank must be integers >= 0 with a sum below ${s.dim}`);
  }
  if (!/^[A-Za-z0-9.-]+$/.test(name)) throw new RangeError('map name: letters, digits, "-" and "." only');
  // Shrink each whitened direction to the spread of the first direction left alone, so the
  // scale is continuous where the map stops.
  const floor = s.values[rank]!;
  const scales = s.values.slice(0, rank).map((l, i) => (i < napRank ? 0 : l > 0 ? Math.min(1, Math.sqrt(floor / l)) : 1));
  const directions = s.vectors.slice(0, rank).map((u) => u.map((x) => +x.toFixed(7)));
  const rounded = scales.map((x) => +x.toFixed(6));
  return { id: `${name}-nap${napRank}-wccn${wccnRank}-${mapDigest(directions, rounded)}`, dim: s.dim, directions, scales: rounded };
}

/**
 * Fits a map from embeddings of the same people at different ages (a case's childhood photo
 * and a later one). Use your own cases when the shipped map does not fit your photos; a few
 * hundred people are needed for stable directions.
 */
export function fitEmbeddingMap(pairs: readonly MapPair[], options: FitMapOptions = {}): EmbeddingMap {
  const { napRank = DEFAULT_MAP_RANKS.napRank, wccnRank = DEFAULT_MAP_RANKS.wccnRank, name } = options;
  return mapFromSpectrum(differenceSpectrum(pairs), napRank, wccnRank, name);
}

