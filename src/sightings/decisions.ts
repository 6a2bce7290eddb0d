/**
 * A reviewer's corrections to the grouping, kept by face id so they survive regrouping,
 * new photos and a save/load round trip:
 * - `together`: faces the reviewer put in one group (a merge, or the faces split out);
 * - `apart`: two sets of faces the reviewer separated; no group may hold faces of both.
 * The latest decision wins: merging faces that an earlier split had separated lifts that part
 * of the split, and splitting faces out of a merged group lifts that part of the merge.
 */
import type { MergeGuard } from './average-linkage.js';

export interface DecisionsState {
  together: string[][];
  apart: [string[], string[]][];
}

export class ReviewerDecisions {
  private together: Set<string>[] = [];
  private apart: [Set<string>, Set<string>][] = [];

  static from(state: DecisionsState | undefined): ReviewerDecisions {
    const d = new ReviewerDecisions();
    for (const t of state?.together ?? []) if (t.length > 1) d.together.push(new Set(t));
    for (const [a, b] of state?.apart ?? []) if (a.length && b.length) d.apart.push([new Set(a), new Set(b)]);
    return d;
  }

  toJSON(): DecisionsState {
    return { together: this.together.map((t) => [...t]), apart: this.apart.map(([a, b]) => [[...a], [...b]]) };
  }

  get empty(): boolean {
    return this.together.length === 0 && this.apart.length === 0;
  }

  /** Every face named in a decision (so regrouping can find the groups they touch). */
  faces(): Set<string> {
    const out = new Set<string>();
    for (const t of this.together) for (const f of t) out.add(f);
    for (const [a, b] of this.apart) for (const f of [...a, ...b]) out.add(f);
    return out;
  }

  /** Sets of faces that must share a group. */
  togetherSets(): readonly ReadonlySet<string>[] {
    return this.together;
  }

  /** `faces` become one group and stay apart from `rest` (the remainder of their old group). */
  split(faces: readonly string[], rest: readonly string[]): void {
    const s = new Set(faces);
    // Lift earlier merges across the cut: each side keeps its own part.
    const next: Set<string>[] = [];
    for (const t of this.together) {
      const inside = [...t].filter((f) => s.has(f));
      const outside = [...t].filter((f) => !s.has(f));
      if (inside.length > 1) next.push(new Set(inside));
      if (outside.length > 1) next.push(new Set(outside));
    }
    this.together = next;
    this.join(faces);
    if (faces.length && rest.length) this.apart.push([new Set(faces), new Set(rest)]);
  }

  /** Every one of `faces` in one group from now on. */
  merge(faces: readonly string[]): void {
    const x = new Set(faces);
    for (const rec of this.apart) {
      const [a, b] = rec;
      if ([...a].some((f) => x.has(f)) && [...b].some((f) => x.has(f))) {
        for (const f of x) {
          a.delete(f);
          b.delete(f);
        }
      }
    }
    this.apart = this.apart.filter(([a, b]) => a.size > 0 && b.size > 0);
    this.join(faces);
  }

  private join(faces: readonly string[]): void {
    if (faces.length < 2) return;
    const x = new Set(faces);
    const keep: Set<string>[] = [];
    for (const t of this.together) {
      if ([...t].some((f) => x.has(f))) for (const f of t) x.add(f);
      else keep.push(t);
    }
    keep.push(x);
    this.together = keep;
  }

  /** Forgets faces that left the store. */
  forget(faces: Iterable<string>): void {
    const gone = new Set(faces);
    for (const t of this.together) for (const f of gone) t.delete(f);
    for (const [a, b] of this.apart) {
      for (const f of gone) {
        a.delete(f);
        b.delete(f);
      }
    }
    this.together = this.together.filter((t) => t.size > 1);
    this.apart = this.apart.filter(([a, b]) => a.size > 0 && b.size > 0);
  }

  /**
   * A guard for the merge loop: each group carries, per `apart` decision, which sides its
   * faces are on; two groups may merge unless together they would hold both sides of one.
   */
  guard(faceOf: (slot: number) => string, membersOf: (key: number) => readonly number[]): ClusterGuard {
    const sides = new Map<string, Map<number, number>>();
    this.apart.forEach(([a, b], r) => {
      for (const f of a) sides.set(f, new Map([...(sides.get(f) ?? []), [r, 1]]));
      for (const f of b) sides.set(f, new Map([...(sides.get(f) ?? []), [r, (sides.get(f)?.get(r) ?? 0) | 2]]));
    });
    return new ClusterGuard(sides, faceOf, membersOf);
  }
}

export class ClusterGuard implements MergeGuard {
  /** Group key -> (decision -> side bits); only groups holding a face named in a decision. */
  private readonly byGroup = new Map<number, Map<number, number>>();

  constructor(
    private readonly sides: Map<string, Map<number, number>>,
    private readonly faceOf: (slot: number) => string,
    private readonly membersOf: (key: number) => readonly number[],
  ) {}

  private bits(key: number): Map<number, number> {
    let m = this.byGroup.get(key);
    if (m) return m;
    m = new Map();
    for (const s of this.membersOf(key)) {
      const own = this.sides.get(this.faceOf(s));
      if (own) for (const [r, b] of own) m.set(r, (m.get(r) ?? 0) | b);
    }
    this.byGroup.set(key, m);
    return m;
  }

  allows(a: number, b: number): boolean {
    if (this.sides.size === 0) return true;
    const ma = this.bits(a);
    const mb = this.bits(b);
    for (const [r, bits] of ma) if (((mb.get(r) ?? 0) | bits) === 3) return false;
    return true;
  }

  merged(into: number, from: number): void {
    if (this.sides.size === 0) return;
    const a = this.byGroup.get(into);
    const b = this.byGroup.get(from);
    this.byGroup.delete(from);
    // Both known: the union is the merged group's; otherwise recount its members on next use.
    if (a && b) for (const [r, bits] of b) a.set(r, (a.get(r) ?? 0) | bits);
    else this.byGroup.delete(into);
  }

  /** A group was formed afresh (e.g. after a removal): forget what was cached for its key. */
  reset(key: number): void {
    this.byGroup.delete(key);
  }
}
