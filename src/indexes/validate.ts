import { MatcherError } from '../core/errors.js';
import type { IndexEntry, Metadata, MetadataFilter } from './index.js';

/**
 * Indexes score by dot product (flat) or assume unit vectors (cosine in SQL/HNSW), so a
 * vector far from unit length would give scores that are not cosine similarities.
 */
const NORM_TOLERANCE = 1e-3;

export function assertVector(vector: unknown, dim: number, what: string): asserts vector is Float32Array {
  if (!(vector instanceof Float32Array)) {
    throw new MatcherError('INVALID_ARGUMENT', `${what}: expected a Float32Array`);
  }
  if (vector.length !== dim) {
    throw new MatcherError('INVALID_ARGUMENT', `${what}: dimension ${vector.length}, the index holds ${dim}`);
  }
  let sum = 0;
  for (let i = 0; i < dim; i++) {
    const x = vector[i]!;
    if (!Number.isFinite(x)) {
      throw new MatcherError('INVALID_ARGUMENT', `${what}: element ${i} is ${x}, not a finite number`);
    }
    sum += x * x;
  }
  const norm = Math.sqrt(sum);
  if (Math.abs(norm - 1) > NORM_TOLERANCE) {
    throw new MatcherError('INVALID_ARGUMENT', `${what}: L2 norm is ${norm.toFixed(6)}, expected an L2-normalised vector`);
  }
}

export function assertK(k: unknown): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new MatcherError('INVALID_ARGUMENT', `k must be a positive integer, got ${String(k)}`);
  }
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

export function assertMetadata(metadata: unknown, what: string): asserts metadata is Metadata | undefined {
  if (metadata === undefined) return;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new MatcherError('INVALID_ARGUMENT', `${what}: metadata must be a plain object`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (!isScalar(value)) {
      throw new MatcherError(
        'INVALID_ARGUMENT',
        `${what}: metadata '${key}' must be a string, finite number, boolean or null`,
      );
    }
  }
}

export function assertFilter(filter: unknown): asserts filter is MetadataFilter | undefined {
  if (filter === undefined) return;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new MatcherError('INVALID_ARGUMENT', 'filter must be a plain object');
  }
  for (const [key, want] of Object.entries(filter)) {
    const values: unknown[] = Array.isArray(want) ? want : [want];
    if (!values.every(isScalar)) {
      throw new MatcherError('INVALID_ARGUMENT', `filter '${key}' must be a scalar or an array of scalars`);
    }
  }
}

/**
 * Checks a whole batch before any index changes it, so a bad entry never leaves a
 * half-applied batch behind.
 */
export function assertEntries(entries: unknown, dim: number): asserts entries is IndexEntry[] {
  if (!Array.isArray(entries)) throw new MatcherError('INVALID_ARGUMENT', 'entries must be an array');
  const seen = new Set<string>();
  entries.forEach((e: Partial<IndexEntry> | null, i) => {
    const what = `entry ${i}`;
    if (typeof e !== 'object' || e === null) throw new MatcherError('INVALID_ARGUMENT', `${what}: not an object`);
    if (typeof e.id !== 'string' || e.id.length === 0) {
      throw new MatcherError('INVALID_ARGUMENT', `${what}: id must be a non-empty string`);
    }
    if (seen.has(e.id)) throw new MatcherError('INVALID_ARGUMENT', `${what}: id '${e.id}' appears twice in one batch`);
    seen.add(e.id);
    assertVector(e.vector, dim, `${what} ('${e.id}')`);
    assertMetadata(e.metadata, `${what} ('${e.id}')`);
  });
}

export function assertIds(ids: unknown): asserts ids is string[] {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new MatcherError('INVALID_ARGUMENT', 'ids must be an array of strings');
  }
}

export function assertDim(dim: unknown): asserts dim is number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 65536) {
    throw new MatcherError('INVALID_ARGUMENT', `dimension must be an integer in [1, 65536], got ${String(dim)}`);
  }
}

export function disposedError(kind: string): MatcherError {
  return new MatcherError('DISPOSED', `the ${kind} index has been disposed`);
}
