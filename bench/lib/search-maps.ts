/**
 * Linear maps as levers of the search benchmark, fitted and tested on identity-disjoint folds
 * of lag-dev: for outer fold f, the ranks are chosen by an inner cross-validation on the other
 * folds' people only, the map is fitted on all of them, and fold f's photos are searched
 * through it. No figure is measured on a probe whose person the map saw.
 */
import { applyEmbeddingMap, type EmbeddingMap } from '../../src/core/embedding-map.js';
import { differenceSpectrum, mapFromSpectrum, type DifferenceSpectrum, type MapPair } from '../../src/core/fit-embedding-map.js';
import { closedSet, type Case, type Photo } from './search-eval.js';
import { seededRandom } from './seeded-random.js';

export interface LabelledFace extends Photo {
  path: string;
  young: boolean;
}

export interface MapLever {
  name: string;
  /** [napRank, wccnRank] candidates, chosen by inner cross-validation. */
  grid: [number, number][];
}

export const MAP_LEVERS: MapLever[] = [
  { name: 'NAP', grid: [1, 2, 3, 4, 6, 8].map((k) => [k, 0]) },
  { name: 'WCCN (subspace)', grid: [2, 4, 8, 16, 32, 64].map((r) => [0, r]) },
  { name: 'NAP + WCCN', grid: [1, 2, 3, 4].flatMap((k) => [1, 2, 3, 4, 8, 16].map((r) => [k, r] as [number, number])) },
];

/** Person -> fold in 0..k-1, a seeded shuffle dealt round-robin. */
export function identityFolds(people: readonly string[], k: number, seed = 11): Map<string, number> {
  const rnd = seededRandom(seed);
  const p = [...new Set(people)].sort();
  for (let i = p.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return new Map(p.map((x, i) => [x, i % k]));
}

/** Every (childhood, adult) pair of each person, weighted so each person counts once. */
export function childAdultPairs(faces: readonly LabelledFace[], people: ReadonlySet<string>): MapPair[] {
  const by = new Map<string, LabelledFace[]>();
  for (const f of faces) if (people.has(f.person)) by.set(f.person, [...(by.get(f.person) ?? []), f]);
  const out: MapPair[] = [];
  for (const fs of by.values()) {
    const young = fs.filter((f) => f.young);
    const adult = fs.filter((f) => !f.young);
    const w = 1 / (young.length * adult.length || 1);
    for (const y of young) for (const a of adult) out.push({ a: y.vector, b: a.vector, weight: w });
  }
  return out;
}

export function mapFaces<T extends Photo>(faces: readonly T[], map: EmbeddingMap | undefined): T[] {
  return map ? faces.map((f) => ({ ...f, vector: applyEmbeddingMap(map, Float32Array.from(f.vector)) })) : [...faces];
}

/** One case per person with childhood and adult photos: the first childhood photo, or all. */
export function casesOf(faces: readonly LabelledFace[], allPhotos: boolean): Case[] {
  const adults = new Set(faces.filter((f) => !f.young).map((f) => f.person));
  const by = new Map<string, LabelledFace[]>();
  for (const f of faces) if (f.young && adults.has(f.person)) by.set(f.person, [...(by.get(f.person) ?? []), f]);
  return [...by].map(([person, fs]) => ({ person, photos: allPhotos ? fs : fs.slice(0, 1) }));
}

/** Adult photos of people that have a case. */
export function probesOf(faces: readonly LabelledFace[]): LabelledFace[] {
  const withCase = new Set(faces.filter((f) => f.young).map((f) => f.person));
  return faces.filter((f) => !f.young && withCase.has(f.person));
}

/** Inner objective: rank-10 hits plus mean reciprocal rank (smooth where rank-10 ties). */
function objective(faces: readonly LabelledFace[], validation: ReadonlySet<string>, map: EmbeddingMap): number {
  const mapped = mapFaces(faces, map);
  const cases = casesOf(mapped, false);
  const probes = probesOf(mapped).filter((p) => validation.has(p.person));
  const r = closedSet(() => cases, probes, 'best');
  return r.cmc['rank10']! + r.ranks.reduce((a, x) => a + 1 / x.rank, 0) / r.ranks.length;
}

/** Ranks chosen on `trainPeople` by `inner`-fold cross-validation (each inner fold searched among all training cases). */
export function chooseRanks(faces: readonly LabelledFace[], trainPeople: ReadonlySet<string>, lever: MapLever, inner = 4, seed = 5): [number, number] {
  if (lever.grid.length === 1) return lever.grid[0]!;
  const train = faces.filter((f) => trainPeople.has(f.person));
  const folds = identityFolds([...trainPeople], inner, seed);
  const score = new Array<number>(lever.grid.length).fill(0);
  for (let g = 0; g < inner; g++) {
    const fitOn = new Set([...trainPeople].filter((p) => folds.get(p) !== g));
    const validation = new Set([...trainPeople].filter((p) => folds.get(p) === g));
    const spectrum = differenceSpectrum(childAdultPairs(train, fitOn));
    lever.grid.forEach(([k, r], i) => (score[i]! += objective(train, validation, mapFromSpectrum(spectrum, k, r))));
  }
  return lever.grid[score.indexOf(Math.max(...score))]!;
}

export interface FoldMaps {
  /** Map for the photos of people in fold f (fitted without fold f). */
  byFold: EmbeddingMap[];
  chosen: [number, number][];
  /** Map fitted on two held-out folds' complement (verification pairs of two people). */
  forFolds(f1: number, f2: number): EmbeddingMap;
  /** Fitted on every person, with the ranks chosen most often: what would ship. */
  full: EmbeddingMap;
}

export function foldMaps(faces: readonly LabelledFace[], folds: Map<string, number>, k: number, lever: MapLever): FoldMaps {
  const people = [...folds.keys()];
  const spectra = new Map<string, DifferenceSpectrum>();
  const spectrumWithout = (out: number[]) => {
    const key = [...new Set(out)].sort().join(',');
    if (!spectra.has(key)) spectra.set(key, differenceSpectrum(childAdultPairs(faces, new Set(people.filter((p) => !out.includes(folds.get(p)!))))));
    return spectra.get(key)!;
  };
  const chosen: [number, number][] = [];
  const byFold: EmbeddingMap[] = [];
  for (let f = 0; f < k; f++) {
    const ranks = chooseRanks(faces, new Set(people.filter((p) => folds.get(p) !== f)), lever);
    chosen.push(ranks);
    byFold.push(mapFromSpectrum(spectrumWithout([f]), ...ranks));
  }
  const counts = new Map<string, number>();
  for (const c of chosen) counts.set(c.join(','), (counts.get(c.join(',')) ?? 0) + 1);
  const mode = [...counts].sort((a, b) => b[1] - a[1])[0]![0].split(',').map(Number) as [number, number];
  return {
    byFold,
    chosen,
    forFolds: (f1, f2) => mapFromSpectrum(spectrumWithout([f1, f2]), ...chosen[f1]!),
    full: mapFromSpectrum(spectrumWithout([]), ...mode, 'lag-dev'),
  };
}
