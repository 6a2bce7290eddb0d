/**
 * Grouping algorithms measured against the library's default in bench/sightings.ts, on the
 * same kNN graph. Both are whole-store (not incremental) and deterministic.
 */
import type { FaceGraph } from '../../src/sightings/face-graph.js';
import { UnionFind } from '../../src/sightings/single-linkage.js';

/**
 * Chinese whispers (Biemann 2006; dlib's `chinese_whispers`): every face takes the label
 * with the largest summed edge weight among its neighbours, repeated until nothing changes.
 * Edges below `threshold` are dropped; faces are visited in slot order and ties go to the
 * smaller label, so the result is deterministic (the original visits in random order).
 */
export function chineseWhispers(graph: FaceGraph, threshold: number, iterations = 30): Int32Array {
  const labels = new Int32Array(graph.capacity).fill(-1);
  const slots = [...graph.slots()];
  for (const s of slots) labels[s] = s;
  const adj = new Map<number, [number, number][]>();
  for (const s of slots) {
    const e: [number, number][] = [];
    graph.forEachEdge(s, (t, score) => {
      if (score >= threshold) e.push([t, score]);
    });
    adj.set(s, e);
  }
  const weight = new Map<number, number>();
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (const s of slots) {
      const edges = adj.get(s)!;
      if (edges.length === 0) continue;
      weight.clear();
      for (const [t, w] of edges) weight.set(labels[t]!, (weight.get(labels[t]!) ?? 0) + w);
      let best = labels[s]!;
      let bestW = -Infinity;
      for (const [l, w] of weight) {
        if (w > bestW || (w === bestW && l < best)) {
          best = l;
          bestW = w;
        }
      }
      if (best !== labels[s]) {
        labels[s] = best;
        changed++;
      }
    }
    if (changed === 0) break;
  }
  return labels;
}

/**
 * Approximate rank-order clustering (Otto, Wang and Jain, TPAMI 2018): two faces are close
 * when each one's neighbours up to the other are also among the other's neighbours, which
 * needs no global threshold on cosine. D(a,b) = (d(a,b) + d(b,a)) / min(O_a(b), O_b(a)), with
 * O_a(b) the rank of b in a's list and d(a,b) how many of a's first O_a(b) neighbours are
 * missing from b's list; pairs with D below `threshold` are joined transitively. Pairs below
 * `minScore` cosine are not joined at all (a face with no other photo still has neighbours).
 */
export function rankOrder(graph: FaceGraph, threshold: number, minScore: number): Int32Array {
  const k = graph.options.k;
  const lists = new Map<number, Set<number>>();
  for (const s of graph.slots()) lists.set(s, new Set([s, ...graph.out[s]!]));
  const rankOf = (a: number, b: number) => {
    const i = graph.out[a]!.indexOf(b);
    return i < 0 ? k + 1 : i + 1;
  };
  const missing = (a: number, b: number, upTo: number) => {
    const nb = lists.get(b)!;
    const out = graph.out[a]!;
    let d = 0;
    for (let i = 0; i < Math.min(upTo, out.length); i++) if (!nb.has(out[i]!)) d++;
    return d;
  };
  const uf = new UnionFind(graph.capacity);
  for (const a of graph.slots()) {
    const out = graph.out[a]!;
    for (let i = 0; i < out.length; i++) {
      const b = out[i]!;
      if (graph.outScore[a]![i]! < minScore) break;
      const oab = i + 1;
      const oba = rankOf(b, a);
      const dist = (missing(a, b, oab) + missing(b, a, oba)) / Math.min(oab, oba);
      if (dist < threshold) uf.union(a, b);
    }
  }
  const labels = new Int32Array(graph.capacity).fill(-1);
  for (const s of graph.slots()) labels[s] = uf.find(s);
  return labels;
}
