/**
 * The baseline: every pair of neighbours at or above a cosine threshold is joined, and groups
 * are the connected components (single linkage). One wrong edge joins two children, and a
 * chain of look-alikes can join many: the rule the default is measured against.
 */
import type { FaceGraph } from './face-graph.js';

export class UnionFind {
  private readonly parent: Int32Array;

  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }

  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[x] !== r) {
      const next = this.parent[x]!;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }

  /** Joins the two sets under the smaller root, so labels do not depend on the order of unions. */
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
  }
}

/** Group label per slot (the group's smallest slot), -1 for removed slots. */
export function singleLinkage(graph: FaceGraph, threshold: number): Int32Array {
  const uf = new UnionFind(graph.capacity);
  for (const s of graph.slots()) {
    const out = graph.out[s]!;
    const sc = graph.outScore[s]!;
    for (let i = 0; i < out.length && sc[i]! >= threshold; i++) uf.union(s, out[i]!);
  }
  const labels = new Int32Array(graph.capacity).fill(-1);
  for (const s of graph.slots()) labels[s] = uf.find(s);
  return labels;
}
