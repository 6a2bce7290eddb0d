/**
 * A user's ONNX embedder or detector (`{ name: 'onnx', model, manifest }`), run exactly like
 * the shipped ones: the manifest entry drives pre-processing, the bytes must match its
 * sha256, and the session comes from the platform's runtime. The manifest is also checked
 * against what the model itself declares, so a wrong one fails at create, naming the field.
 */
import { z } from 'zod';
import { MatcherError } from '../core/errors.js';
import { ModelInputSchema, sha256Hex, type ModelEntry } from '../core/manifest.js';
import type { ModelContext, ModelSource } from '../core/model-context.js';
import { firstZodPath, formatZodError } from '../core/zod-error.js';
import type { ModelSession, ValueInfo } from '../runtime/session.js';

const modelSource = z.custom<ModelSource>(
  (v) => (typeof v === 'string' && v.length > 0) || v instanceof Uint8Array || v instanceof ArrayBuffer || (typeof URL !== 'undefined' && v instanceof URL),
  'model must be the model bytes (Uint8Array, ArrayBuffer), a path (Node) or a URL',
);

/** The options every `name: 'onnx'` module takes; the manifest is checked by `openUserModel`. */
export const userModelFields = { model: modelSource, manifest: z.unknown() };

const userEntrySchema = z.looseObject({
  id: z.string().min(1).max(100),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  precision: z.string().min(1).max(40).default('fp32'),
  input: ModelInputSchema,
  outputs: z.array(z.string().min(1)).min(1),
  dim: z.number().int().min(1).max(65536).optional(),
});

type Task = 'embedder' | 'detector';

function manifestError(task: Task, field: string, message: string): MatcherError {
  return new MatcherError('MODEL_MANIFEST_INVALID', `${task} manifest.${field}: ${message}`, { field: `${task}.manifest.${field}` });
}

function parseEntry(task: Task, manifest: unknown): ModelEntry {
  const r = userEntrySchema.safeParse(manifest);
  if (!r.success) {
    throw new MatcherError('MODEL_MANIFEST_INVALID', `${task} ${formatZodError(r.error, 'manifest')}`, { field: `${task}.${firstZodPath(r.error, 'manifest')}` });
  }
  const e = r.data;
  const channels = e.input.color === 'GRAY' ? 1 : 3;
  const shape = e.input.shape;
  if (shape.length !== 4) throw manifestError(task, 'input.shape', `must have 4 dimensions (${e.input.layout}), has ${shape.length}`);
  const c = e.input.layout === 'NCHW' ? shape[1] : shape[3];
  if (c !== channels) throw manifestError(task, 'input.color', `${e.input.color} needs ${channels} channel(s), input.shape has ${c} in the ${e.input.layout} channel position`);
  if (e.input.mean.length !== channels) throw manifestError(task, 'input.mean', `needs ${channels} value(s) for ${e.input.color}`);
  if (e.input.std.length !== channels || e.input.std.some((s) => s === 0)) throw manifestError(task, 'input.std', `needs ${channels} non-zero value(s) for ${e.input.color}`);
  if (task === 'embedder' && e.dim === undefined) throw manifestError(task, 'dim', "an embedder's manifest must give the embedding's dimension");
  if (task === 'detector' && !(e.outputs.includes('scores') && e.outputs.includes('loc'))) {
    throw manifestError(task, 'outputs', "a detector must return UltraFace's 'scores' and 'loc'");
  }
  return {
    ...e,
    task: task === 'embedder' ? 'embedder' : 'detector',
    // A label only (part of an embedder's id); the union type is the shipped models'.
    precision: e.precision as ModelEntry['precision'],
    file: typeof e['file'] === 'string' ? e['file'] : `${e.id} (user model)`,
    bytes: 0,
    source: { package: '', version: '', file: '', license: '' },
    shipped: false,
  };
}

async function readBytes(ctx: ModelContext, source: ModelSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (!ctx.readUserModel) throw new MatcherError('RUNTIME_UNSUPPORTED', 'this platform cannot read user models by path or URL: pass the bytes');
  return ctx.readUserModel(source);
}

/** The model's declared input and outputs against the manifest; `why` says what differs, or null. */
function compareWithModel(entry: ModelEntry, session: ModelSession): [field: string, why: string] | null {
  const input = entry.input.name;
  if (!session.inputNames.includes(input)) return ['input.name', `'${input}' is not an input of the model (it has ${session.inputNames.join(', ')})`];
  const info: ValueInfo | undefined = session.inputInfo?.find((i) => i.name === input);
  if (info?.type && info.type !== 'float32') return ['input.name', `'${input}' takes ${info.type}, the pipeline feeds float32`];
  if (info?.shape) {
    const want = entry.input.shape;
    if (info.shape.length !== want.length) return ['input.shape', `[${want.join(', ')}] has ${want.length} dimensions, the model's input has ${info.shape.length}`];
    const i = info.shape.findIndex((d, k) => typeof d === 'number' && d > 0 && d !== want[k]);
    if (i >= 0) return ['input.shape', `dimension ${i} is ${want[i]}, the model's input has ${info.shape[i]}`];
  }
  const missing = entry.outputs.find((o) => !session.outputNames.includes(o));
  if (missing) return ['outputs', `'${missing}' is not an output of the model (it has ${session.outputNames.join(', ')})`];
  if (entry.task === 'embedder') {
    const out = session.outputInfo?.find((o) => o.name === entry.outputs[0])?.shape;
    const last = out?.[out.length - 1];
    if (typeof last === 'number' && last !== entry.dim) return ['dim', `is ${entry.dim}, the model's output '${entry.outputs[0]}' has ${last}`];
  }
  return null;
}

/**
 * A model context holding only the user's model under `moduleId` (the id the module opens,
 * e.g. 'ultraface'), whose bytes are checked against the manifest's sha256 and whose session
 * is checked against the manifest before any module code sees it.
 */
export async function userModelContext(ctx: ModelContext, task: Task, options: { model: ModelSource; manifest: unknown }, moduleId?: string): Promise<{ ctx: ModelContext; entry: ModelEntry }> {
  const parsed = parseEntry(task, options.manifest);
  const entry: ModelEntry = moduleId ? { ...parsed, id: moduleId } : parsed;
  const bytes = await readBytes(ctx, options.model);
  const got = await sha256Hex(bytes);
  if (got !== entry.sha256) {
    throw new MatcherError('MODEL_CHECKSUM_MISMATCH', `${task} model has sha256 ${got}, manifest.sha256 says ${entry.sha256}: not the model the manifest describes`, {
      field: `${task}.manifest.sha256`,
    });
  }
  const backend = ctx.backend;
  return {
    entry: parsed,
    ctx: {
      ...ctx,
      manifest: { formatVersion: 1, models: [entry] },
      precision: entry.precision,
      loadModel: async () => bytes,
      backend: {
        ...backend,
        async createSession(model, opts) {
          const session = await backend.createSession(model, opts);
          const wrong = compareWithModel(entry, session);
          if (wrong) {
            await session.dispose();
            throw manifestError(task, wrong[0], wrong[1]);
          }
          return session;
        },
      },
    },
  };
}
