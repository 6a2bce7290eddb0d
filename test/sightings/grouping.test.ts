import { describe, expect, it } from 'vitest';
import { clusterScores } from '../../bench/lib/cluster-metrics.js';
import { AverageLinkage, mergeThreshold } from '../../src/sightings/average-linkage.js';
import { FaceGraph } from '../../src/sightings/face-graph.js';
import { singleLinkage } from '../../src/sightings/single-linkage.js';
import { seededRandom, unitVector } from '../indexes/random.js';
import { around, indexed, syntheticFaces } from './synthetic.js';

const RULE = { pairThreshold: 0.6, groupThreshold: 0.45 };

async function graphOf(faces: { id: string; vector: Float32Array }[], k = 10) {
  const graph = new FaceGraph({ k, minScore: 0.2 });
  const { search } = await indexed(faces);
  await graph.link(graph.addNodes(faces), search);
  return graph;
}

function averageLabels(graph: FaceGraph): Int32Array {
  const agg = new AverageLinkage(graph, RULE);
  agg.add([...graph.slots()]);
  agg.run();
  return Int32Array.from({ length: graph.capacity }, (_, s) => agg.groupOf(s));
}

/** Unit vector at angle t (radians) in the plane of two orthogonal axes, padded to dim. */
function onArc(t: number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  v[0] = Math.cos(t);
  v[1] = Math.sin(t);
  return v;
}

describe('kNN face graph', () => {
  it('keeps each face’s k best neighbours above the floor, and a newcomer joins older lists', async () => {
    const faces = syntheticFaces(5, 4, 0.5, 3, 64);
    const graph = await graphOf(faces, 3);
    for (const s of graph.slots()) {
      expect(graph.out[s]!.length).toBeLessThanOrEqual(3);
      expect(graph.out[s]).not.toContain(s);
      const sc = graph.outScore[s]!;
      for (let i = 1; i < sc.length; i++) expect(sc[i]!).toBeLessThanOrEqual(sc[i - 1]!);
    }
    // A copy of face 0 is nearer to face 0 than anything: face 0's list must now start with it.
    const copy = { id: 'copy', vector: faces[0]!.vector };
    const { search } = await indexed([...faces, copy]);
    const [slot] = graph.addNodes([copy]);
    await graph.link([slot!], search);
    expect(graph.out[graph.slot(faces[0]!.id)!]![0]).toBe(slot);
    graph.remove([slot!]);
    for (const s of graph.slots()) expect(graph.out[s]).not.toContain(slot);
    expect(graph.size).toBe(faces.length);
  });
});

describe('grouping rules', () => {
  it('average linkage needs higher mean cosine for single photos than for groups', () => {
    expect(mergeThreshold(RULE, 1, 1)).toBeCloseTo(0.6);
    expect(mergeThreshold(RULE, 1, 10)).toBeLessThan(0.6);
    expect(mergeThreshold(RULE, 50, 50)).toBeLessThan(mergeThreshold(RULE, 2, 2));
    expect(mergeThreshold(RULE, 1e9, 1e9)).toBeCloseTo(0.45, 3);
  });

  it('a chain of look-alikes joins two people under single linkage, not under average linkage', async () => {
    // Two tight people 90 degrees apart, and a chain of faces between them 10 degrees apart
    // (cosine 0.985 between neighbours).
    const dim = 8;
    const faces: { id: string; vector: Float32Array; person: string }[] = [];
    for (let i = 0; i < 6; i++) faces.push({ id: `a${i}`, vector: onArc(0.01 * i, dim), person: 'a' });
    for (let i = 0; i < 6; i++) faces.push({ id: `b${i}`, vector: onArc(Math.PI / 2 - 0.01 * i, dim), person: 'b' });
    for (let i = 1; i < 9; i++) faces.push({ id: `c${i}`, vector: onArc((i * Math.PI) / 18, dim), person: `c${i}` });
    const graph = await graphOf(faces, 6);
    const single = singleLinkage(graph, 0.6);
    expect(single[graph.slot('a0')!]).toBe(single[graph.slot('b0')!]);
    const avg = averageLabels(graph);
    expect(avg[graph.slot('a0')!]).not.toBe(avg[graph.slot('b0')!]);
  });

  it('a crowded neighbourhood (look-alike people, as children are to the embedder) raises the bar', async () => {
    // 40 people whose faces all lie near one direction: different people score about 0.5.
    const rand = seededRandom(5);
    const common = unitVector(rand, 64);
    const faces: { id: string; vector: Float32Array; person: number }[] = [];
    for (let p = 0; p < 40; p++) {
      const centre = around(common, 1, rand);
      for (let i = 0; i < 3; i++) faces.push({ id: `c${p}-${i}`, vector: around(centre, 0.35, rand), person: p });
    }
    const graph = await graphOf(faces, 20);
    const truth = faces.map((f) => f.person);
    const scores = (crowdWeight: number) => {
      const agg = new AverageLinkage(graph, { pairThreshold: 0.5, groupThreshold: 0.4, crowdWeight, crowdBaseline: 0.31 });
      agg.add([...graph.slots()]);
      agg.run();
      return clusterScores(faces.map((f) => agg.groupOf(graph.slot(f.id)!)), truth);
    };
    const plain = scores(0);
    const corrected = scores(0.75);
    expect(plain.bcubedPrecision).toBeLessThan(0.9);
    expect(corrected.bcubedPrecision).toBeGreaterThan(0.97);
    expect(corrected.bcubedRecall).toBeGreaterThan(0.9);
  });

  it('separates well-separated people exactly, deterministically, whatever the order of faces', async () => {
    const faces = syntheticFaces(30, 5, 0.5, 7, 64);
    const truth = faces.map((f) => f.person);
    const a = averageLabels(await graphOf(faces));
    const s = clusterScores(Array.from(a), truth);
    expect(s.bcubedPrecision).toBe(1);
    expect(s.bcubedRecall).toBe(1);
    expect(Array.from(averageLabels(await graphOf(faces)))).toEqual(Array.from(a));
    const reversed = [...faces].reverse();
    const r = averageLabels(await graphOf(reversed));
    expect(clusterScores(Array.from(r), reversed.map((f) => f.person)).bcubedPrecision).toBe(1);
  });

  it('adding faces to a grouped store gives the groups of grouping everything at once', async () => {
    const faces = syntheticFaces(40, 4, 0.55, 11, 64);
    const first = faces.filter((_, i) => i % 4 !== 3);
    const later = faces.filter((_, i) => i % 4 === 3);
    const graph = new FaceGraph({ k: 10, minScore: 0.2 });
    const agg = new AverageLinkage(graph, RULE);
    const s1 = graph.addNodes(first);
    await graph.link(s1, (await indexed(first)).search);
    agg.add(s1);
    agg.run();
    const s2 = graph.addNodes(later);
    await graph.link(s2, (await indexed([...first, ...later])).search);
    agg.add(s2);
    agg.run();
    const byId = new Map([...graph.slots()].map((s) => [graph.ids[s]!, agg.groupOf(s)]));
    const incremental = clusterScores(faces.map((f) => byId.get(f.id)!), faces.map((f) => f.person));
    expect(incremental.bcubedPrecision).toBe(1);
    expect(incremental.bcubedRecall).toBe(1);
  });

  it('removing a face regroups what is left of its group, and only that', async () => {
    const faces = syntheticFaces(10, 4, 0.5, 5, 64);
    const graph = await graphOf(faces);
    const agg = new AverageLinkage(graph, RULE);
    agg.add([...graph.slots()]);
    agg.run();
    expect(agg.groups).toBe(10);
    agg.changed.clear();
    const gone = graph.slot('p3-0')!;
    agg.remove([gone]);
    graph.remove([gone]);
    agg.run();
    expect(agg.groups).toBe(10);
    expect(agg.membersOf(agg.groupOf(graph.slot('p3-1')!))).toHaveLength(3);
    // Only person 3's group was touched.
    const touched = new Set([...agg.changed].filter((k) => agg.membersOf(k).length > 0).flatMap((k) => agg.membersOf(k).map((s) => graph.ids[s]!.split('-')[0])));
    expect([...touched]).toEqual(['p3']);
  });
});

describe('cluster metrics', () => {
  it('BCubed and pairwise figures on a hand-checked example', () => {
    // Truth: a a a b b; predicted: {a a} {a b b}.
    const s = clusterScores([1, 1, 2, 2, 2], ['a', 'a', 'a', 'b', 'b']);
    // Precision per face: 1, 1, 1/3, 2/3, 2/3 -> 11/15. Recall: 2/3, 2/3, 1/3, 1, 1 -> 11/15.
    expect(s.bcubedPrecision).toBeCloseTo(11 / 15);
    expect(s.bcubedRecall).toBeCloseTo(11 / 15);
    // Pairs together: 1 + 3 = 4, right: 1 + 1 = 2; same-person pairs: 3 + 1 = 4.
    expect(s.pairwisePrecision).toBeCloseTo(0.5);
    expect(s.pairwiseRecall).toBeCloseTo(0.5);
    expect(s).toMatchObject({ groups: 2, people: 2, impureGroups: 1 });
    expect(clusterScores([1, 2, 3], ['x', 'y', 'z'])).toMatchObject({ bcubedPrecision: 1, bcubedRecall: 1, pairwisePrecision: 1, pairwiseRecall: 1 });
  });
});
