/** Options and results of the Matcher's calls (the public shapes; the work is done beside this file). */
import type { Face, RawImage } from '../core/types.js';
import type { Metadata, MetadataFilter } from '../indexes/index.js';
import type { CombineMethod } from '../core/combine-scores.js';
import type { FaceChoice } from '../core/face-choice.js';

export type { AddedSighting, FaceRef, GroupedFace, SightingGroup } from '../sightings/store.js';
export type { GroupingOptions } from '../sightings/options.js';
export type { CombineMethod } from '../core/combine-scores.js';
export type { FaceChoice } from '../core/face-choice.js';

export interface FaceOptions {
  /**
   * The image is a tight face crop (passport photo, dataset crop): when the detector finds
   * nothing, use the whole image as the face box instead of returning no face.
   */
  crop?: boolean;
}

export interface EmbedOptions extends FaceOptions {
  /** Also return the aligned crop each embedding was computed from. */
  aligned?: boolean;
}

export interface FaceEmbedding {
  face: Face;
  embedding: Float32Array;
  aligned?: RawImage;
}

export interface EnrollOptions extends FaceOptions {
  metadata?: Metadata;
  /**
   * Which face of the photo is the case: an index (largest first, as `detect` returns them), a
   * box (the detected face overlapping it most), 'largest' or 'central'. Default: the largest,
   * but a photo with a second face at least half its area is refused with AMBIGUOUS_FACE.
   */
  face?: FaceChoice;
}

export interface EnrollResult {
  subjectId: string;
  templateId: string;
  face: Face;
}

export interface IdentifyOptions extends FaceOptions {
  /** Subjects returned per face (best template of each subject), default 5. */
  k?: number;
  /** Drop candidates scoring below this; default none (a reviewer sees the top k). */
  minScore?: number;
  /** Only templates whose metadata matches (equality; an array means any of). */
  filter?: MetadataFilter;
}

export interface Candidate {
  subjectId: string;
  templateId: string;
  /** Cosine similarity of the two embeddings, in [-1, 1]. */
  score: number;
  metadata: Metadata;
  /** Score >= the matcher's threshold. */
  match: boolean;
  /**
   * Estimated probability that a different person scores this high, from the embedder's
   * calibration on adult pairs (LFW) and on child-vs-adult pairs (LAG), when shipped.
   */
  falseMatchRate?: { adult?: number; childAdult?: number };
}

export interface IdentifyResult {
  face: Face;
  candidates: Candidate[];
}

export interface VerifyResult {
  score: number;
  match: boolean;
  threshold: number;
}


export interface AddSightingOptions extends FaceOptions {
  /** Your own id for the photo; default a random UUID. */
  sightingId?: string;
  /** `takenAt` (ISO 8601), `place`, `source` and any fields of your own (flat values). */
  metadata?: Metadata;
}

export interface IdentifyGroupOptions {
  /** Cases returned, default 5. */
  k?: number;
  /**
   * How the group's faces are combined; default 'quality-weighted' (the faces' embeddings
   * averaged, weighted by size, sharpness and pose). See README, "Sightings".
   */
  combine?: CombineMethod;
}

export interface SightingsView {
  /** Sightings (photos) in the store. */
  size: number;
  /** Faces over all sightings. */
  faces: number;
  has(sightingId: string): boolean;
}
