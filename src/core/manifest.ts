import { z } from 'zod';
import { MatcherError } from './errors.js';

/**
 * How a model's input is built from pixels. Pre-processing is driven by this, never guessed
 * from tensor shapes: value = (pixel - mean[c]) / std[c], channels in `color` order.
 */
export const ModelInputSchema = z.object({
  name: z.string(),
  /** Shape with -1 for a dynamic dimension (batch). */
  shape: z.array(z.number().int()),
  layout: z.enum(['NCHW', 'NHWC']),
  color: z.enum(['RGB', 'BGR', 'GRAY']),
  /** Per channel (one value for GRAY). For GRAY, grey = 0.299R + 0.587G + 0.114B first. */
  mean: z.array(z.number()),
  std: z.array(z.number()),
});
/** How a model input is built from pixels: value = (pixel - mean[c]) / std[c], channels in `color` order; -1 in `shape` is a free (batch) dimension. */
export interface ModelInput {
  name: string;
  shape: number[];
  layout: 'NCHW' | 'NHWC';
  color: 'RGB' | 'BGR' | 'GRAY';
  mean: number[];
  std: number[];
}

export const ModelEntrySchema = z.object({
  /** Stable module name the registry uses, e.g. 'mobilefacenet'. */
  id: z.string(),
  task: z.enum(['detector', 'landmarks', 'embedder']),
  precision: z.enum(['fp32', 'int8', 'int8-weights', 'fp16']),
  /** File name inside models/. */
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  input: ModelInputSchema,
  outputs: z.array(z.string()),
  /** Embedders: output dimension. */
  dim: z.number().int().positive().optional(),
  source: z.object({ package: z.string(), version: z.string(), file: z.string(), license: z.string() }),
  /** Whether `npm pack` ships it. Non-shipped models exist only in a source checkout after `npm run models:build`. */
  shipped: z.boolean(),
  card: z.string().optional(),
});
/** One model of models/manifest.json. */
export interface ModelEntry {
  id: string;
  task: 'detector' | 'landmarks' | 'embedder';
  precision: 'fp32' | 'int8' | 'int8-weights' | 'fp16';
  file: string;
  sha256: string;
  bytes: number;
  input: ModelInput;
  outputs: string[];
  dim?: number;
  source: { package: string; version: string; file: string; license: string };
  shipped: boolean;
  card?: string;
}

export const ManifestSchema = z.object({
  formatVersion: z.literal(1),
  models: z.array(ModelEntrySchema),
});
export interface Manifest {
  formatVersion: 1;
  models: ModelEntry[];
}

// Plain interfaces for the published types; these keep them equal to the schemas.
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
type ManifestTypesMatchSchemas = [
  Check<Mutual<ModelInput, z.output<typeof ModelInputSchema>>>,
  Check<Mutual<ModelEntry, z.output<typeof ModelEntrySchema>>>,
  Check<Mutual<Manifest, z.output<typeof ManifestSchema>>>,
];

export function parseManifest(json: unknown): Manifest {
  const r = ManifestSchema.safeParse(json);
  if (!r.success) {
    throw new MatcherError('MODEL_MANIFEST_INVALID', `models/manifest.json is not valid: ${r.error.message}`);
  }
  return r.data;
}

export function findModel(manifest: Manifest, id: string, precision: string): ModelEntry {
  const hit = manifest.models.find((m) => m.id === id && m.precision === precision);
  if (!hit) {
    const have = manifest.models.filter((m) => m.id === id).map((m) => m.precision);
    throw new MatcherError(
      'MODEL_NOT_FOUND',
      have.length
        ? `model '${id}' has no '${precision}' variant; available: ${have.join(', ')}`
        : `no model '${id}' in the manifest; available: ${[...new Set(manifest.models.map((m) => m.id))].join(', ')}`,
    );
  }
  return hit;
}

function toHex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 through WebCrypto, which Node (>=20) and browsers both have. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new MatcherError('RUNTIME_UNSUPPORTED', 'WebCrypto (crypto.subtle) is not available');
  return toHex(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Refuses a model file whose bytes do not match the manifest: a swapped or corrupted model must never run. */
export async function verifyModelBytes(entry: ModelEntry, bytes: Uint8Array): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== entry.sha256) {
    throw new MatcherError(
      'MODEL_CHECKSUM_MISMATCH',
      `model file ${entry.file} has sha256 ${got}, the manifest expects ${entry.sha256}; reinstall the package or rebuild the models`,
    );
  }
}
