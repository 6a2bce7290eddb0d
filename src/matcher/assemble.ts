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
import { createRegistry, formatZodError, resolveModuleOptions } from '../registry.js';

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
  return parsed.data;
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
  };
}

/** Loads the models named in the options (sha256-checked) and builds the modules. */
export async function assembleParts(platform: Platform<never>, opts: ResolvedMatcherOptions): Promise<Parts> {
  const registry = createRegistry(platform.indexes);
  const ctx = await modelContext(platform, opts);
  const det = resolveModuleOptions(registry, 'detector', opts.detector);
  const ali = resolveModuleOptions(registry, 'aligner', opts.aligner);
  const emb = resolveModuleOptions(registry, 'embedder', opts.embedder);
  const idx = resolveModuleOptions(registry, 'index', opts.index);
  const opened: { dispose(): Promise<void> }[] = [];
  const open = async <T extends { dispose(): Promise<void> }>(made: Promise<T>): Promise<T> => {
    const m = await made;
    opened.push(m);
    return m;
  };
  try {
    const detector = await open(det.factory.create(ctx, det.options as never));
    const aligner = await open(ali.factory.create(ctx, ali.options as never));
    const embedder = await open(emb.factory.create(ctx, emb.options as never));
    const index = await open(idx.factory.create(embedder.modelId.dim, idx.options as never));
    const sightingsIndex = await open(idx.factory.create(embedder.modelId.dim, sightingsIndexOptions(idx.options) as never));
    const calibrations = (await platform.loadCalibrations())[embedder.modelId.id] ?? [];
    return { detector, aligner, embedder, index, sightingsIndex, calibrations };
  } catch (e) {
    // A half-built matcher must not keep sessions alive.
    await Promise.allSettled(opened.map((m) => m.dispose()));
    throw e;
  }
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
