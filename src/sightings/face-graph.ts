/**
 * The sightings' k-nearest-neighbour graph: every face keeps its k best neighbours (ranked,
 * with cosine scores) as its own search returned them, plus who lists it. Grouping reads
 * only this graph and the vectors, so it scales with the store instead of comparing every
 * pair, and any `Index` (flat, HNSW, pgvector) can serve the searches.
 */
import type { Index } from '../indexes/index.js';

export interface Neighbour {
  id: string;
  /** Cosine similarity. */
  score: number;
}

/** Nearest stored faces to a vector, best first; the face itself may be among them. */
export type KnnSearch = (vector: Float32Array, k: number) => Promise<Neighbour[]>;

export function knnFromIndex(index: Index): KnnSearch {
  return async (vector, k) => (await index.search(vector, k)).map((h) => ({ id: h.id, score: h.score }));
}

export interface GraphOptions {
  /** Neighbours kept per face. */
  k: number;
  /** Neighbours scoring below this are not kept: no grouping rule would use them. */
  minScore: number;
}

export class FaceGraph {
  /** Slot -> face id; '' for a removed slot (slots are not reused, so labels stay stable). */
  readonly ids: string[] = [];
  readonly vectors: (Float32Array | undefined)[] = [];
  /** Ranked neighbours (slots) and their scores, best first, at most k. */
  readonly out: number[][] = [];
  readonly outScore: number[][] = [];
  /** Slots whose `out` lists this slot. */
  readonly inn: Set<number>[] = [];
  private readonly slotOf = new Map<string, number>();
  private alive = 0;

  constructor(readonly options: GraphOptions) {}

  get size(): number {
    return this.alive;
  }

  /** Slots ever allocated (removed ones included): the length of per-slot arrays. */
  get capacity(): number {
    return this.ids.length;
  }

  slot(id: string): number | undefined {
    return this.slotOf.get(id);
  }

  has(slot: number): boolean {
    return this.vectors[slot] !== undefined;
  }

  *slots(): Iterable<number> {
    for (let s = 0; s < this.ids.length; s++) if (this.vectors[s]) yield s;
  }

  /** Adds faces without neighbours yet; `link` them once the index can find them. */
  addNodes(faces: readonly { id: string; vector: Float32Array }[]): number[] {
    return faces.map(({ id, vector }) => {
      if (this.slotOf.has(id)) throw new RangeError(`face ${id} is already in the graph`);
      const s = this.ids.length;
      this.ids.push(id);
      this.vectors.push(vector);
      this.out.push([]);
      this.outScore.push([]);
      this.inn.push(new Set());
      this.slotOf.set(id, s);
      this.alive++;
      return s;
    });
  }

  /**
   * Finds the neighbours of each given slot with `search` (which must already see every face
   * of the graph), and offers each new face to its neighbours' own lists, so an older face
   * learns of a nearer newcomer without being searched again. Returns the other faces whose
   * lists changed.
   */
  async link(slots: readonly number[], search: KnnSearch): Promise<Set<number>> {
    const changed = new Set<number>();
    const { k, minScore } = this.options;
    for (const s of slots) {
      const hits = await search(this.vectors[s]!, k + 1);
      const out: number[] = [];
      const scores: number[] = [];
      for (const h of hits) {
        const t = this.slotOf.get(h.id);
        if (t === undefined || t === s || !this.vectors[t] || h.score < minScore) continue;
        if (out.length === k) break;
        out.push(t);
        scores.push(h.score);
      }
      this.setOut(s, out, scores);
      for (let i = 0; i < out.length; i++) if (this.offer(out[i]!, s, scores[i]!)) changed.add(out[i]!);
    }
    for (const s of slots) changed.delete(s);
    return changed;
  }

  private setOut(s: number, out: number[], scores: number[]): void {
    for (const t of this.out[s]!) this.inn[t]!.delete(s);
    this.out[s] = out;
    this.outScore[s] = scores;
    for (const t of out) this.inn[t]!.add(s);
  }

  /** Puts `t` into `s`'s ranked list when it beats the last (the list keeps at most k); true if it did. */
  private offer(s: number, t: number, score: number): boolean {
    const out = this.out[s]!;
    const sc = this.outScore[s]!;
    if (out.includes(t)) return false;
    const k = this.options.k;
    if (out.length === k && score <= sc[k - 1]!) return false;
    let i = out.length;
    while (i > 0 && sc[i - 1]! < score) i--;
    out.splice(i, 0, t);
    sc.splice(i, 0, score);
    this.inn[t]!.add(s);
    if (out.length > k) {
      const dropped = out.pop()!;
      sc.pop();
      this.inn[dropped]!.delete(s);
    }
    return true;
  }

  /** Removes faces; their neighbours' lists shrink (they are not searched again). */
  remove(slots: readonly number[]): void {
    for (const s of slots) {
      if (!this.vectors[s]) continue;
      for (const t of this.inn[s]!) {
        const i = this.out[t]!.indexOf(s);
        if (i >= 0) {
          this.out[t]!.splice(i, 1);
          this.outScore[t]!.splice(i, 1);
        }
      }
      for (const t of this.out[s]!) this.inn[t]!.delete(s);
      this.slotOf.delete(this.ids[s]!);
      this.ids[s] = '';
      this.vectors[s] = undefined;
      this.out[s] = [];
      this.outScore[s] = [];
      this.inn[s] = new Set();
      this.alive--;
    }
  }

  /** Every neighbour of `s` in either direction, with the pair's score. */
  forEachEdge(s: number, fn: (t: number, score: number) => void): void {
    const out = this.out[s]!;
    const sc = this.outScore[s]!;
    for (let i = 0; i < out.length; i++) fn(out[i]!, sc[i]!);
    for (const t of this.inn[s]!) {
      // Listed both ways: already visited above.
      const j = this.out[t]!.indexOf(s);
      if (out.includes(t)) continue;
      fn(t, this.outScore[t]![j]!);
    }
  }
}
