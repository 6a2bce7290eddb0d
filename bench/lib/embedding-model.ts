/**
 * A generative model of face embeddings fitted to real ones, for search benchmarks at sizes no
 * labelled set reaches (100k, 1M). LFW has 7,701 photos; a million distinct faces must be
 * synthesised, and iid noise would not look like faces: real embeddings share a mean direction
 * and most of their variance lies in a few dozen directions, which is what makes approximate
 * search easy or hard.
 *
 * Model (two-covariance, as in PLDA): embedding = normalise(mu + between * z_id + within * z_photo)
 * where `between` is fitted to the spread of identity centres and `within` to the spread of
 * photos around their identity's centre. Each covariance is approximated by its top `rank`
 * eigenvectors plus an isotropic rest, so sampling a million vectors stays cheap.
 */
import { gaussian, seededRandom } from '../../test/indexes/random.js';
import { cosine } from './similarity.js';

export interface LabelledEmbeddings {
  vectors: Float32Array[];
  /** Identity label of each vector (e.g. the LFW folder name). */
  labels: string[];
}

interface LowRankGaussian {
  /** rank x dim, rows are eigenvectors scaled by sqrt(eigenvalue). */
  factors: Float64Array;
  rank: number;
  /** Standard deviation of the isotropic rest, per coordinate. */
  restStd: number;
}

export interface EmbeddingModel {
  dim: number;
  mean: Float64Array;
  between: LowRankGaussian;
  within: LowRankGaussian;
  /** Mean photos per identity in the generated sets (LFW's own figure is kept out: it is skewed). */
  photosPerIdentity: number;
  /**
   * Log-normal spread of each photo's distance from its identity's centre. Real photos vary
   * unevenly (a profile or a 20-year gap lies far off, a passport photo close), which a single
   * Gaussian misses: its same-person cosines come out too uniform. Fitted by matching their spread.
   */
  withinSpread: number;
}

/** Symmetric eigendecomposition by cyclic Jacobi rotations; fine for d <= 1024. */
export function symmetricEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * d + q]! - m[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = m[k * d + p]!;
          const akq = m[k * d + q]!;
          m[k * d + p] = c * akp - s * akq;
          m[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = m[p * d + k]!;
          const aqk = m[q * d + k]!;
          m[p * d + k] = c * apk - s * aqk;
          m[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = m[i * d + i]!;
  // Columns of v are eigenvectors; return them as rows, sorted by decreasing eigenvalue.
  const order = [...values.keys()].sort((x, y) => values[y]! - values[x]!);
  const sortedValues = new Float64Array(d);
  const rows = new Float64Array(d * d);
  order.forEach((col, r) => {
    sortedValues[r] = values[col]!;
    for (let k = 0; k < d; k++) rows[r * d + k] = v[k * d + col]!;
  });
  return { values: sortedValues, vectors: rows };
}

function lowRank(cov: Float64Array, d: number, rank: number): LowRankGaussian {
  const { values, vectors } = symmetricEigen(cov, d);
  const factors = new Float64Array(rank * d);
  for (let r = 0; r < rank; r++) {
    const s = Math.sqrt(Math.max(0, values[r]!));
    for (let k = 0; k < d; k++) factors[r * d + k] = vectors[r * d + k]! * s;
  }
  let rest = 0;
  for (let r = rank; r < d; r++) rest += Math.max(0, values[r]!);
  return { factors, rank, restStd: Math.sqrt(rest / d) };
}

/** Fits the model; identities with one photo inform the mean and the total spread only. */
export function fitEmbeddingModel(data: LabelledEmbeddings, rank = 96, photosPerIdentity = 3): EmbeddingModel {
  const d = data.vectors[0]!.length;
  const n = data.vectors.length;
  const mean = new Float64Array(d);
  for (const v of data.vectors) for (let k = 0; k < d; k++) mean[k]! += v[k]! / n;

  const groups = new Map<string, number[]>();
  data.labels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), i]));
  const total = new Float64Array(d * d);
  const within = new Float64Array(d * d);
  const x = new Float64Array(d);
  const addOuter = (m: Float64Array, w: number) => {
    for (let i = 0; i < d; i++) {
      const xi = x[i]! * w;
      for (let j = i; j < d; j++) m[i * d + j]! += xi * x[j]!;
    }
  };
  for (const v of data.vectors) {
    for (let k = 0; k < d; k++) x[k] = v[k]! - mean[k]!;
    addOuter(total, 1 / (n - 1));
  }
  let withinDof = 0;
  for (const idx of groups.values()) if (idx.length > 1) withinDof += idx.length - 1;
  for (const idx of groups.values()) {
    if (idx.length < 2) continue;
    const c = new Float64Array(d);
    for (const i of idx) for (let k = 0; k < d; k++) c[k]! += data.vectors[i]![k]! / idx.length;
    for (const i of idx) {
      for (let k = 0; k < d; k++) x[k] = data.vectors[i]![k]! - c[k]!;
      addOuter(within, 1 / withinDof);
    }
  }
  const between = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const b = total[i * d + j]! - within[i * d + j]!;
      between[i * d + j] = b;
      between[j * d + i] = b;
      within[j * d + i] = within[i * d + j]!;
    }
  }
  const model: EmbeddingModel = { dim: d, mean, between: lowRank(between, d, rank), within: lowRank(within, d, rank), photosPerIdentity, withinSpread: 0 };
  const target = cosineStats(data, 10_000, 11).genuine[1];
  let best = { spread: 0, err: Infinity };
  for (let spread = 0; spread <= 1.2001; spread += 0.1) {
    const sample = sampleEmbeddings({ ...model, withinSpread: spread }, 6000, 0, 12);
    const labels = sample.gallery.map((_, i) => String(i % Math.round(6000 / photosPerIdentity)));
    const err = Math.abs(cosineStats({ vectors: sample.gallery, labels }, 6000, 13).genuine[1] - target);
    if (err < best.err) best = { spread, err };
  }
  model.withinSpread = best.spread;
  return model;
}

function draw(g: LowRankGaussian, d: number, rand: () => number, out: Float64Array): void {
  for (let k = 0; k < d; k++) out[k] = g.restStd * gaussian(rand);
  for (let r = 0; r < g.rank; r++) {
    const z = gaussian(rand);
    const row = r * d;
    for (let k = 0; k < d; k++) out[k]! += z * g.factors[row + k]!;
  }
}

/**
 * `n` gallery vectors (identities of ~photosPerIdentity photos) and `queries` new photos of
 * enrolled identities, the way a street photo is a new photo of a child already on file.
 */
export function sampleEmbeddings(model: EmbeddingModel, n: number, queries: number, seed: number): { gallery: Float32Array[]; queries: Float32Array[] } {
  const rand = seededRandom(seed);
  const d = model.dim;
  const identities = Math.max(1, Math.round(n / model.photosPerIdentity));
  const centres: Float32Array[] = [];
  const tmp = new Float64Array(d);
  for (let i = 0; i < identities; i++) {
    draw(model.between, d, rand, tmp);
    centres.push(Float32Array.from(tmp, (b, k) => b + model.mean[k]!));
  }
  const sigma = model.withinSpread;
  const photo = (c: Float32Array) => {
    draw(model.within, d, rand, tmp);
    // Mean-one log-normal scale, so the average spread stays the fitted one.
    const scale = Math.exp(sigma * gaussian(rand) - (sigma * sigma) / 2);
    const v = new Float32Array(d);
    let sum = 0;
    for (let k = 0; k < d; k++) {
      v[k] = c[k]! + scale * tmp[k]!;
      sum += v[k]! * v[k]!;
    }
    const inv = 1 / Math.sqrt(sum);
    for (let k = 0; k < d; k++) v[k]! *= inv;
    return v;
  };
  const gallery = Array.from({ length: n }, (_, i) => photo(centres[i % identities]!));
  const qs = Array.from({ length: queries }, () => photo(centres[Math.floor(rand() * identities)]!));
  return { gallery, queries: qs };
}

/** Mean and standard deviation of same-identity and different-identity cosines, for a check that samples look like the data. */
export function cosineStats(data: LabelledEmbeddings, pairs: number, seed: number): { genuine: [number, number]; impostor: [number, number] } {
  const rand = seededRandom(seed);
  const groups = new Map<string, number[]>();
  data.labels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), i]));
  const multi = [...groups.values()].filter((g) => g.length > 1);
  const gen: number[] = [];
  const imp: number[] = [];
  const n = data.vectors.length;
  for (let i = 0; i < pairs; i++) {
    const g = multi[Math.floor(rand() * multi.length)]!;
    const a = Math.floor(rand() * g.length);
    const b = (a + 1 + Math.floor(rand() * (g.length - 1))) % g.length;
    gen.push(cosine(data.vectors[g[a]!]!, data.vectors[g[b]!]!));
    const x = Math.floor(rand() * n);
    const y = Math.floor(rand() * n);
    if (data.labels[x] !== data.labels[y]) imp.push(cosine(data.vectors[x]!, data.vectors[y]!));
  }
  const ms = (xs: number[]): [number, number] => {
    const m = xs.reduce((s, v) => s + v, 0) / xs.length;
    return [m, Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length)];
  };
  return { genuine: ms(gen), impostor: ms(imp) };
}
