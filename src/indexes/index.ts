import type { z } from 'zod';

/** Metadata stored with a template; flat JSON values so every index (incl. SQL) can filter on it. */
export type Metadata = Record<string, string | number | boolean | null>;

/** Equality filter on metadata: every key must match; an array value means "any of". */
export type MetadataFilter = Record<string, string | number | boolean | null | ReadonlyArray<string | number | boolean | null>>;

export interface IndexEntry {
  /** Unique per template. */
  id: string;
  /** L2-normalised vector of the index's dimension. */
  vector: Float32Array;
  metadata?: Metadata;
}

export interface IndexHit {
  id: string;
  /** Cosine similarity (vectors are unit length). */
  score: number;
  metadata?: Metadata;
}

export interface SearchOptions {
  filter?: MetadataFilter;
}

/**
 * A vector index over L2-normalised embeddings. All methods are async so a remote
 * index (SQL) fits the same interface as an in-memory one.
 */
export interface Index {
  readonly kind: string;
  readonly dim: number;
  add(entries: IndexEntry[]): Promise<void>;
  /** Returns how many of the ids were present. */
  remove(ids: string[]): Promise<number>;
  /** Top-k hits by cosine similarity, best first. */
  search(query: Float32Array, k: number, options?: SearchOptions): Promise<IndexHit[]>;
  size(): Promise<number>;
  /** Every stored entry (for persistence). Index implementations that cannot return vectors exactly say so in their docs. */
  entries(): Promise<IndexEntry[]>;
  dispose(): Promise<void>;
  /**
   * Persistent indexes: a note kept with the stored vectors. The matcher records its embedder
   * there and refuses an index whose vectors another embedder made (GALLERY_MODEL_MISMATCH).
   */
  readonly note?: { read(): Promise<string | undefined>; write(text: string): Promise<void> };
}

export interface IndexFactory<S extends z.ZodTypeAny = z.ZodTypeAny> {
  kind: string;
  schema: S;
  create(dim: number, options: z.infer<S>): Promise<Index>;
}

export function matchesFilter(metadata: Metadata | undefined, filter: MetadataFilter | undefined): boolean {
  if (!filter) return true;
  for (const [key, want] of Object.entries(filter)) {
    const have = metadata?.[key];
    if (Array.isArray(want)) {
      if (!want.includes(have as never)) return false;
    } else if (have !== want) return false;
  }
  return true;
}
