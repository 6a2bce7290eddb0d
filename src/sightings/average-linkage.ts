/**
 * Average-linkage agglomeration on the kNN graph, kept up to date as faces come and go.
 *
 * Two groups merge when the mean cosine over all their cross pairs clears a threshold that
 * depends on their sizes: two single photos must look very alike, two groups of several
 * photos each may merge at a lower mean, because a mean over many pairs is less noisy than
 * one pair. Unlike single linkage, one look-alike pair cannot chain two children together.
 * The mean over all cross pairs is exact and cheap: faces are unit vectors, so it is the dot
 * product of the two groups' vector sums divided by the product of their sizes.
 *
 * Crowding: some faces sit in crowded parts of the embedding space, where even different
 * people score high against each other. Children are the case that matters (the embedder
 * learnt adult faces; young faces look alike to it). Each face's crowd level is its mean
 * cosine to its neighbours beyond the first few (mostly other people); a group's mean cosine
 * is lowered by `crowdWeight` times how far the two groups' crowd level is above
 * `crowdBaseline`, so a pair in a crowd needs more to merge. It only ever raises the bar: in a
 * small store every neighbour is far, and a crowd level below the baseline means nothing.
 *
 * Only groups joined by at least one graph edge are compared. Merges are made best margin
 * first; after each merge the new group's neighbours are re-scored. Adding faces pushes only
 * their own pairs, so an update costs what it touches, not the size of the store.
 */
import type { FaceGraph } from './face-graph.js';
import { PairHeap } from './pair-heap.js';

export interface LinkageRule {
  /** Mean cosine two singles need to merge. */
  pairThreshold: number;
  /** Mean cosine two large groups need; between the two, by sqrt of the mean inverse size. */
  groupThreshold: number;
  /** Weight of the crowd correction (0 = none). */
  crowdWeight?: number;
  /** Crowd level at which the correction is zero. */
  crowdBaseline?: number;
}

/** Neighbours nearer than this rank are left out of a face's crowd level: they may be the same person. */
export const CROWD_FROM_RANK = 5;

/** Reviewer decisions seen by the merge loop (see decisions.ts). */
export interface MergeGuard {
  allows(a: number, b: number): boolean;
  merged(into: number, from: number): void;
  /** The key now names a group formed afresh. */
  reset(key: number): void;
}

export function mergeThreshold(rule: LinkageRule, na: number, nb: number): number {
  return rule.groupThreshold + (rule.pairThreshold - rule.groupThreshold) * Math.sqrt((1 / na + 1 / nb) / 2);
}

export class AverageLinkage {
  /** Slot -> key of its group (a member slot), -1 when the slot is not grouped. */
  private clusterOf: number[] = [];
  private readonly members = new Map<number, number[]>();
  /** Vector sums of groups of two or more (a single face's sum is its vector). */
  private readonly sums = new Map<number, Float32Array>();
  private readonly version = new Map<number, number>();
  /** Crowd level each face contributes now, and each group's sum of them. */
  private readonly crowdOf: number[] = [];
  private readonly crowdSum = new Map<number, number>();
  private readonly heap = new PairHeap();
  guard: MergeGuard | undefined;
  /** Keys of groups formed, changed or dissolved since the caller last cleared it. */
  readonly changed = new Set<number>();

  constructor(
    private readonly graph: FaceGraph,
    readonly rule: LinkageRule,
  ) {}

  groupOf(slot: number): number {
    return this.clusterOf[slot] ?? -1;
  }

  membersOf(key: number): readonly number[] {
    return this.members.get(key) ?? [];
  }

  keys(): IterableIterator<number> {
    return this.members.keys();
  }

  get groups(): number {
    return this.members.size;
  }

  /** Sum of the group's vectors (a single face's own vector: do not modify). */
  sumOf(key: number): Float32Array {
    return this.sums.get(key) ?? this.graph.vectors[key]!;
  }

  /** Mean cosine over all cross pairs of two groups, corrected for crowding. */
  linkage(a: number, b: number): number {
    const sa = this.sumOf(a);
    const sb = this.sumOf(b);
    let s = 0;
    for (let i = 0; i < sa.length; i++) s += sa[i]! * sb[i]!;
    const na = this.members.get(a)!.length;
    const nb = this.members.get(b)!.length;
    const w = this.rule.crowdWeight ?? 0;
    if (w === 0) return s / (na * nb);
    const crowd = (this.crowdSum.get(a)! / na + this.crowdSum.get(b)! / nb) / 2;
    return s / (na * nb) - w * Math.max(0, crowd - (this.rule.crowdBaseline ?? 0));
  }

  /**
   * How firmly each member belongs: its crowd-corrected mean cosine to the rest of the group
   * minus what a single face needs to join a group of that size (negative: it would not have
   * joined on its own; it came in with a group). `toSum` is its dot product with the group's
   * vector sum (the largest is nearest the mean).
   */
  attachment(key: number): { slot: number; toSum: number; margin: number }[] {
    const members = this.members.get(key) ?? [];
    const sum = this.sumOf(key);
    const n = members.length;
    const w = this.rule.crowdWeight ?? 0;
    const total = this.crowdSum.get(key) ?? 0;
    return members.map((s) => {
      const v = this.graph.vectors[s]!;
      let toSum = 0;
      for (let i = 0; i < v.length; i++) toSum += v[i]! * sum[i]!;
      if (n < 2) return { slot: s, toSum, margin: Infinity };
      const own = this.crowdOf[s]!;
      const crowd = (own + (total - own) / (n - 1)) / 2;
      const mean = (toSum - 1) / (n - 1) - w * Math.max(0, crowd - (this.rule.crowdBaseline ?? 0));
      return { slot: s, toSum, margin: mean - mergeThreshold(this.rule, 1, n - 1) };
    });
  }

  /** A face's crowd level from its graph neighbours (the baseline while it has too few). */
  private crowd(s: number): number {
    const sc = this.graph.outScore[s]!;
    if (sc.length <= CROWD_FROM_RANK) return this.rule.crowdBaseline ?? 0;
    let sum = 0;
    for (let i = CROWD_FROM_RANK; i < sc.length; i++) sum += sc[i]!;
    return sum / (sc.length - CROWD_FROM_RANK);
  }

  /** Faces whose neighbour lists changed (a newcomer joined them): their groups' crowd levels follow. */
  updateCrowd(slots: Iterable<number>): void {
    for (const s of slots) {
      const key = this.clusterOf[s];
      if (key === undefined || key < 0) continue;
      const c = this.crowd(s);
      this.crowdSum.set(key, this.crowdSum.get(key)! + c - this.crowdOf[s]!);
      this.crowdOf[s] = c;
    }
  }

  /** New faces start alone; their pairs are offered to the merge loop. Call `run()` after. */
  add(slots: readonly number[]): void {
    for (const s of slots) this.makeSingle(s);
    for (const s of slots) this.graph.forEachEdge(s, (t) => this.offer(this.clusterOf[s]!, this.clusterOf[t] ?? -1));
  }

  private makeSingle(s: number): void {
    this.clusterOf[s] = s;
    this.members.set(s, [s]);
    this.sums.delete(s);
    this.crowdOf[s] = this.crowd(s);
    this.crowdSum.set(s, this.crowdOf[s]!);
    this.version.set(s, (this.version.get(s) ?? 0) + 1);
    this.changed.add(s);
    this.guard?.reset(s);
  }

  /**
   * Takes faces out. What is left of each group they were in is split into single faces and
   * regrouped (with its neighbours), so a group never keeps a member only through a face that
   * is gone. Returns the keys of the groups that were dissolved.
   */
  remove(slots: readonly number[]): number[] {
    const gone = new Set(slots);
    const touched = new Set<number>();
    for (const s of slots) {
      const key = this.clusterOf[s];
      if (key !== undefined && key >= 0) touched.add(key);
    }
    const rest: number[] = [];
    for (const key of touched) {
      for (const m of this.members.get(key)!) if (!gone.has(m)) rest.push(m);
      this.drop(key);
    }
    for (const s of slots) this.clusterOf[s] = -1;
    this.add(rest);
    return [...touched];
  }

  private drop(key: number): void {
    this.members.delete(key);
    this.sums.delete(key);
    this.crowdSum.delete(key);
    this.version.set(key, (this.version.get(key) ?? 0) + 1);
    this.changed.add(key);
  }

  /** Pushes the pair when it may merge now; pairs below threshold wait for one side to change. */
  private offer(a: number, b: number): void {
    if (a === b || a < 0 || b < 0) return;
    const na = this.members.get(a)!.length;
    const nb = this.members.get(b)!.length;
    const margin = this.linkage(a, b) - mergeThreshold(this.rule, na, nb);
    if (margin < 0) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    this.heap.push({ priority: margin, a: x, b: y, va: this.version.get(x)!, vb: this.version.get(y)! });
  }

  /** Forgets the merges waiting to be made (a restored grouping is kept as saved). */
  discardPending(): void {
    this.heap.clear();
  }

  /** Merges while any pair clears its threshold. */
  run(): void {
    for (let e = this.heap.pop(); e; e = this.heap.pop()) {
      if (this.version.get(e.a) !== e.va || this.version.get(e.b) !== e.vb) continue;
      if (!this.members.has(e.a) || !this.members.has(e.b)) continue;
      if (this.guard && !this.guard.allows(e.a, e.b)) continue;
      this.reoffer(this.merge(e.a, e.b));
    }
  }

  /** Joins two groups whatever their score (a reviewer's merge); returns the surviving key. */
  merge(a: number, b: number): number {
    const ma = this.members.get(a)!;
    const mb = this.members.get(b)!;
    // The larger group keeps its key (fewer relabels); equal sizes keep the smaller key.
    const [into, from] = ma.length > mb.length || (ma.length === mb.length && a < b) ? [a, b] : [b, a];
    const mi = this.members.get(into)!;
    const mf = this.members.get(from)!;
    const sum = Float32Array.from(this.sumOf(into));
    const other = this.sumOf(from);
    for (let i = 0; i < sum.length; i++) sum[i]! += other[i]!;
    for (const m of mf) {
      this.clusterOf[m] = into;
      mi.push(m);
    }
    this.sums.set(into, sum);
    this.crowdSum.set(into, this.crowdSum.get(into)! + this.crowdSum.get(from)!);
    this.drop(from);
    this.version.set(into, this.version.get(into)! + 1);
    this.changed.add(into);
    this.guard?.merged(into, from);
    return into;
  }

  /** Re-scores a changed group against every group it has an edge to. */
  reoffer(key: number): void {
    const seen = new Set<number>();
    for (const m of this.members.get(key)!) {
      this.graph.forEachEdge(m, (t) => {
        const other = this.clusterOf[t];
        if (other === undefined || other < 0 || other === key || seen.has(other)) return;
        seen.add(other);
        this.offer(key, other);
      });
    }
  }
}
