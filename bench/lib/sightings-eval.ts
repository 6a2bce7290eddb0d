/**
 * Grouping quality of every algorithm on one labelled set, on one shared kNN graph, so the
 * figures compare the algorithms and not their graphs. The graph is built by the same code
 * the library uses (SightingGrouper's FaceGraph) over a flat index.
 */
import { FlatIndex } from '../../src/indexes/flat.js';
import { CROWD_FROM_RANK } from '../../src/sightings/average-linkage.js';
import { FaceGraph, knnFromIndex } from '../../src/sightings/face-graph.js';
import { SightingGrouper, type GrouperOptions } from '../../src/sightings/grouper.js';
import { singleLinkage } from '../../src/sightings/single-linkage.js';
import { clusterScores, type ClusterScores } from './cluster-metrics.js';
import { chineseWhispers, rankOrder } from './grouping-peers.js';

export interface LabelledFace {
  id: string;
  vector: Float32Array;
  label: string;
}

export interface GroupingRow extends ClusterScores {
  set: string;
  algorithm: string;
  params: string;
  faces: number;
  seconds: number;
}

export interface OutlierCheck {
  /** Faces flagged `outlier` by the default grouping. */
  flagged: number;
  /** Of those, faces that are not their group's most common person. */
  flaggedWrong: number;
  /** Faces that are not their group's most common person. */
  wrong: number;
}

export interface SetEvaluation {
  set: string;
  faces: number;
  people: number;
  graphSeconds: number;
  rows: GroupingRow[];
  /** Single linkage swept finely: the baseline curve the default is compared with. */
  singleSweep: GroupingRow[];
  outliers: OutlierCheck;
  /** Mean crowd level of the faces (cosine to their 6th-20th neighbours): where crowdBaseline comes from. */
  meanCrowd: number;
  /** The default's groups holding more than one person, as person:faces (LFW has a few people under two names). */
  impure: string[];
}

const SWEEP = Array.from({ length: 31 }, (_, i) => +(0.4 + 0.01 * i).toFixed(2));

export async function evaluateSet(set: string, faces: readonly LabelledFace[], defaults: GrouperOptions, variants: Record<string, Partial<GrouperOptions>>): Promise<SetEvaluation> {
  const truth = faces.map((f) => f.label);
  const index = new FlatIndex(faces[0]!.vector.length, 'none', faces.length);
  await index.add(faces.map((f) => ({ id: f.id, vector: f.vector })));
  // Every grouper searches the same faces: remember the answers, so variants cost no searches.
  const raw = knnFromIndex(index);
  const memo = new Map<string, Awaited<ReturnType<typeof raw>>>();
  const idOf = new Map(faces.map((f) => [f.vector, f.id]));
  const search: typeof raw = async (v, k) => {
    const key = `${idOf.get(v) ?? ''}@${k}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const r = await raw(v, k);
    if (idOf.has(v)) memo.set(key, r);
    return r;
  };
  const graph = new FaceGraph({ k: defaults.k, minScore: -1 });
  const slots = graph.addNodes(faces);
  let t0 = performance.now();
  await graph.link(slots, search);
  const graphSeconds = (performance.now() - t0) / 1000;
  const rows: GroupingRow[] = [];
  const row = (algorithm: string, params: string, labels: ArrayLike<number>, seconds: number): GroupingRow => ({
    set,
    algorithm,
    params,
    faces: faces.length,
    seconds,
    ...clusterScores(slots.map((s) => labels[s]!), truth),
  });
  const timed = <T>(fn: () => T): [T, number] => {
    const t = performance.now();
    const r = fn();
    return [r, (performance.now() - t) / 1000];
  };

  const singleSweep = SWEEP.map((t) => row('single linkage', `cos >= ${t}`, ...timed(() => singleLinkage(graph, t))));
  for (const t of [0.5, 0.55, 0.6]) rows.push(singleSweep.find((r) => r.params === `cos >= ${t}`)!);

  // The default and its variants run through SightingGrouper itself (the library's code path).
  let outliers: OutlierCheck = { flagged: 0, flaggedWrong: 0, wrong: 0 };
  let impure: string[] = [];
  for (const [name, over] of Object.entries({ default: {}, ...variants })) {
    const opts = { ...defaults, ...over };
    const grouper = new SightingGrouper(opts);
    // Its own kNN searches are timed apart: the rows compare grouping, not graph building.
    let searchMs = 0;
    const timedSearch: typeof search = async (v, k) => {
      const t = performance.now();
      const r = await search(v, k);
      searchMs += performance.now() - t;
      return r;
    };
    t0 = performance.now();
    await grouper.add(faces, timedSearch);
    const seconds = (performance.now() - t0 - searchMs) / 1000;
    const labels = grouper.labels();
    const params = `pair ${opts.pairThreshold}, group ${opts.groupThreshold}, crowd ${opts.crowdWeight}, k ${opts.k}`;
    rows.push(row(name === 'default' ? 'average linkage (default)' : `average linkage (${name})`, params, labels, seconds));
    if (name === 'default') {
      const labelOf = new Map(faces.map((f) => [f.id, f.label]));
      outliers = checkOutliers(grouper, labelOf);
      impure = impureGroups(grouper, labelOf);
    }
  }
  for (const t of [0.55, 0.6, 0.65]) rows.push(row('chinese whispers', `cos >= ${t}`, ...timed(() => chineseWhispers(graph, t))));
  for (const [d, m] of [
    [1.2, 0.5],
    [1.6, 0.5],
    [1.6, 0.55],
  ] as const) {
    rows.push(row('approx. rank-order', `D < ${d}, cos >= ${m}`, ...timed(() => rankOrder(graph, d, m))));
  }
  await index.dispose();
  let crowd = 0;
  for (const s of slots) {
    const sc = graph.outScore[s]!.slice(CROWD_FROM_RANK);
    crowd += sc.reduce((a, b) => a + b, 0) / Math.max(1, sc.length);
  }
  return { set, faces: faces.length, people: new Set(truth).size, graphSeconds, rows, singleSweep, outliers, meanCrowd: crowd / slots.length, impure };
}

function checkOutliers(grouper: SightingGrouper, labelOf: Map<string, string>): OutlierCheck {
  const r: OutlierCheck = { flagged: 0, flaggedWrong: 0, wrong: 0 };
  for (const g of grouper.groups()) {
    const counts = new Map<string, number>();
    for (const f of g.faces) counts.set(labelOf.get(f.faceId)!, (counts.get(labelOf.get(f.faceId)!) ?? 0) + 1);
    const major = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    for (const f of g.faces) {
      const wrong = labelOf.get(f.faceId) !== major;
      if (wrong) r.wrong++;
      if (f.outlier) {
        r.flagged++;
        if (wrong) r.flaggedWrong++;
      }
    }
  }
  return r;
}

function impureGroups(grouper: SightingGrouper, labelOf: Map<string, string>): string[] {
  const out: string[] = [];
  for (const g of grouper.groups()) {
    const counts = new Map<string, number>();
    for (const f of g.faces) counts.set(labelOf.get(f.faceId)!, (counts.get(labelOf.get(f.faceId)!) ?? 0) + 1);
    if (counts.size > 1) out.push([...counts].map(([l, n]) => `${l}:${n}`).join(' + '));
  }
  return out;
}

/** The best single-linkage recall at BCubed precision at least `precision` (undefined if none reaches it). */
export function singleRecallAt(sweep: readonly GroupingRow[], precision: number): GroupingRow | undefined {
  return sweep.filter((r) => r.bcubedPrecision >= precision).sort((a, b) => b.bcubedRecall - a.bcubedRecall)[0];
}
