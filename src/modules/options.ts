/**
 * The modules of `Matcher.create`'s options, as the published types name them: one interface
 * per shipped module (discriminated by `name`), a user's ONNX model (`name: 'onnx'`), or an
 * object implementing the module's interface. Written out by hand so the published .d.ts
 * holds plain types, not zod's; the checks at the end keep each in step with its schema.
 */
import type { z } from 'zod';
import type { Aligner } from '../aligners/aligner.js';
import type { landmarks68Schema } from '../aligners/landmarks68.js';
import type { EmbeddingMap } from '../core/embedding-map.js';
import type { ModelInput } from '../core/manifest.js';
import type { ModelSource } from '../core/model-context.js';
import type { Detector } from '../detectors/detector.js';
import type { ultrafaceSchema } from '../detectors/ultraface.js';
import type { Embedder } from '../embedders/embedder.js';
import type { onnxEmbedderSchema } from '../embedders/onnx-embedder.js';
import type { flatIndexSchema } from '../indexes/flat.js';
import type { hnswIndexSchema } from '../indexes/hnsw.js';
import type { Index } from '../indexes/index.js';
import type { pgvectorIndexSchema, SqlClient } from '../indexes/pgvector.js';

export type { SqlClient } from '../indexes/pgvector.js';

/** Model variant of the shipped models (int8 variants exist after `npm run models:build` in a checkout). */
export type Precision = 'fp32' | 'int8' | 'int8-weights';

export type { ModelSource } from '../core/model-context.js';

/**
 * How a user's ONNX model is fed and what it returns: a models/manifest.json entry (extra
 * fields such as `file`, `source` or `shipped` are allowed and ignored).
 */
export interface UserModelManifest {
  /** Names the model; an embedder's galleries record `<id>@<precision>`. */
  id: string;
  /** Hex SHA-256 of the model bytes: other bytes are refused (MODEL_CHECKSUM_MISMATCH). */
  sha256: string;
  /** Default 'fp32'; only a label (part of an embedder's id). */
  precision?: string;
  /** The input tensor and how pixels become its values (see docs/plugins.md). */
  input: ModelInput;
  /** Output names: an embedder's first output is the embedding; a detector returns UltraFace's `scores` and `loc`. */
  outputs: string[];
  /** Embedders: the embedding's dimension. */
  dim?: number;
  [field: string]: unknown;
}

export interface UltrafaceOptions {
  name: 'ultraface';
  /** Minimum face probability, default 0.7. */
  threshold?: number;
  /** Boxes overlapping more than this (IoU) are one face, default 0.4. */
  nmsIou?: number;
  /** Smallest face side (px) searched for in large photos, default 40. */
  minFaceSize?: number;
  precision?: Precision;
}

/** A user's detector model with UltraFace's outputs (`scores`, `loc`), run like the shipped one. */
export interface OnnxDetectorOptions extends Omit<UltrafaceOptions, 'name' | 'precision'> {
  name: 'onnx';
  model: ModelSource;
  manifest: UserModelManifest;
}

export interface Landmarks68Options {
  name: 'landmarks68';
  precision?: Precision;
}

export interface MobileFaceNetOptions {
  name: 'mobilefacenet';
  precision?: Precision;
  /** Faces per inference call, default 32. */
  batchSize?: number;
  /**
   * The linear map applied to every embedding: 'lag-dev' (default, shipped; see
   * models/cards/mobilefacenet-age-map.md), 'none', or your own from `fitEmbeddingMap`.
   */
  map?: 'lag-dev' | 'none' | EmbeddingMap;
}

/** A user's embedder model: the first output, L2-normalised, is the embedding. */
export interface OnnxEmbedderOptions {
  name: 'onnx';
  model: ModelSource;
  manifest: UserModelManifest;
  /** Faces per inference call when the model's batch dimension is dynamic, default 32. */
  batchSize?: number;
}

export interface FlatIndexOptions {
  name: 'flat';
  /** 'int8': about 4x less memory, approximate scores. Default 'none'. */
  quantize?: 'none' | 'int8';
  initialCapacity?: number;
  /** 'auto' scans with WebAssembly SIMD where available; 'js' always in JS. */
  scan?: 'auto' | 'js';
}

/** Approximate search (hnswlib-node, an optional dependency): Node only. */
export interface HnswIndexOptions {
  name: 'hnsw';
  M?: number;
  efConstruction?: number;
  /** 'auto' (default) follows the gallery's size. */
  efSearch?: 'auto' | number;
  initialCapacity?: number;
  seed?: number;
}

/** Templates in PostgreSQL (pgvector); the caller owns the client. See docs/pgvector.md. */
export interface PgvectorIndexOptions {
  name: 'pgvector';
  client: SqlClient;
  /** `[schema.]name`, default 'reunite_face_templates'. */
  table?: string;
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  /** false: never run CREATE EXTENSION / TABLE / INDEX. */
  createSchema?: boolean;
}

export type DetectorOption = 'ultraface' | UltrafaceOptions | OnnxDetectorOptions | Detector;
export type AlignerOption = 'landmarks68' | Landmarks68Options | Aligner;
export type EmbedderOption = 'mobilefacenet' | MobileFaceNetOptions | OnnxEmbedderOptions | Embedder;
export type IndexOption = 'flat' | 'hnsw' | FlatIndexOptions | HnswIndexOptions | PgvectorIndexOptions | Index;

// Each interface above must accept exactly what its schema accepts (compile-time only).
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Optional fields are mutually assignable whether or not both sides have them: compare keys too.
type Same<A, B> = Mutual<A, B> extends true ? Mutual<keyof A, keyof B> : false;
type Check<T extends true> = T;
type Opts<T> = Omit<T, 'name'>;
type OptionTypesMatchSchemas = [
  Check<Same<Opts<UltrafaceOptions>, Omit<z.input<typeof ultrafaceSchema>, 'precision'> & { precision?: Precision }>>,
  Check<Same<Opts<Landmarks68Options>, Omit<z.input<typeof landmarks68Schema>, 'precision'> & { precision?: Precision }>>,
  Check<Same<Opts<MobileFaceNetOptions>, Omit<z.input<typeof onnxEmbedderSchema>, 'precision'> & { precision?: Precision }>>,
  Check<Same<Opts<FlatIndexOptions>, z.input<typeof flatIndexSchema>>>,
  Check<Same<Opts<HnswIndexOptions>, z.input<typeof hnswIndexSchema>>>,
  Check<Same<Opts<PgvectorIndexOptions>, z.input<typeof pgvectorIndexSchema>>>,
];
