/**
 * Searching the cases with a whole group of photos vs with one photo, on lag-dev: each
 * person's childhood photos form one group searched against every person's adult photos as
 * cases (one case per person, all its adult photos enrolled), and the other way round. The
 * groups are the true ones, so this measures the combination alone, not the grouping.
 */
import { COMBINE_METHODS, groupScore, qualityWeight, type CombineMethod } from '../../src/core/combine-scores.js';
import type { FaceQuality } from '../../src/core/quality.js';
import { FlatIndex } from '../../src/indexes/flat.js';
import { rankGroup } from '../../src/sightings/rank-group.js';

export interface IdentifyFace {
  id: string;
  vector: Float32Array;
  person: string;
  young: boolean;
  quality?: FaceQuality;
}

export interface IdentifyRow {
  direction: string;
  method: string;
  /** Groups searched, and how many of them hold 2 or more photos. */
  groups: number;
  multiPhotoGroups: number;
  cases: number;
  rank1: number;
  rank10: number;
  /** The same, over groups of 2 or more photos only (where the methods can differ). */
  rank1Multi: number;
  rank10Multi: number;
  /**
   * At the matcher's threshold (`match`): share of (group, other person's case) scores at or
   * above it, and of (group, own case) scores. Scoring a group should not make false matches
   * more common than scoring one photo does.
   */
  falseMatchRate: number;
  trueMatchRate: number;
}

const RANKS = [1, 10];

export async function identifyGroups(faces: readonly IdentifyFace[], threshold: number): Promise<IdentifyRow[]> {
  return [...(await oneWay(faces, true, threshold)), ...(await oneWay(faces, false, threshold))];
}

async function oneWay(faces: readonly IdentifyFace[], childProbes: boolean, threshold: number): Promise<IdentifyRow[]> {
  const direction = childProbes ? 'childhood photos -> adult cases' : 'adult photos -> childhood cases';
  const caseFaces = faces.filter((f) => f.young !== childProbes);
  const probeFaces = faces.filter((f) => f.young === childProbes);
  const index = new FlatIndex(faces[0]!.vector.length, 'none', caseFaces.length);
  await index.add(caseFaces.map((f) => ({ id: f.id, vector: f.vector })));
  const subjectOf = new Map(caseFaces.map((f) => [f.id, f.person]));
  const perSubject = Math.max(...countBy(caseFaces.map((f) => f.person)).values());
  const cases = new Set(subjectOf.values());
  const groups = [...groupBy(probeFaces.filter((f) => cases.has(f.person)), (f) => f.person)];
  const search = async (q: Float32Array, n: number) => (await index.search(q, n)).map((h) => ({ id: h.id, score: h.score }));
  const rankOf = async (members: readonly IdentifyFace[], method: CombineMethod, person: string) => {
    const ranked = await rankGroup({
      faces: members.map((f) => ({ embedding: f.vector, ...(f.quality ? { quality: f.quality } : {}) })),
      method,
      k: Math.max(...RANKS),
      search,
      subjectOf: (id) => subjectOf.get(id),
      perSubject,
      templates: caseFaces.length,
    });
    const i = ranked.findIndex((r) => r.subjectId === person);
    return i < 0 ? Infinity : i + 1;
  };
  // Per group: the share of its photos (or 1/0 for a group method) ranking the person within r.
  const rows: IdentifyRow[] = [];
  const caseTemplates = groupBy(caseFaces, (f) => f.person);
  /** Rates at the threshold over every (group, case) pair; each member alone for the one-photo rows. */
  const rates = (method: CombineMethod, alone: boolean) => {
    let imp = 0;
    let impN = 0;
    let gen = 0;
    let genN = 0;
    for (const [person, members] of groups) {
      for (const probe of alone ? members.map((m) => [m]) : [members]) {
        const scored = probe.map((f) => ({ embedding: f.vector, ...(f.quality ? { quality: f.quality } : {}) }));
        for (const [other, templates] of caseTemplates) {
          const hit = groupScore(method, scored, templates.map((t) => t.vector)) >= threshold ? 1 : 0;
          if (other === person) [gen, genN] = [gen + hit, genN + 1];
          else [imp, impN] = [imp + hit, impN + 1];
        }
      }
    }
    return { falseMatchRate: imp / impN, trueMatchRate: gen / genN };
  };
  const add = (method: string, perGroup: { size: number; hit: (r: number) => number }[], atThreshold: { falseMatchRate: number; trueMatchRate: number }) => {
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const multi = perGroup.filter((g) => g.size > 1);
    rows.push({
      direction,
      method,
      groups: perGroup.length,
      multiPhotoGroups: multi.length,
      cases: cases.size,
      rank1: mean(perGroup.map((g) => g.hit(1))),
      rank10: mean(perGroup.map((g) => g.hit(10))),
      rank1Multi: mean(multi.map((g) => g.hit(1))),
      rank10Multi: mean(multi.map((g) => g.hit(10))),
      ...atThreshold,
    });
  };
  const single: { size: number; hit: (r: number) => number }[] = [];
  const bestQuality: { size: number; hit: (r: number) => number }[] = [];
  for (const [person, members] of groups) {
    const ranks = await Promise.all(members.map((m) => rankOf([m], 'best', person)));
    single.push({ size: members.length, hit: (r) => ranks.filter((x) => x <= r).length / ranks.length });
    const q = members.map((m) => qualityWeight(m.quality));
    const top = ranks[q.indexOf(Math.max(...q))]!;
    bestQuality.push({ size: members.length, hit: (r) => (top <= r ? 1 : 0) });
  }
  const alone = rates('best', true);
  add('one photo alone (mean over the group’s photos)', single, alone);
  add('one photo alone: the group’s best-quality photo', bestQuality, alone);
  for (const method of COMBINE_METHODS) {
    const perGroup: { size: number; hit: (r: number) => number }[] = [];
    for (const [person, members] of groups) {
      const rank = await rankOf(members, method, person);
      perGroup.push({ size: members.length, hit: (r) => (rank <= r ? 1 : 0) });
    }
    add(`group: ${method}`, perGroup, rates(method, false));
  }
  await index.dispose();
  return rows;
}

function countBy(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
