/**
 * The sightings methods of the Matcher (addSighting, groupSightings, identifyGroup, ...),
 * written against the few things they need from it, so the Matcher facade only delegates.
 */
import type { CombineMethod, ScoredFace } from '../core/combine-scores.js';
import { MatcherError } from '../core/errors.js';
import type { Face } from '../core/types.js';
import type { Metadata } from '../indexes/index.js';
import { identifyGroupOptionsSchema, type GroupingOptions } from './options.js';
import type { AddedSighting, FaceRef, SightingGroup, SightingStore } from './store.js';

export interface SightingFaceInput {
  face: Face;
  embedding: Float32Array;
}

export interface AddSightingOptions {
  /** Your own id for the photo; default a random UUID. */
  sightingId?: string;
  /** `takenAt` (ISO 8601), `place`, `source` and any fields of your own (flat values). */
  metadata?: Metadata;
  /** The photo is a tight face crop: use the whole image when no face is detected. */
  crop?: boolean;
}

export interface IdentifyGroupOptions {
  /** Cases returned, default 5. */
  k?: number;
  /** How the group's faces are combined; default 'quality-weighted'. */
  combine?: CombineMethod;
}

export interface SightingsHost<Input, C> {
  /** Runs a call under the matcher's timeout and dispose checks. */
  guarded<T>(what: string, fn: (stillWanted: () => void) => Promise<T>): Promise<T>;
  /** Every face of the photo with its embedding, largest first. */
  embedFaces(input: Input, options: { crop?: boolean }): Promise<SightingFaceInput[]>;
  /** The cases ranked for several faces of one person. */
  rankCases(faces: ScoredFace[], method: CombineMethod, k: number): Promise<C[]>;
  checkMetadata(m: unknown): Metadata;
}

export class SightingsApi<Input, C> {
  constructor(
    private readonly host: SightingsHost<Input, C>,
    readonly store: SightingStore,
  ) {}

  addSighting(input: Input, options: AddSightingOptions = {}): Promise<AddedSighting> {
    return this.host.guarded('addSighting', async (stillWanted) => {
      const sightingId = options.sightingId ?? globalThis.crypto.randomUUID();
      if (typeof sightingId !== 'string' || sightingId.trim().length === 0 || sightingId.length > 256) {
        throw new MatcherError('INVALID_ARGUMENT', 'sightingId must be a non-empty string of at most 256 characters');
      }
      if (this.store.has(sightingId)) throw new MatcherError('INVALID_ARGUMENT', `sighting ${sightingId} is already in the store`);
      const metadata = this.host.checkMetadata(options.metadata);
      const faces = await this.host.embedFaces(input, { crop: options.crop ?? false });
      if (faces.length === 0) {
        throw new MatcherError('NO_FACE', `no face found in the sighting${options.crop ? '' : '; if it is a tight face crop, pass { crop: true }'}`);
      }
      await this.store.add(
        {
          sightingId,
          metadata,
          addedAt: new Date().toISOString(),
          faces: faces.map(({ face, embedding }) => ({ ...face, landmarks: face.landmarks.map((p) => [p[0], p[1]]), vector: embedding })),
        },
        stillWanted,
      );
      return { sightingId, faces: faces.map((f) => f.face) };
    });
  }

  removeSighting(sightingId: string): Promise<number> {
    return this.host.guarded('removeSighting', () => this.store.remove(sightingId));
  }

  groupSightings(options?: GroupingOptions): Promise<SightingGroup[]> {
    return this.host.guarded('groupSightings', () => this.store.groups(options));
  }

  identifyGroup(groupId: string, options: IdentifyGroupOptions = {}): Promise<C[]> {
    return this.host.guarded('identifyGroup', async () => {
      const parsed = identifyGroupOptionsSchema.safeParse(options);
      if (!parsed.success) throw new MatcherError('INVALID_ARGUMENT', `identifyGroup options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      const faces = this.store.groupFaces(groupId);
      return this.host.rankCases(faces, parsed.data.combine, parsed.data.k);
    });
  }

  splitGroup(groupId: string, faces: readonly FaceRef[]): Promise<string> {
    return this.host.guarded('splitGroup', () => this.store.split(groupId, faces));
  }

  mergeGroups(a: string, b: string): Promise<string> {
    return this.host.guarded('mergeGroups', () => this.store.merge(a, b));
  }
}
