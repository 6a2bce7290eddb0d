/**
 * Everything one matcher holds, built once by `openCore` and shared by the files beside this
 * one; `src/matcher.ts` is the public facade over it. A new feature (a store of its own, a
 * new call) takes the pieces it needs from here and gets a few lines in the facade.
 */
import type { Platform } from '../core/platform.js';
import type { MatcherOptions, ResolvedMatcherOptions } from '../options.js';
import { assembleParts, disposeParts, parseMatcherOptions, type Parts } from './assemble.js';
import { CallGuard } from './guard.js';
import { FacePipeline } from './pipeline.js';
import { Scores } from './scores.js';
import { claimIndex, Templates } from './templates.js';
import { DEFAULT_GROUPING } from '../sightings/options.js';
import { SightingStore } from '../sightings/store.js';

export interface MatcherCore<Input> {
  readonly options: ResolvedMatcherOptions;
  readonly parts: Parts;
  readonly guard: CallGuard;
  readonly pipeline: FacePipeline<Input>;
  readonly templates: Templates;
  readonly scores: Scores;
  /** Street photos and their groups (src/sightings/). */
  readonly sightings: SightingStore;
}

/** Validates options, loads the models (sha256-checked), builds the modules and adopts a persistent index's rows. */
export async function openCore<Input>(platform: Platform<Input>, options: MatcherOptions | undefined): Promise<MatcherCore<Input>> {
  const opts = parseMatcherOptions(options);
  const parts = await assembleParts(platform, opts);
  const { limits } = opts;
  const core: MatcherCore<Input> = {
    options: opts,
    parts,
    guard: new CallGuard(limits.timeoutMs),
    pipeline: new FacePipeline(platform, parts, limits),
    templates: new Templates(parts.index),
    scores: new Scores(parts.calibrations, opts.threshold, parts.embedder.modelId.id),
    sightings: new SightingStore(parts.sightingsIndex, DEFAULT_GROUPING),
  };
  try {
    const embedder = parts.embedder.modelId;
    await claimIndex(parts.index, embedder, 'cases');
    await claimIndex(parts.sightingsIndex, embedder, 'sightings');
    await core.templates.adoptIndexEntries();
  } catch (e) {
    await disposeParts(parts);
    throw e;
  }
  return core;
}

/** Releases every module; later calls fail with DISPOSED. */
export async function closeCore(core: MatcherCore<unknown>): Promise<void> {
  if (core.guard.close()) await disposeParts(core.parts);
}
