/**
 * The reviewer's view of a search: a gallery of cases (one or several photos each) searched
 * with one probe photo at a time. Pure functions on unit-length vectors.
 * - Closed set: every probe's person is in the gallery; the rank of its case (1 = first),
 *   CMC at ranks 1/5/10/20 and the candidates a reviewer opens before the right one.
 * - Open set (NIST FRVT 1:N terms): half the people are left out of the gallery. FPIR(T): share
 *   of searches for a person not enrolled whose top candidate scores >= T; FNIR(T): share of
 *   searches for an enrolled person whose case is not the top candidate at a score >= T. FNIR is
 *   read at the T where FPIR is 0.01 and 0.1, averaged over random halvings.
 */
import { COMBINE_METHODS, combineFaceScores, combinedQuery, type CombineMethod } from '../../src/core/combine-scores.js';
import type { FaceQuality } from '../../src/core/quality.js';
import { dot as cosine } from '../../src/core/vectors.js';
import { seededRandom } from './seeded-random.js';

export interface Photo {
  person: string;
  vector: Float32Array;
  quality?: FaceQuality;
}

export interface Case {
  person: string;
  photos: Photo[];
}

export { COMBINE_METHODS, type CombineMethod };

/** Score of a probe against every case, in case order. */
export function caseScores(cases: readonly Case[], probe: Float32Array, method: CombineMethod): Float64Array {
  const out = new Float64Array(cases.length);
  cases.forEach((c, i) => {
    const q = caseQuery(c, method);
    out[i] = q ? cosine(q, probe) : combineFaceScores(method as 'best' | 'top2-mean', c.photos.map((p) => cosine(p.vector, probe)));
  });
  return out;
}

const queries = new WeakMap<Case, Map<CombineMethod, Float32Array | undefined>>();
/** The case's photos combined into one vector (mean / quality-weighted), memoised per case. */
function caseQuery(c: Case, method: CombineMethod): Float32Array | undefined {
  let m = queries.get(c);
  if (!m) queries.set(c, (m = new Map()));
  if (!m.has(method)) {
    m.set(method, c.photos.length === 1 ? c.photos[0]!.vector : combinedQuery(method, c.photos.map((p) => ({ embedding: p.vector, ...(p.quality ? { quality: p.quality } : {}) }))));
  }
  return m.get(method);
}

/** 1-based rank of the probe's own case (ties count against it); Infinity when not enrolled. */
export function rankOf(cases: readonly Case[], scores: Float64Array, person: string): number {
  const own = cases.findIndex((c) => c.person === person);
  if (own < 0) return Infinity;
  let above = 0;
  for (let i = 0; i < scores.length; i++) if (i !== own && scores[i]! >= scores[own]!) above++;
  return above + 1;
}

export const CMC_RANKS = [1, 5, 10, 20] as const;

export interface ClosedSet {
  probes: number;
  cases: number;
  cmc: Record<string, number>;
  /** Mean number of wrong candidates above the right one. */
  meanOpenedBefore: number;
  /** Per probe: person and rank (for the bootstrap). */
  ranks: { person: string; rank: number }[];
}

/** `casesOf(probe)`: the gallery as the probe sees it (a fold's map applies to both sides). */
export type CasesOf = (probe: Photo) => readonly Case[];

export function closedSet(casesOf: CasesOf, probes: readonly Photo[], method: CombineMethod): ClosedSet {
  const ranks = probes.map((p) => {
    const cases = casesOf(p);
    return { person: p.person, rank: rankOf(cases, caseScores(cases, p.vector, method), p.person) };
  });
  const cases = casesOf(probes[0]!);
  const cmc: Record<string, number> = {};
  for (const r of CMC_RANKS) cmc[`rank${r}`] = ranks.filter((x) => x.rank <= r).length / ranks.length;
  return { probes: probes.length, cases: cases.length, cmc, meanOpenedBefore: ranks.reduce((a, x) => a + x.rank - 1, 0) / ranks.length, ranks };
}

export interface OpenSet {
  halvings: number;
  fnirAtFpir: Record<string, number>;
  /** Mean number of other people's cases scoring >= the threshold, per probe (enrolled or not). */
  falseCandidatesPerProbe: number;
  /** The same for probes of people not enrolled only. */
  falseCandidatesPerNonMatedProbe: number;
  threshold: number;
}

/** Every probe's cases must list the same people in the same order. */
export function openSet(casesOf: CasesOf, probes: readonly Photo[], method: CombineMethod, threshold: number, halvings = 10, seed = 11): OpenSet {
  const rnd = seededRandom(seed);
  const cases = casesOf(probes[0]!);
  const people = cases.map((c) => c.person);
  const scores = probes.map((p) => caseScores(casesOf(p), p.vector, method));
  const fnir: Record<string, number[]> = { '0.01': [], '0.1': [] };
  let falseAll = 0;
  let falseNonMated = 0;
  let nonMatedN = 0;
  for (let h = 0; h < halvings; h++) {
    const shuffled = [...people];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const enrolled = new Set(shuffled.slice(0, Math.floor(people.length / 2)));
    const keep = cases.map((c) => enrolled.has(c.person));
    const mated: { top: number; hit: boolean }[] = [];
    const nonMated: number[] = [];
    probes.forEach((p, i) => {
      let top = -Infinity;
      let topPerson = '';
      let over = 0;
      scores[i]!.forEach((s, j) => {
        if (!keep[j]) return;
        if (s > top) [top, topPerson] = [s, cases[j]!.person];
        if (s >= threshold && cases[j]!.person !== p.person) over++;
      });
      falseAll += over;
      if (enrolled.has(p.person)) mated.push({ top, hit: topPerson === p.person });
      else {
        nonMated.push(top);
        falseNonMated += over;
        nonMatedN++;
      }
    });
    nonMated.sort((a, b) => b - a);
    for (const key of Object.keys(fnir)) {
      // The lowest T with FPIR <= key: accept iff top >= T, T just above the allowed impostor.
      const allowed = Math.floor(Number(key) * nonMated.length);
      const t = nonMated[allowed] ?? -Infinity;
      fnir[key]!.push(mated.filter((m) => !(m.hit && m.top > t)).length / mated.length);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    halvings,
    fnirAtFpir: Object.fromEntries(Object.entries(fnir).map(([k, v]) => [k, mean(v)])),
    falseCandidatesPerProbe: falseAll / (halvings * probes.length),
    falseCandidatesPerNonMatedProbe: falseNonMated / Math.max(1, nonMatedN),
    threshold,
  };
}
