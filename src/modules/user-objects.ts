/**
 * Modules a user passes as objects (`Matcher.create({ embedder: myEmbedder })`): recognised by
 * their methods, checked once, and, for the embedder, wrapped so a wrong output is a typed
 * error instead of a silently wrong gallery. The shipped modules are never wrapped.
 */
import type { Aligner } from '../aligners/aligner.js';
import { MatcherError } from '../core/errors.js';
import type { Detector } from '../detectors/detector.js';
import type { Embedder } from '../embedders/embedder.js';
import { l2normalize } from '../core/vectors.js';
import type { Index } from '../indexes/index.js';

const METHODS = {
  detector: ['detect', 'dispose'],
  aligner: ['align', 'dispose'],
  embedder: ['embed', 'dispose'],
  index: ['add', 'remove', 'search', 'size', 'entries', 'dispose'],
} as const;

export type ModuleKind = keyof typeof METHODS;
export interface ModuleOf {
  detector: Detector;
  aligner: Aligner;
  embedder: Embedder;
  index: Index;
}

/** An object with the kind's main method is meant as a module (a spec is a string or `{ name, ...options }`). */
export function isUserModule(kind: ModuleKind, spec: unknown): boolean {
  return typeof spec === 'object' && spec !== null && typeof (spec as Record<string, unknown>)[METHODS[kind][0]] === 'function';
}

function bad(kind: ModuleKind, field: string, message: string): MatcherError {
  return new MatcherError('INVALID_OPTIONS', `${kind} ${field}: ${message}`, { field: `${kind}.${field}` });
}

/** Checks the members every kind needs, then the kind's own. `dim`: the embedder's, for an index. */
export function checkUserModule<K extends ModuleKind>(kind: K, m: ModuleOf[K], dim?: number): ModuleOf[K] {
  const o = m as unknown as Record<string, unknown>;
  for (const method of METHODS[kind]) if (typeof o[method] !== 'function') throw bad(kind, method, 'must be a method');
  if (kind === 'index') {
    if (typeof o['kind'] !== 'string' || !o['kind']) throw bad(kind, 'kind', 'must be a non-empty string');
    if (o['dim'] !== dim) throw bad(kind, 'dim', `is ${String(o['dim'])}, the embedder's vectors have ${dim} dimensions`);
    return m;
  }
  if (typeof o['name'] !== 'string' || !o['name']) throw bad(kind, 'name', 'must be a non-empty string');
  return kind === 'embedder' ? (checkedEmbedder(m as Embedder) as ModuleOf[K]) : m;
}

function checkedEmbedder(e: Embedder): Embedder {
  const id = e.modelId as Partial<Embedder['modelId']> | undefined;
  if (typeof id?.id !== 'string' || !id.id || id.id.length > 200) throw bad('embedder', 'modelId.id', 'must be a string of 1 to 200 characters');
  if (typeof id.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(id.sha256)) {
    throw bad('embedder', 'modelId.sha256', 'must be 64 lowercase hex digits (the SHA-256 of the weights: galleries of other weights are refused)');
  }
  if (!Number.isInteger(id.dim) || id.dim! < 1 || id.dim! > 65536) throw bad('embedder', 'modelId.dim', 'must be an integer from 1 to 65536');
  if (!Number.isInteger(e.inputSize) || e.inputSize < 16 || e.inputSize > 1024) throw bad('embedder', 'inputSize', 'must be an integer from 16 to 1024');
  const dim = id.dim!;
  const modelId = { id: id.id, sha256: id.sha256, dim };
  return {
    name: e.name,
    modelId,
    inputSize: e.inputSize,
    async embed(faces) {
      const out = await e.embed(faces);
      if (!Array.isArray(out) || out.length !== faces.length) {
        throw new MatcherError('INFERENCE_FAILED', `embedder '${e.name}' returned ${Array.isArray(out) ? out.length : 'no'} embeddings for ${faces.length} faces`);
      }
      return out.map((v) => {
        if (!(v instanceof Float32Array) || v.length !== dim || !v.every(Number.isFinite)) {
          throw new MatcherError('INFERENCE_FAILED', `embedder '${e.name}' must return Float32Arrays of ${dim} finite values`);
        }
        // Scores are dot products of unit vectors: normalise a copy, the user's array stays theirs.
        return l2normalize(Float32Array.from(v));
      });
    },
    dispose: () => e.dispose(),
  };
}
