import type { RawImage } from '../core/types.js';

/** Turns aligned face crops into L2-normalised vectors; the score between two is their dot product (= cosine). */
export interface Embedder {
  readonly name: string;
  /** Identifies the exact weights: galleries made by another model are refused. */
  readonly modelId: { id: string; sha256: string; dim: number };
  /** Side of the square aligned crop the embedder expects. */
  readonly inputSize: number;
  /**
   * With an embedding map: the bare model's id, and `project` turns its embeddings into this
   * embedder's (in place). A gallery made by the bare model is re-projected on load.
   */
  readonly baseModelId?: { id: string; sha256: string; dim: number };
  project?(v: Float32Array): Float32Array;
  embed(faces: readonly RawImage[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
