/**
 * The modules a matcher can name in its options, and how a module option (a name, `{ name,
 * ...options }`, or a user's object) becomes a module. Users do not add names here: they pass
 * an object implementing the interface, or their ONNX model as `{ name: 'onnx', model,
 * manifest }` (docs/plugins.md).
 */
import { z } from 'zod';
import { Landmarks68Aligner, landmarks68Schema } from '../aligners/landmarks68.js';
import { MatcherError } from '../core/errors.js';
import type { ModelContext } from '../core/model-context.js';
import { firstZodPath, formatZodError } from '../core/zod-error.js';
import { UltrafaceDetector, ultrafaceSchema } from '../detectors/ultraface.js';
import { OnnxEmbedder, onnxEmbedderSchema } from '../embedders/onnx-embedder.js';
import { flatIndexFactory } from '../indexes/flat.js';
import type { IndexFactory } from '../indexes/index.js';
import { pgvectorIndexFactory } from '../indexes/pgvector.js';
import { checkUserModule, isUserModule, type ModuleKind, type ModuleOf } from './user-objects.js';
import { userModelContext, userModelFields } from './user-onnx.js';

export type { ModuleKind } from './user-objects.js';

/** A module implementation: a zod schema for its options and a factory. */
export interface ModuleFactory<T> {
  schema: z.ZodTypeAny;
  /** Called with the schema's parsed output. */
  create(ctx: ModelContext, options: never): Promise<T>;
}

/** Ties a factory's options type to its schema. */
export function defineModule<T, S extends z.ZodTypeAny>(schema: S, create: (ctx: ModelContext, options: z.output<S>) => Promise<T>): ModuleFactory<T> {
  return { schema, create };
}

export interface Registry {
  detector: Record<string, ModuleFactory<ModuleOf['detector']>>;
  aligner: Record<string, ModuleFactory<ModuleOf['aligner']>>;
  embedder: Record<string, ModuleFactory<ModuleOf['embedder']>>;
  index: Record<string, IndexFactory>;
}

const onnxEmbedderUserSchema = onnxEmbedderSchema.omit({ precision: true }).extend(userModelFields).strict();
const onnxDetectorUserSchema = ultrafaceSchema.omit({ precision: true }).extend(userModelFields).strict();

/** The shipped modules, plus the platform's own index kinds (`Platform.indexes`: Node adds `hnsw`). */
export function createRegistry(platformIndexes: Record<string, IndexFactory> = {}): Registry {
  return {
    detector: {
      ultraface: defineModule(ultrafaceSchema, (ctx, o) => UltrafaceDetector.create(ctx, o)),
      // The user's model takes the shipped detector's place in a context of its own.
      onnx: defineModule(onnxDetectorUserSchema, async (ctx, { model, manifest, ...o }) => {
        const user = await userModelContext(ctx, 'detector', { model, manifest }, 'ultraface');
        return UltrafaceDetector.create(user.ctx, { ...o, precision: user.entry.precision });
      }),
    },
    aligner: {
      landmarks68: defineModule(landmarks68Schema, (ctx, o) => Landmarks68Aligner.create(ctx, o)),
    },
    embedder: {
      mobilefacenet: defineModule(onnxEmbedderSchema, (ctx, o) => OnnxEmbedder.create(ctx, 'mobilefacenet', o)),
      onnx: defineModule(onnxEmbedderUserSchema, async (ctx, { model, manifest, ...o }) => {
        const user = await userModelContext(ctx, 'embedder', { model, manifest });
        return OnnxEmbedder.create(user.ctx, user.entry.id, { ...o, precision: user.entry.precision });
      }),
    },
    index: {
      flat: flatIndexFactory,
      pgvector: pgvectorIndexFactory,
      ...platformIndexes,
    },
  };
}

/** What a module option resolved to: a user's object, or a registered module with parsed options. */
export type ResolvedModule<K extends ModuleKind> =
  | { user: ModuleOf[K] }
  | { user?: undefined; name: string; factory: Registry[K][string]; options: unknown };

export function resolveModule<K extends ModuleKind>(registry: Registry, kind: K, spec: unknown): ResolvedModule<K> {
  if (isUserModule(kind, spec)) return { user: spec as ModuleOf[K] };
  const { name, ...rest } = (typeof spec === 'string' ? { name: spec } : spec) as { name: string };
  const factory = registry[kind][name] as Registry[K][string] | undefined;
  if (!factory) {
    throw new MatcherError('UNKNOWN_MODULE', `unknown ${kind} '${name}'; registered: ${Object.keys(registry[kind]).join(', ')}, or an object implementing ${kind}`, {
      field: `${kind}.name`,
    });
  }
  const parsed = factory.schema.safeParse(rest);
  if (!parsed.success) {
    throw new MatcherError('INVALID_OPTIONS', `options of ${kind} '${name}': ${formatZodError(parsed.error)}`, { field: firstZodPath(parsed.error, kind) });
  }
  return { name, factory, options: parsed.data };
}

/** A user's object, checked (see user-objects.ts); `dim` is the embedder's, for an index. */
export function userModule<K extends ModuleKind>(kind: K, m: ModuleOf[K], dim?: number): ModuleOf[K] {
  return checkUserModule(kind, m, dim);
}

/** A module option as the options schema sees it: a name, `{ name, ...options }`, or an object with methods (kept as is). */
export function moduleOptionSchema(kind: ModuleKind) {
  return z.union([
    z.custom<object>((v) => isUserModule(kind, v)),
    z.string().min(1),
    z.object({ name: z.string().min(1) }).passthrough(),
  ]);
}
