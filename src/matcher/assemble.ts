/** Module assembly: validated options -> the four modules and the embedder's calibrations. */
import type { Aligner } from '../aligners/aligner.js';
import { MatcherError } from '../core/errors.js';
import { verifyModelBytes } from '../core/manifest.js';
import type { ModelContext } from '../core/model-context.js';
import type { Calibration, Platform } from '../core/platform.js';
import type { Detector } from '../detectors/detector.js';
import type { Embedder } from '../embedders/embedder.js';
import type { Index } from '../indexes/index.js';
import { matcherOptionsSchema, type MatcherOptions, type ResolvedMatcherOptions } from '../options.js';
import { formatZodError } from '../core/zod-error.js';
import { flatIndexFactory } from '../indexes/flat.js';
import { createRegistry, resolveModule, userModule, type ModuleKind, type ResolvedModule } from '../modules/registry.js';

/** The modules one matcher runs; every one is disposed with the matcher. */
export interface Parts {
  detector: Detector;
  aligner: Aligner;
  embedder: Embedder;
  index: Index;
  /** The sightings' own index: the cases' kind and options (a SQL table gets its own name). */
  sightingsIndex: Index;
  calibrations: Calibration[];
}

export function parseMatcherOptions(options: MatcherOptions | undefined): ResolvedMatcherOptions {
  const parsed = matcherOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new MatcherError('INVALID_OPTIONS', `Matcher options: ${formatZodError(parsed.error)}`);
  }
  // Module options are checked per module (resolveModule); the rest is typed by the schema.
  return parsed.data as ResolvedMatcherOptions;
}

/** What module factories get: the platform's runtime and a model loader that checks sha256. */
export async function modelContext(platform: Platform<never>, opts: ResolvedMatcherOptions): Promise<ModelContext> {
  const manifest = await platform.loadManifest();
  return {
    manifest,
    backend: platform.backend,
    threads: opts.threads,
    precision: opts.precision,
    async loadModel(entry) {
      const bytes = await platform.readModel(entry);
      await verifyModelBytes(entry, bytes);
      return bytes;
    },
    readUserModel: (source) => platform.readUserModel(source as string | URL),
  };
}

/** Loads the models named in the options (sha256-checked) and builds the modules. */
export async function assembleParts(platform: Platform<never>, opts: ResolvedMatcherOptions): Promise<Parts> {
  const registry = createRegistry(platform.indexes);
  const ctx = await modelContext(platform, opts);
  const det = resolveModule(registry, 'detector', opts.detector);
  const ali = resolveModule(registry, 'aligner', opts.aligner);
  const emb = resolveModule(registry, 'embedder', opts.embedder);
  const idx = resolveModule(registry, 'index', opts.index);
  const opened: { dispose(): Promise<void> }[] = [];
  // A user's object is owned from here on, like the modules built here: disposed with the matcher.
  const open = async <K extends ModuleKind>(kind: K, r: ResolvedModule<K>, dim?: number): Promise<ModuleOf<K>> => {
    if (r.user) opened.push(r.user);
    const m = r.user ? userModule(kind, r.user, dim) : await make(kind, r as Registered<K>, ctx, dim);
    if (!r.user) opened.push(m);
    return m as ModuleOf<K>;
  };
  try {
    const detector = await open('detector', det);
    const aligner = await open('aligner', ali);
    const embedder = await open('embedder', emb);
    const dim = embedder.modelId.dim;
    const index = await open('index', idx, dim);
    // The sightings get the same kind of index as the cases; beside a user's index object, a flat one.
    const sightingsIndex = idx.user
      ? await open('index', { name: 'flat', factory: flatIndexFactory, options: flatIndexFactory.schema.parse({}) }, dim)
      : await open('index', { ...idx, options: sightingsIndexOptions(idx.options) }, dim);
    const calibrations = (await platform.loadCalibrations())[embedder.modelId.id] ?? [];
    return { detector, aligner, embedder, index, sightingsIndex, calibrations };
  } catch (e) {
    // A half-built matcher must not keep sessions alive.
    await Promise.allSettled(opened.map((m) => m.dispose()));
    throw e;
  }
}

type ModuleOf<K extends ModuleKind> = Parts[K];

type Registered<K extends ModuleKind> = Extract<ResolvedModule<K>, { name: string }>;

/** Index factories take the embedder's dimension; the others the model context. */
function make<K extends ModuleKind>(kind: K, r: Registered<K>, ctx: ModelContext, dim?: number): Promise<Parts[K]> {
  const create = r.factory.create as (arg: unknown, options: unknown) => Promise<Parts[K]>;
  return create(kind === 'index' ? dim : ctx, r.options);
}

export async function disposeParts(parts: Parts): Promise<void> {
  const { detector, aligner, embedder, index, sightingsIndex } = parts;
  await Promise.all([detector.dispose(), aligner.dispose(), embedder.dispose(), index.dispose(), sightingsIndex.dispose()]);
}

/** The sightings index's options: the cases', with `<table>_sightings` for a SQL table. */
function sightingsIndexOptions(options: unknown): unknown {
  const o = options as { table?: unknown };
  if (typeof o?.table !== 'string') return options;
  return { ...o, table: `${o.table.slice(0, 38)}_sightings` };
}
