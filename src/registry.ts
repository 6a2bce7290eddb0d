import { z } from 'zod';
import type { Aligner } from './aligners/aligner.js';
import { Landmarks68Aligner, landmarks68Schema } from './aligners/landmarks68.js';
import type { ModelContext } from './core/model-context.js';
import { MatcherError } from './core/errors.js';
import type { Detector } from './detectors/detector.js';
import { UltrafaceDetector, ultrafaceSchema } from './detectors/ultraface.js';
import type { Embedder } from './embedders/embedder.js';
import { OnnxEmbedder, onnxEmbedderSchema } from './embedders/onnx-embedder.js';
import type { IndexFactory } from './indexes/index.js';
import { flatIndexFactory } from './indexes/flat.js';
import { pgvectorIndexFactory } from './indexes/pgvector.js';

/** A module implementation: a zod schema for its options and a factory. */
export interface ModuleFactory<T> {
  schema: z.ZodTypeAny;
  /** Called with the schema's parsed output. */
  create(ctx: ModelContext, options: never): Promise<T>;
}

/** Ties a factory's options type to its schema. */
export function defineModule<T, S extends z.ZodTypeAny>(
  schema: S,
  create: (ctx: ModelContext, options: z.output<S>) => Promise<T>,
): ModuleFactory<T> {
  return { schema, create };
}

export interface Registry {
  detector: Record<string, ModuleFactory<Detector>>;
  aligner: Record<string, ModuleFactory<Aligner>>;
  embedder: Record<string, ModuleFactory<Embedder>>;
  index: Record<string, IndexFactory>;
}

export type ModuleKind = keyof Registry;

/**
 * The modules a matcher can name: those every platform has, plus the platform's own index
 * kinds (`Platform.indexes`: Node adds `hnsw`). Users plug in theirs as objects instead
 * (`Matcher.create({ embedder: myEmbedder })`, see docs/plugins.md).
 */
export function createRegistry(platformIndexes: Record<string, IndexFactory> = {}): Registry {
  return {
    detector: {
      ultraface: defineModule(ultrafaceSchema, (ctx, o) => UltrafaceDetector.create(ctx, o)),
    },
    aligner: {
      landmarks68: defineModule(landmarks68Schema, (ctx, o) => Landmarks68Aligner.create(ctx, o)),
    },
    embedder: {
      mobilefacenet: defineModule(onnxEmbedderSchema, (ctx, o) => OnnxEmbedder.create(ctx, 'mobilefacenet', o)),
    },
    index: {
      flat: flatIndexFactory,
      pgvector: pgvectorIndexFactory,
      ...platformIndexes,
    },
  };
}

/** A module named in options: `'ultraface'` or `{ name: 'ultraface', threshold: 0.8 }`. */
export const moduleSpecSchema = z.union([
  z.string().min(1),
  z.object({ name: z.string().min(1) }).passthrough(),
]);
export type ModuleSpec = z.infer<typeof moduleSpecSchema>;

export function resolveModuleOptions<K extends ModuleKind>(
  registry: Registry,
  kind: K,
  spec: ModuleSpec,
): { name: string; factory: Registry[K][string]; options: unknown } {
  const { name, ...rest } = typeof spec === 'string' ? { name: spec } : spec;
  const factory = registry[kind][name] as Registry[K][string] | undefined;
  if (!factory) {
    throw new MatcherError(
      'UNKNOWN_MODULE',
      `unknown ${kind} '${name}'; registered: ${Object.keys(registry[kind]).join(', ')}`,
    );
  }
  const parsed = factory.schema.safeParse(rest);
  if (!parsed.success) {
    throw new MatcherError('INVALID_OPTIONS', `options of ${kind} '${name}': ${formatZodError(parsed.error)}`);
  }
  return { name, factory, options: parsed.data };
}

/** One line per problem, with the option's path, so a user can fix it without reading our code. */
export function formatZodError(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
