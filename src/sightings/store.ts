/**
 * The sightings store: street photos, their faces, and the groups of faces that look like one
 * child, beside the cases gallery. The Matcher embeds the photo and hands the faces here; this
 * class keeps the records, its own vector index (so grouping never searches the cases), and
 * the grouping. Every mutation is serialised, so concurrent calls cannot interleave.
 */
import { MatcherError } from '../core/errors.js';
import type { FaceQuality } from '../core/quality.js';
import type { Box, Face } from '../core/types.js';
import type { Index, Metadata } from '../indexes/index.js';
import { faceId, type SightingRecord, type SightingsState } from '../gallery/sightings-section.js';
import { knnFromIndex } from './face-graph.js';
import { SightingGrouper } from './grouper.js';
import { groupingOptionsSchema, type GroupingOptions, type ResolvedGroupingOptions } from './options.js';

export interface FaceRef {
  sightingId: string;
  /** Position of the face in the sighting, largest first (as `detect` orders them). */
  faceIndex: number;
}

export interface GroupedFace extends FaceRef {
  box: Box;
  quality?: FaceQuality;
  /** The sighting's metadata (takenAt, place, source and the caller's own fields). */
  metadata: Metadata;
  /** Far from the rest of its group: worth a reviewer's look (see splitGroup). */
  outlier: boolean;
}

export interface SightingGroup {
  groupId: string;
  faces: GroupedFace[];
  /** The face nearest the group's mean. */
  representative: FaceRef;
}

export interface AddedSighting {
  sightingId: string;
  faces: Face[];
}

export class SightingStore {
  private readonly records = new Map<string, SightingRecord>();
  private grouper: SightingGrouper;
  private options: ResolvedGroupingOptions;
  private chain: Promise<unknown> = Promise.resolve();
  private faceCount = 0;

  constructor(
    private readonly index: Index,
    options: ResolvedGroupingOptions,
  ) {
    this.options = options;
    this.grouper = new SightingGrouper(options);
  }

  /** Sightings (photos) in the store. */
  get size(): number {
    return this.records.size;
  }

  /** Faces over all sightings. */
  get faces(): number {
    return this.faceCount;
  }

  has(sightingId: string): boolean {
    return this.records.has(sightingId);
  }

  /** Runs mutations one at a time, in call order. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Adds a photo's faces (unit embeddings) and regroups what they touch. `stillWanted` is
   * called before anything is committed and again after the index write, which is undone when
   * the caller has given up (timeout, dispose).
   */
  add(record: SightingRecord, stillWanted: () => void): Promise<void> {
    return this.exclusive(async () => {
      if (this.records.has(record.sightingId)) throw new MatcherError('INVALID_ARGUMENT', `sighting ${record.sightingId} is already in the store`);
      stillWanted();
      const entries = record.faces.map((f, i) => ({ id: faceId(record.sightingId, i), vector: f.vector }));
      await this.index.add(entries);
      try {
        stillWanted();
      } catch (e) {
        await this.index.remove(entries.map((e) => e.id)).catch(() => undefined);
        throw e;
      }
      this.records.set(record.sightingId, record);
      this.faceCount += record.faces.length;
      await this.grouper.add(entries, knnFromIndex(this.index));
    });
  }

  /** Removes a sighting and its faces; their groups are regrouped. Returns the number of faces removed. */
  remove(sightingId: string): Promise<number> {
    return this.exclusive(async () => {
      const rec = this.record(sightingId);
      const ids = rec.faces.map((_, i) => faceId(sightingId, i));
      await this.index.remove(ids);
      this.grouper.remove(ids);
      this.records.delete(sightingId);
      this.faceCount -= rec.faces.length;
      return rec.faces.length;
    });
  }

  private record(sightingId: string): SightingRecord {
    if (typeof sightingId !== 'string') throw new MatcherError('INVALID_ARGUMENT', `sightingId must be a string (got ${typeof sightingId})`);
    const rec = this.records.get(sightingId);
    if (!rec) throw new MatcherError('SIGHTING_NOT_FOUND', `no sighting ${JSON.stringify(sightingId)} in the store`);
    return rec;
  }

  /** Every group (single faces included), regrouping everything first when `options` change the rule. */
  groups(options?: GroupingOptions): Promise<SightingGroup[]> {
    return this.exclusive(async () => {
      if (options !== undefined) {
        const parsed = groupingOptionsSchema.safeParse({ ...this.options, ...options });
        if (!parsed.success) throw new MatcherError('INVALID_OPTIONS', `grouping options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
        if (JSON.stringify(parsed.data) !== JSON.stringify(this.options)) {
          this.options = parsed.data;
          await this.grouper.regroup(knnFromIndex(this.index), parsed.data);
        }
      }
      return this.grouper.groups().map((g) => this.view(g.groupId, g.faces, g.representative));
    });
  }

  private facesOf(groupId: string): string[] {
    if (typeof groupId !== 'string') throw new MatcherError('INVALID_ARGUMENT', `groupId must be a string (got ${typeof groupId})`);
    const faces = this.grouper.facesOf(groupId);
    if (!faces) {
      throw new MatcherError('GROUP_NOT_FOUND', `no group ${JSON.stringify(groupId)}: groups change as sightings are added and removed; call groupSightings() for the current ids`);
    }
    return faces;
  }

  private ref(id: string): FaceRef {
    const cut = id.lastIndexOf('#');
    return { sightingId: id.slice(0, cut), faceIndex: Number(id.slice(cut + 1)) };
  }

  private view(groupId: string, faces: readonly { faceId: string; outlier: boolean }[], representative: string): SightingGroup {
    return {
      groupId,
      faces: faces.map((f) => {
        const ref = this.ref(f.faceId);
        const rec = this.records.get(ref.sightingId)!;
        const face = rec.faces[ref.faceIndex]!;
        return { ...ref, box: { ...face.box }, ...(face.quality ? { quality: face.quality } : {}), metadata: { ...rec.metadata }, outlier: f.outlier };
      }),
      representative: this.ref(representative),
    };
  }

  /** Embeddings and qualities of a group's faces (for searching the cases with them). */
  groupFaces(groupId: string): { embedding: Float32Array; quality?: FaceQuality }[] {
    return this.facesOf(groupId).map((id) => {
      const ref = this.ref(id);
      const face = this.records.get(ref.sightingId)!.faces[ref.faceIndex]!;
      return { embedding: face.vector, ...(face.quality ? { quality: face.quality } : {}) };
    });
  }

  /** Moves faces of a group into a new group that later grouping keeps apart; returns its id. */
  split(groupId: string, faces: readonly FaceRef[]): Promise<string> {
    return this.exclusive(async () => {
      const members = new Set(this.facesOf(groupId));
      if (!Array.isArray(faces) || faces.length === 0) throw new MatcherError('INVALID_ARGUMENT', 'splitGroup needs at least one face');
      const ids = faces.map((f) => this.faceIdOf(f));
      const outside = ids.find((id) => !members.has(id));
      if (outside) throw new MatcherError('FACE_NOT_FOUND', `face ${outside} is not in group ${groupId}`);
      if (new Set(ids).size === members.size) throw new MatcherError('INVALID_ARGUMENT', `splitGroup would move every face of ${groupId}: name the faces that are a different child`);
      return this.grouper.split(groupId, [...new Set(ids)]);
    });
  }

  /** Joins two groups for good; returns the merged group's id. */
  merge(a: string, b: string): Promise<string> {
    return this.exclusive(async () => {
      this.facesOf(a);
      this.facesOf(b);
      if (a === b) return a;
      return this.grouper.merge(a, b);
    });
  }

  private faceIdOf(f: FaceRef): string {
    if (typeof f !== 'object' || f === null || typeof f.sightingId !== 'string' || !Number.isInteger(f.faceIndex)) {
      throw new MatcherError('INVALID_ARGUMENT', 'a face is { sightingId: string, faceIndex: integer }');
    }
    const rec = this.records.get(f.sightingId);
    if (!rec || f.faceIndex < 0 || f.faceIndex >= rec.faces.length) throw new MatcherError('FACE_NOT_FOUND', `no face ${f.faceIndex} in sighting ${JSON.stringify(f.sightingId)}`);
    return faceId(f.sightingId, f.faceIndex);
  }

  /** The store as plain data, for the gallery file. */
  export(): SightingsState {
    const { nextGroup, groupOf, decisions } = this.grouper.toJSON();
    return { sightings: [...this.records.values()], grouping: { options: { ...this.options }, nextGroup, groupOf, decisions } };
  }

  /** Empties the store (an import undone). */
  clear(): Promise<void> {
    return this.exclusive(async () => {
      const ids = [...this.records.values()].flatMap((r) => r.faces.map((_, i) => faceId(r.sightingId, i)));
      await this.index.remove(ids);
      this.records.clear();
      this.faceCount = 0;
      this.grouper = new SightingGrouper(this.options);
    });
  }

  /** Adds a saved store's sightings with their groups and decisions; the store must be empty. */
  import(state: SightingsState): Promise<void> {
    return this.exclusive(async () => {
      if (this.records.size > 0) throw new MatcherError('GALLERY_INVALID', 'sightings can only be loaded into a matcher without sightings');
      const entries = state.sightings.flatMap((s) => s.faces.map((f, i) => ({ id: faceId(s.sightingId, i), vector: f.vector })));
      const grouper = new SightingGrouper(state.grouping.options, state.grouping);
      await this.index.add(entries);
      try {
        await grouper.restore(entries, knnFromIndex(this.index));
      } catch (e) {
        await this.index.remove(entries.map((e) => e.id)).catch(() => undefined);
        throw e;
      }
      this.options = state.grouping.options;
      this.grouper = grouper;
      for (const s of state.sightings) this.records.set(s.sightingId, s);
      this.faceCount = entries.length;
    });
  }
}
