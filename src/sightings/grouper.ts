/**
 * Groups of faces that look like one person, kept up to date as faces are added and removed,
 * with stable group ids and the reviewer's corrections. Platform-independent: it sees faces as
 * ids and unit vectors, and the store's index only through a k-nearest-neighbour search.
 */
import { AverageLinkage, type LinkageRule } from './average-linkage.js';
import { ReviewerDecisions, type ClusterGuard, type DecisionsState } from './decisions.js';
import { FaceGraph, type KnnSearch } from './face-graph.js';
import { stableGroupIds } from './group-ids.js';

export interface GrouperOptions extends LinkageRule {
  /** Neighbours per face in the graph. */
  k: number;
  /** A face of a group of 3 or more is an outlier when its attachment margin is below this (see AverageLinkage.attachment). */
  outlierMargin: number;
}

export interface GroupFace {
  faceId: string;
  outlier: boolean;
}

export interface GroupView {
  groupId: string;
  /** In the order the faces were added. */
  faces: GroupFace[];
  /** The face nearest the group's mean. */
  representative: string;
}

export interface GrouperState {
  nextGroup: number;
  /** Face id -> group id at save time, so ids survive a round trip. */
  groupOf: Record<string, string>;
  decisions: DecisionsState;
}

export class SightingGrouper {
  /** Replaced when a regroup changes k. */
  graph: FaceGraph;
  private agg: AverageLinkage;
  private decisions: ReviewerDecisions;
  private guard: ClusterGuard;
  /** Slot -> group id it had at the last labelling ('' for none yet). */
  private readonly idOfSlot: string[] = [];
  private readonly idOfKey = new Map<number, string>();
  private readonly keyOfId = new Map<string, number>();
  private nextGroup = 1;

  constructor(
    private options: GrouperOptions,
    state?: GrouperState,
  ) {
    this.graph = new FaceGraph({ k: options.k, minScore: -1 });
    this.decisions = ReviewerDecisions.from(state?.decisions);
    this.nextGroup = state?.nextGroup ?? 1;
    this.pendingIds = state?.groupOf;
    [this.agg, this.guard] = this.fresh();
  }

  /** Group ids read from a saved file, applied to faces as they are added back. */
  private pendingIds: Record<string, string> | undefined;

  get rule(): GrouperOptions {
    return { ...this.options };
  }

  private fresh(): [AverageLinkage, ClusterGuard] {
    const agg = new AverageLinkage(this.graph, this.options);
    const guard = this.decisions.guard((s) => this.graph.ids[s]!, (key) => agg.membersOf(key));
    agg.guard = guard;
    return [agg, guard];
  }

  /** Adds faces (already in the index `search` reads) and regroups what they touch. */
  async add(faces: readonly { id: string; vector: Float32Array }[], search: KnnSearch): Promise<void> {
    const slots = this.graph.addNodes(faces);
    for (const s of slots) this.idOfSlot[s] = this.pendingIds?.[this.graph.ids[s]!] ?? '';
    const touched = await this.graph.link(slots, search);
    this.agg.updateCrowd(touched);
    this.agg.add(slots);
    this.enforceTogether(slots);
    this.agg.run();
  }

  /**
   * Brings back a saved store: the faces are linked afresh, but each saved group is restored as
   * it was (not regrouped), so a round trip keeps the groups a reviewer saw.
   */
  async restore(faces: readonly { id: string; vector: Float32Array }[], search: KnnSearch): Promise<void> {
    const slots = this.graph.addNodes(faces);
    const saved = new Map<string, number[]>();
    for (const s of slots) {
      const id = this.pendingIds?.[this.graph.ids[s]!] ?? '';
      this.idOfSlot[s] = id;
      if (id) saved.set(id, [...(saved.get(id) ?? []), s]);
    }
    this.pendingIds = undefined;
    await this.graph.link(slots, search);
    this.agg.add(slots);
    for (const members of saved.values()) {
      let key = this.agg.groupOf(members[0]!);
      for (const m of members.slice(1)) key = this.agg.merge(key, this.agg.groupOf(m));
    }
    this.enforceTogether(slots);
    this.agg.discardPending();
  }

  /** Removes faces; what is left of their groups is regrouped. */
  remove(faceIds: readonly string[]): void {
    const slots = faceIds.map((id) => this.graph.slot(id)).filter((s): s is number => s !== undefined);
    if (slots.length === 0) return;
    const touched = this.agg.remove(slots);
    this.graph.remove(slots);
    this.decisions.forget(faceIds);
    this.rebuildGuard();
    void touched;
    this.enforceTogether([...this.graph.slots()].filter((s) => this.agg.changed.has(this.agg.groupOf(s))));
    this.agg.run();
  }

  /** Regroups every face from scratch, with new options if given (the graph is kept when k is unchanged). */
  async regroup(search: KnnSearch, options?: GrouperOptions): Promise<void> {
    this.labelGroups();
    if (options) {
      const relink = options.k !== this.options.k;
      this.options = { ...options };
      if (relink) {
        const faces = [...this.graph.slots()].map((s) => ({ id: this.graph.ids[s]!, vector: this.graph.vectors[s]! }));
        const ids = Object.fromEntries([...this.graph.slots()].map((s) => [this.graph.ids[s]!, this.idOfSlot[s]!]));
        this.graph = new FaceGraph({ k: options.k, minScore: -1 });
        this.idOfSlot.length = 0;
        this.idOfKey.clear();
        this.keyOfId.clear();
        this.pendingIds = ids;
        [this.agg, this.guard] = this.fresh();
        await this.add(faces, search);
        return;
      }
    }
    [this.agg, this.guard] = this.fresh();
    this.idOfKey.clear();
    this.keyOfId.clear();
    const all = [...this.graph.slots()];
    this.agg.add(all);
    this.enforceTogether(all);
    this.agg.run();
  }

  private rebuildGuard(): void {
    this.guard = this.decisions.guard((s) => this.graph.ids[s]!, (key) => this.agg.membersOf(key));
    this.agg.guard = this.guard;
  }

  /** Joins the groups of faces a reviewer put together, for decisions touching `slots`. */
  private enforceTogether(slots: readonly number[]): void {
    if (this.decisions.empty || slots.length === 0) return;
    const named = new Set(slots.map((s) => this.graph.ids[s]!));
    for (const set of this.decisions.togetherSets()) {
      if (![...set].some((f) => named.has(f))) continue;
      let key = -1;
      for (const f of set) {
        const s = this.graph.slot(f);
        if (s === undefined) continue;
        const k = this.agg.groupOf(s);
        if (key < 0) key = k;
        else if (k !== key) key = this.agg.merge(key, k);
      }
      if (key >= 0) this.agg.reoffer(key);
    }
  }

  /** Current group id of a face, or undefined when the face is not in the store. */
  groupOfFace(faceId: string): string | undefined {
    const s = this.graph.slot(faceId);
    if (s === undefined) return undefined;
    this.labelGroups();
    return this.idOfKey.get(this.agg.groupOf(s));
  }

  /** Face ids of a group, or undefined for an id that names no current group. */
  facesOf(groupId: string): string[] | undefined {
    this.labelGroups();
    const key = this.keyOfId.get(groupId);
    if (key === undefined) return undefined;
    return [...this.agg.membersOf(key)].sort((a, b) => a - b).map((s) => this.graph.ids[s]!);
  }

  /** Moves `faceIds` (all in `groupId`) into a group of their own that later grouping keeps apart. */
  split(groupId: string, faceIds: readonly string[]): string {
    const all = this.facesOf(groupId)!;
    const s = new Set(faceIds);
    this.decisions.split(faceIds, all.filter((f) => !s.has(f)));
    // The faces split out must not take the old id with them, even when they are the majority.
    for (const f of faceIds) this.idOfSlot[this.graph.slot(f)!] = '';
    this.reform(all);
    return this.groupOfFace(faceIds[0]!)!;
  }

  /** Joins two groups for good; returns the merged group's id. */
  merge(a: string, b: string): string {
    const faces = [...this.facesOf(a)!, ...this.facesOf(b)!];
    this.decisions.merge(faces);
    this.reform(faces);
    return this.groupOfFace(faces[0]!)!;
  }

  /** Splits the groups of `faceIds` into single faces and regroups them under the current decisions. */
  private reform(faceIds: readonly string[]): void {
    this.labelGroups();
    const slots = faceIds.map((f) => this.graph.slot(f)!);
    this.agg.remove(slots);
    this.rebuildGuard();
    this.agg.add(slots);
    this.enforceTogether([...this.graph.slots()].filter((s) => this.agg.changed.has(this.agg.groupOf(s))));
    this.agg.run();
  }

  /** Gives every group changed since the last call a stable id (see group-ids.ts). */
  private labelGroups(): void {
    if (this.agg.changed.size === 0) return;
    const changed = [...this.agg.changed].sort((a, b) => a - b);
    this.agg.changed.clear();
    for (const key of changed) {
      const id = this.idOfKey.get(key);
      if (id !== undefined) {
        this.idOfKey.delete(key);
        if (this.keyOfId.get(id) === key) this.keyOfId.delete(id);
      }
    }
    const live = changed.filter((k) => this.agg.membersOf(k).length > 0);
    const { ids, next } = stableGroupIds(
      live.map((k) => this.agg.membersOf(k).map((s) => this.idOfSlot[s]!)),
      this.nextGroup,
      (id) => this.keyOfId.has(id),
    );
    this.nextGroup = next;
    live.forEach((key, i) => {
      const id = ids[i]!;
      this.idOfKey.set(key, id);
      this.keyOfId.set(id, key);
      for (const s of this.agg.membersOf(key)) this.idOfSlot[s] = id;
    });
  }

  /** Every group, singles included, ordered by their first face. */
  groups(): GroupView[] {
    this.labelGroups();
    const out: { first: number; view: GroupView }[] = [];
    for (const key of this.agg.keys()) {
      const members = [...this.agg.membersOf(key)].sort((a, b) => a - b);
      out.push({ first: members[0]!, view: this.view(key, members) });
    }
    return out.sort((a, b) => a.first - b.first).map((o) => o.view);
  }

  private view(key: number, members: number[]): GroupView {
    const bySlot = new Map(this.agg.attachment(key).map((a) => [a.slot, a]));
    const n = members.length;
    let best = members[0]!;
    for (const s of members) if (bySlot.get(s)!.toSum > bySlot.get(best)!.toSum) best = s;
    const faces = members.map((s) => ({ faceId: this.graph.ids[s]!, outlier: n >= 3 && bySlot.get(s)!.margin < this.options.outlierMargin }));
    return { groupId: this.idOfKey.get(key)!, faces, representative: this.graph.ids[best]! };
  }

  /** Labels for every slot (bench and tests): the group key, -1 for removed slots. */
  labels(): Int32Array {
    const out = new Int32Array(this.graph.capacity).fill(-1);
    for (const s of this.graph.slots()) out[s] = this.agg.groupOf(s);
    return out;
  }

  toJSON(): GrouperState {
    this.labelGroups();
    const groupOf: Record<string, string> = {};
    for (const s of this.graph.slots()) groupOf[this.graph.ids[s]!] = this.idOfSlot[s]!;
    return { nextGroup: this.nextGroup, groupOf, decisions: this.decisions.toJSON() };
  }
}
