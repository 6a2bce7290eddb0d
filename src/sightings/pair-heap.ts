/**
 * Max-heap of candidate merges (cluster a, cluster b, priority) with the clusters' versions at
 * push time, so entries made stale by a later merge are skipped when popped instead of being
 * searched for and deleted. Equal priorities pop in (a, b) order, so grouping is deterministic.
 */
export interface PairEntry {
  priority: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}

function before(x: PairEntry, y: PairEntry): boolean {
  if (x.priority !== y.priority) return x.priority > y.priority;
  if (x.a !== y.a) return x.a < y.a;
  return x.b < y.b;
}

export class PairHeap {
  private readonly items: PairEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  push(e: PairEntry): void {
    const h = this.items;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  pop(): PairEntry | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}
