/**
 * Keeps the k best (highest-score) slots seen so far in a binary min-heap, so a scan over
 * n candidates costs O(n log k) instead of sorting all n.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly slots: Int32Array;
  private count = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.slots = new Int32Array(k);
  }

  /** The score a candidate must beat to enter once the heap is full. */
  get threshold(): number {
    return this.count < this.k ? -Infinity : this.scores[0]!;
  }

  push(score: number, slot: number): void {
    if (this.count < this.k) {
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[i] = this.scores[parent]!;
        this.slots[i] = this.slots[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.slots[i] = slot;
      return;
    }
    if (score <= this.scores[0]!) return;
    this.siftDownFromRoot(score, slot, this.count);
  }

  private siftDownFromRoot(score: number, slot: number, n: number): void {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.scores[right]! < this.scores[left]! ? right : left;
      if (this.scores[child]! >= score) break;
      this.scores[i] = this.scores[child]!;
      this.slots[i] = this.slots[child]!;
      i = child;
    }
    this.scores[i] = score;
    this.slots[i] = slot;
  }

  /** Best first. Empties the heap. */
  drain(): { slot: number; score: number }[] {
    const out = new Array<{ slot: number; score: number }>(this.count);
    while (this.count > 0) {
      const n = --this.count;
      out[n] = { slot: this.slots[0]!, score: this.scores[0]! };
      if (n > 0) this.siftDownFromRoot(this.scores[n]!, this.slots[n]!, n);
    }
    return out;
  }
}
