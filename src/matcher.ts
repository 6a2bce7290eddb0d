/**
 * The Matcher's public face, shared by the Node and browser entries. Each call is a line or
 * two: the work lives in src/matcher/ (one job per file; `core.ts` says how they fit).
 */
import type { RawImage, Face } from './core/types.js';
import type { Platform } from './core/platform.js';
import { MatcherError } from './core/errors.js';
import type { GalleryState } from './gallery/format.js';
import type { MatcherOptions, ResolvedMatcherOptions } from './options.js';
import { closeCore, openCore, type MatcherCore } from './matcher/core.js';
import { checkSubjectId, enroll } from './matcher/enroll.js';
import { identify, verify } from './matcher/identify.js';
import { exportGallery, loadGallery, saveGallery } from './matcher/persist.js';
import { addSighting, identifyGroup } from './matcher/sightings.js';
import type {
  EmbedOptions,
  EnrollOptions,
  EnrollResult,
  FaceEmbedding,
  FaceOptions,
  IdentifyOptions,
  IdentifyResult,
  VerifyResult,
  AddSightingOptions,
  AddedSighting,
  Candidate,
  FaceRef,
  GroupingOptions,
  IdentifyGroupOptions,
  SightingGroup,
  SightingsView,
} from './matcher/types.js';

export type * from './matcher/types.js';

/** Module-private access to a matcher's core, set by the class's static block. */
let internals: {
  attach<Input>(m: BaseMatcher<Input>, core: MatcherCore<Input>): void;
  core<Input>(m: BaseMatcher<Input>): MatcherCore<Input>;
};

/**
 * The matcher's calls, the same in Node and the browser: each entry exports a `Matcher`
 * subclass whose `create` and `load` supply that platform's decoder, models and runtime.
 */
export class BaseMatcher<Input = unknown> {
  // Attached after construction (see openMatcher), so the class has no constructor parameter
  // and its published type names nothing of the internals.
  #core: MatcherCore<Input> | undefined;
  static {
    internals = {
      attach: (m, core) => {
        m.#core = core;
      },
      core: (m) => m.#c,
    };
  }

  protected constructor() {}

  get #c(): MatcherCore<Input> {
    if (!this.#core) throw new MatcherError('INVALID_ARGUMENT', 'a Matcher is made by Matcher.create(), not new');
    return this.#core;
  }

  /** The validated options, defaults filled in. */
  get options(): ResolvedMatcherOptions {
    return this.#c.options;
  }

  /** Score at and above which two faces are called the same person. */
  get threshold(): number {
    return this.#c.scores.threshold;
  }

  get embedderId(): { id: string; sha256: string; dim: number } {
    return { ...this.#c.parts.embedder.modelId };
  }

  get size(): { subjects: number; templates: number } {
    return this.#c.templates.size;
  }

  /** Faces in the photo, largest first, with 5 landmarks each. */
  detect(input: Input, options: FaceOptions = {}): Promise<Face[]> {
    const c = this.#c;
    return c.guard.run('detect', async () => (await c.pipeline.faces(input, options)).map((a) => a.face));
  }

  /** One embedding per face in the photo, largest face first. */
  embed(input: Input, options: EmbedOptions = {}): Promise<FaceEmbedding[]> {
    const c = this.#c;
    return c.guard.run('embed', () => c.pipeline.embed(input, options));
  }

  /**
   * Embeddings of faces already aligned to the embedder's template (RGB, `embedder.inputSize`
   * square), e.g. crops saved from `embed(img, { aligned: true })`.
   */
  embedAligned(faces: readonly RawImage[]): Promise<Float32Array[]> {
    const c = this.#c;
    return c.guard.run('embedAligned', () => c.pipeline.embedAligned(faces));
  }

  /** Adds the largest face of the photo as a template of `subjectId`. */
  enroll(subjectId: string, input: Input, options: EnrollOptions = {}): Promise<EnrollResult> {
    const c = this.#c;
    return c.guard.run('enroll', (stillWanted) => enroll(c, subjectId, input, options, stillWanted));
  }

  /** Ranked candidate subjects for every face in the photo. */
  identify(input: Input, options: IdentifyOptions = {}): Promise<IdentifyResult[]> {
    const c = this.#c;
    return c.guard.run('identify', () => identify(c, input, options));
  }

  /** Compares the largest face of each photo. */
  verify(a: Input, b: Input, options: FaceOptions = {}): Promise<VerifyResult> {
    const c = this.#c;
    return c.guard.run('verify', () => verify(c, a, b, options));
  }

  /** Removes every template of the subject; returns how many were removed. */
  async remove(subjectId: string): Promise<number> {
    this.#c.guard.check();
    checkSubjectId(subjectId);
    return this.#c.templates.removeSubject(subjectId);
  }

  /** Adds every face of a street photo to the sightings (largest first) and regroups what it touches. */
  addSighting(input: Input, options: AddSightingOptions = {}): Promise<AddedSighting> {
    const c = this.#c;
    return c.guard.run('addSighting', (stillWanted) => addSighting(c, input, options, stillWanted));
  }

  /** Removes a sighting and its faces; returns how many faces went. SIGHTING_NOT_FOUND for an unknown id. */
  removeSighting(sightingId: string): Promise<number> {
    const c = this.#c;
    return c.guard.run('removeSighting', () => c.sightings.remove(sightingId));
  }

  /** The sightings store: photos (`size`), faces, and whether a sighting id is in it. */
  get sightings(): SightingsView {
    const store = this.#c.sightings;
    return { size: store.size, faces: store.faces, has: (sightingId: string) => store.has(sightingId) };
  }

  /** Groups of faces that look like one child, singles included; other options regroup everything. */
  groupSightings(options?: GroupingOptions): Promise<SightingGroup[]> {
    const c = this.#c;
    return c.guard.run('groupSightings', () => c.sightings.groups(options));
  }

  /** Cases ranked against all faces of a group, with `identify`'s candidate shape. GROUP_NOT_FOUND for a stale id. */
  identifyGroup(groupId: string, options: IdentifyGroupOptions = {}): Promise<Candidate[]> {
    const c = this.#c;
    return c.guard.run('identifyGroup', () => identifyGroup(c, groupId, options));
  }

  /** Moves faces out of a group into a new one that later grouping keeps apart; returns the new group's id. */
  splitGroup(groupId: string, faces: readonly FaceRef[]): Promise<string> {
    const c = this.#c;
    return c.guard.run('splitGroup', () => c.sightings.split(groupId, faces));
  }

  /** Joins two groups for good (a reviewer's decision); returns the merged group's id. */
  mergeGroups(a: string, b: string): Promise<string> {
    const c = this.#c;
    return c.guard.run('mergeGroups', () => c.sightings.merge(a, b));
  }

  /** The gallery as plain data: embedder identity and every template with its vector. */
  exportGallery(): Promise<GalleryState> {
    return exportGallery(this.#c);
  }

  /**
   * The gallery in the versioned binary format (checksummed; with `passphrase`, AES-256-GCM
   * encrypted with a PBKDF2-derived key). The same bytes load in Node and in the browser.
   */
  save(options: { passphrase?: string } = {}): Promise<Uint8Array> {
    return saveGallery(this.#c, options);
  }

  /**
   * Adds every template of a saved gallery. A gallery made with another embedder (other
   * weights, precision or dimension) is refused with GALLERY_MODEL_MISMATCH, never mixed in.
   * Validates the whole file before changing anything.
   */
  loadGallery(bytes: Uint8Array, options: { passphrase?: string } = {}): Promise<{ templates: number }> {
    return loadGallery(this.#c, bytes, options);
  }

  /** Releases the ONNX sessions and the index. The matcher cannot be used afterwards. */
  dispose(): Promise<void> {
    return closeCore(this.#c);
  }
}

/** The one `create` of both entries: builds the core on the entry's platform and hands it to `m`. */
export async function openMatcher<Input, M extends BaseMatcher<Input>>(m: M, platform: Platform<Input>, options: MatcherOptions): Promise<M> {
  internals.attach(m, await openCore(platform, options));
  return m;
}

/**
 * The one `load` of both entries: a fresh matcher holding the gallery, disposed when the
 * gallery is refused. `owned`: see `loadGallery` in src/matcher/persist.ts.
 */
export async function loadMatcher<M extends BaseMatcher<never>, O extends object>(
  create: (options: O) => Promise<M>,
  bytes: Uint8Array,
  options: O & { passphrase?: string },
  owned = false,
): Promise<M> {
  const { passphrase, ...rest } = options;
  const m = await create(rest as O);
  try {
    await loadGallery(internals.core(m), bytes, passphrase === undefined ? {} : { passphrase }, owned);
  } catch (e) {
    await m.dispose();
    throw e;
  }
  return m;
}
