import type { Aligner } from './aligners/aligner.js';
import { falseMatchRate } from './core/calibration.js';
import { faceQuality } from './core/quality.js';
import { toRGB } from './core/image.js';
import { MatcherError } from './core/errors.js';
import { verifyModelBytes } from './core/manifest.js';
import type { ModelContext } from './core/model-context.js';
import type { Calibration, Platform } from './core/platform.js';
import type { Box, Face, RawImage } from './core/types.js';
import type { Detector } from './detectors/detector.js';
import { cosine, type Embedder } from './embedders/embedder.js';
import type { Index, Metadata, MetadataFilter } from './indexes/index.js';
import { decodeGallery, encodeGallery, type GalleryState } from './gallery/format.js';
import { SubjectTemplates } from './gallery/subjects.js';
import { matcherOptionsSchema, type MatcherOptions, type ResolvedMatcherOptions } from './options.js';
import { formatZodError, resolveModuleOptions } from './registry.js';

export interface FaceOptions {
  /**
   * The image is a tight face crop (passport photo, dataset crop): when the detector finds
   * nothing, use the whole image as the face box instead of returning no face.
   */
  crop?: boolean;
}

export interface EmbedOptions extends FaceOptions {
  /** Also return the aligned crop each embedding was computed from. */
  aligned?: boolean;
}

export interface FaceEmbedding {
  face: Face;
  embedding: Float32Array;
  aligned?: RawImage;
}

export interface EnrollOptions extends FaceOptions {
  metadata?: Metadata;
}

export interface EnrollResult {
  subjectId: string;
  templateId: string;
  face: Face;
}

export interface IdentifyOptions extends FaceOptions {
  /** Subjects returned per face (best template of each subject), default 5. */
  k?: number;
  /** Drop candidates scoring below this; default none (a reviewer sees the top k). */
  minScore?: number;
  /** Only templates whose metadata matches (equality; an array means any of). */
  filter?: MetadataFilter;
}

export interface Candidate {
  subjectId: string;
  templateId: string;
  /** Cosine similarity of the two embeddings, in [-1, 1]. */
  score: number;
  metadata: Metadata;
  /** Score >= the matcher's threshold. */
  match: boolean;
  /**
   * Estimated probability that a different person scores this high, from the embedder's
   * calibration on adult pairs (LFW) and on child-vs-adult pairs (LAG), when shipped.
   */
  falseMatchRate?: { adult?: number; childAdult?: number };
}

export interface IdentifyResult {
  face: Face;
  candidates: Candidate[];
}

export interface VerifyResult {
  score: number;
  match: boolean;
  threshold: number;
}

interface TemplateRecord {
  subjectId: string;
  metadata: Metadata;
  enrolledAt: string;
}

interface Parts {
  detector: Detector;
  aligner: Aligner;
  embedder: Embedder;
  index: Index;
  calibrations: Calibration[];
}

const ALIGNED_SIZE = 112;

/**
 * Platform-independent matcher. `src/node.ts` and `src/web.ts` export subclasses whose
 * `create` supplies the platform (decoder, model loader, runtime).
 */
export class BaseMatcher<Input = unknown> {
  protected readonly templates = new Map<string, TemplateRecord>();
  private readonly subjects = new SubjectTemplates();
  private disposed = false;
  /** Template ids being added right now (see importGallery). */
  private readonly pending = new Set<string>();

  protected constructor(
    protected readonly platform: Platform<Input>,
    readonly options: ResolvedMatcherOptions,
    protected readonly parts: Parts,
  ) {}

  /** Validates options, loads the models named in them (sha256-checked) and builds the modules. */
  protected static async init<Input>(platform: Platform<Input>, options: MatcherOptions | undefined) {
    const parsed = matcherOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) {
      throw new MatcherError('INVALID_OPTIONS', `Matcher options: ${formatZodError(parsed.error)}`);
    }
    const opts = parsed.data;
    const registry = platform.registry();
    const manifest = await platform.loadManifest();
    const ctx: ModelContext = {
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
    const det = resolveModuleOptions(registry, 'detector', opts.detector);
    const ali = resolveModuleOptions(registry, 'aligner', opts.aligner);
    const emb = resolveModuleOptions(registry, 'embedder', opts.embedder);
    const idx = resolveModuleOptions(registry, 'index', opts.index);
    const opened: { dispose(): Promise<void> }[] = [];
    try {
      const detector = await det.factory.create(ctx, det.options as never);
      opened.push(detector);
      const aligner = await ali.factory.create(ctx, ali.options as never);
      opened.push(aligner);
      const embedder = await emb.factory.create(ctx, emb.options as never);
      opened.push(embedder);
      const index = await idx.factory.create(embedder.modelId.dim, idx.options as never);
      opened.push(index);
      const calibrations = (await platform.loadCalibrations())[embedder.modelId.id] ?? [];
      return { opts, parts: { detector, aligner, embedder, index, calibrations } satisfies Parts };
    } catch (e) {
      // A half-built matcher must not keep sessions alive.
      await Promise.allSettled(opened.map((m) => m.dispose()));
      throw e;
    }
  }

  /** Loads a saved gallery into a fresh matcher, disposing it when the gallery is refused. */
  protected static async withGallery<M extends BaseMatcher<never>>(m: M, bytes: Uint8Array, passphrase?: string): Promise<M> {
    try {
      await m.loadGallery(bytes, passphrase === undefined ? {} : { passphrase });
    } catch (e) {
      await m.dispose();
      throw e;
    }
    return m;
  }

  /**
   * A persistent index (pgvector) may already hold templates from an earlier run: take them
   * into the subject map. Template ids are `subjectId#uuid`, so the subject is recoverable.
   */
  protected async adoptIndexEntries(): Promise<void> {
    if ((await this.parts.index.size()) === 0) return;
    for (const e of await this.parts.index.entries()) {
      const cut = e.id.lastIndexOf('#');
      const subjectId = cut > 0 ? e.id.slice(0, cut) : e.id;
      this.track(e.id, { subjectId, metadata: e.metadata ?? {}, enrolledAt: '' });
    }
  }

  private track(templateId: string, rec: TemplateRecord): void {
    this.templates.set(templateId, rec);
    this.subjects.add(rec.subjectId, templateId);
  }

  /** Score at and above which two faces are called the same person. */
  get threshold(): number {
    if (this.options.threshold !== undefined) return this.options.threshold;
    const lfw = this.parts.calibrations.find((c) => c.set === 'lfw');
    if (!lfw) {
      throw new MatcherError(
        'INVALID_OPTIONS',
        `embedder ${this.parts.embedder.modelId.id} has no shipped calibration; pass options.threshold`,
      );
    }
    return lfw.thresholdAtFar1e3;
  }

  get embedderId(): { id: string; sha256: string; dim: number } {
    return { ...this.parts.embedder.modelId };
  }

  get size(): { subjects: number; templates: number } {
    return { subjects: this.subjects.subjects, templates: this.templates.size };
  }

  private check(): void {
    if (this.disposed) throw new MatcherError('DISPOSED', 'this Matcher was disposed');
  }

  /**
   * Runs `fn` under the configured timeout. Work already inside the runtime cannot be
   * interrupted; `fn` calls `stillWanted()` before committing anything, so a call that has
   * answered TIMEOUT (or whose matcher was disposed) never changes the gallery afterwards.
   */
  protected async guarded<T>(what: string, fn: (stillWanted: () => void) => Promise<T>): Promise<T> {
    this.check();
    const ms = this.options.limits.timeoutMs;
    let expired = false;
    const stillWanted = () => {
      if (expired) throw new MatcherError('TIMEOUT', `${what} timed out; its result was dropped`);
      this.check();
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      if (!ms) return;
      timer = setTimeout(() => {
        expired = true;
        reject(new MatcherError('TIMEOUT', `${what} took longer than ${ms} ms (option limits.timeoutMs)`));
      }, ms);
    });
    const work = fn(stillWanted);
    // The losing side of the race must not surface as an unhandled rejection.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, timeout]);
    } catch (e) {
      // Sessions released under a running call fail inside the runtime: say why.
      if (this.disposed && !(e instanceof MatcherError && e.code === 'TIMEOUT')) {
        throw new MatcherError('DISPOSED', `this Matcher was disposed during ${what}`, { cause: e });
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every module works on packed RGB; platforms may hand back grey or RGBA. */
  protected async decode(input: Input): Promise<RawImage> {
    return toRGB(await this.platform.decode(input, this.options.limits));
  }

  private async detectRaw(img: RawImage, crop: boolean): Promise<Face[]> {
    let found = await this.parts.detector.detect(img);
    let assumed = false;
    if (found.length === 0 && crop) {
      found = [{ box: { x: 0, y: 0, width: img.width, height: img.height }, score: 0 }];
      assumed = true;
    }
    const kept = [...found]
      .sort((a, b) => area(b.box) - area(a.box))
      .slice(0, this.options.limits.maxFaces);
    return kept.map((f) => ({ ...f, landmarks: [], ...(assumed ? { assumedCrop: true } : {}) }));
  }

  private async alignAll(img: RawImage, faces: Face[]): Promise<{ face: Face; aligned: RawImage }[]> {
    const size = this.parts.embedder.inputSize || ALIGNED_SIZE;
    const out: { face: Face; aligned: RawImage }[] = [];
    for (const face of faces) {
      const a = await this.parts.aligner.align(img, face.box, size);
      const quality = faceQuality(a.landmarks, a.aligned, face.score);
      out.push({ face: { ...face, landmarks: a.landmarks, quality }, aligned: a.aligned });
    }
    return out;
  }

  /** Faces in the photo, largest first, with 5 landmarks each. */
  detect(input: Input, options: FaceOptions = {}): Promise<Face[]> {
    return this.guarded('detect', async () => {
      const img = await this.decode(input);
      const faces = await this.detectRaw(img, options.crop ?? false);
      return (await this.alignAll(img, faces)).map((a) => a.face);
    });
  }

  /** One embedding per face in the photo, largest face first. */
  embed(input: Input, options: EmbedOptions = {}): Promise<FaceEmbedding[]> {
    return this.guarded('embed', () => this.embedDecoded(input, options));
  }

  private async embedDecoded(input: Input, options: EmbedOptions): Promise<FaceEmbedding[]> {
    const img = await this.decode(input);
    const aligned = await this.alignAll(img, await this.detectRaw(img, options.crop ?? false));
    if (aligned.length === 0) return [];
    const vecs = await this.parts.embedder.embed(aligned.map((a) => a.aligned));
    return aligned.map((a, i) => ({
      face: a.face,
      embedding: vecs[i]!,
      ...(options.aligned ? { aligned: a.aligned } : {}),
    }));
  }

  /**
   * Embeddings of faces already aligned to the embedder's template (RGB, `embedder.inputSize`
   * square), e.g. crops saved from `embed(img, { aligned: true })`.
   */
  embedAligned(faces: readonly RawImage[]): Promise<Float32Array[]> {
    return this.guarded('embedAligned', async () => {
      const s = this.parts.embedder.inputSize;
      for (const f of faces) {
        if (f.width !== s || f.height !== s || f.channels !== 3 || f.data.length < s * s * 3) {
          throw new MatcherError('INVALID_IMAGE', `aligned faces must be ${s}x${s} RGB RawImages`);
        }
      }
      return faces.length ? this.parts.embedder.embed(faces) : [];
    });
  }

  private async largestFace(input: Input, options: FaceOptions, what: string): Promise<FaceEmbedding> {
    const faces = await this.embedDecoded(input, options);
    if (faces.length === 0) {
      throw new MatcherError(
        'NO_FACE',
        `no face found in the ${what}${options.crop ? '' : '; if it is a tight face crop, pass { crop: true }'}`,
      );
    }
    return faces[0]!;
  }

  /** Adds the largest face of the photo as a template of `subjectId`. */
  enroll(subjectId: string, input: Input, options: EnrollOptions = {}): Promise<EnrollResult> {
    return this.guarded('enroll', async (stillWanted) => {
      checkSubjectId(subjectId);
      const metadata = checkMetadata(options.metadata);
      const { face, embedding } = await this.largestFace(input, options, 'enrollment photo');
      const templateId = `${subjectId}#${globalThis.crypto.randomUUID()}`;
      await this.importGallery(
        { embedder: this.embedderId, templates: [{ templateId, subjectId, vector: embedding, metadata, enrolledAt: new Date().toISOString() }] },
        stillWanted,
      );
      return { subjectId, templateId, face };
    });
  }

  /** Ranked candidate subjects for every face in the photo. */
  identify(input: Input, options: IdentifyOptions = {}): Promise<IdentifyResult[]> {
    return this.guarded('identify', async () => {
      const k = options.k ?? 5;
      if (!Number.isInteger(k) || k < 1) throw new MatcherError('INVALID_ARGUMENT', `k must be a positive integer (got ${k})`);
      const faces = await this.embedDecoded(input, options);
      const out: IdentifyResult[] = [];
      for (const f of faces) out.push({ face: f.face, candidates: await this.rank(f.embedding, k, options) });
      return out;
    });
  }

  /** Best template per subject: ask the index for enough templates to cover k subjects. */
  protected async rank(query: Float32Array, k: number, options: IdentifyOptions): Promise<Candidate[]> {
    const perSubject = Math.max(1, this.subjects.maxPerSubject);
    const want = Math.min(this.templates.size, k * perSubject);
    if (want === 0) return [];
    const hits = await this.parts.index.search(query, want, options.filter ? { filter: options.filter } : {});
    const best = new Map<string, Candidate>();
    const threshold = this.threshold;
    for (const h of hits) {
      const rec = this.templates.get(h.id);
      if (!rec || best.has(rec.subjectId)) continue;
      if (options.minScore !== undefined && h.score < options.minScore) continue;
      best.set(rec.subjectId, {
        subjectId: rec.subjectId,
        templateId: h.id,
        score: h.score,
        metadata: rec.metadata,
        match: h.score >= threshold,
        falseMatchRate: this.falseMatchRates(h.score),
      });
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, k);
  }

  private falseMatchRates(score: number): Candidate['falseMatchRate'] {
    const adult = this.parts.calibrations.find((c) => c.set === 'lfw');
    const child = this.parts.calibrations.find((c) => c.set === 'lag-dev');
    return {
      ...(adult ? { adult: falseMatchRate(adult, score) } : {}),
      ...(child ? { childAdult: falseMatchRate(child, score) } : {}),
    };
  }

  /** Compares the largest face of each photo. */
  verify(a: Input, b: Input, options: FaceOptions = {}): Promise<VerifyResult> {
    return this.guarded('verify', async () => {
      const fa = await this.largestFace(a, options, 'first photo');
      const fb = await this.largestFace(b, options, 'second photo');
      const score = cosine(fa.embedding, fb.embedding);
      const threshold = this.threshold;
      return { score, match: score >= threshold, threshold };
    });
  }

  /** Removes every template of the subject; returns how many were removed. */
  async remove(subjectId: string): Promise<number> {
    this.check();
    checkSubjectId(subjectId);
    const ids = this.subjects.templatesOf(subjectId);
    if (ids.length === 0) return 0;
    await this.parts.index.remove(ids);
    for (const id of ids) this.templates.delete(id);
    this.subjects.removeSubject(subjectId);
    return ids.length;
  }

  /** The gallery as plain data: embedder identity and every template with its vector. */
  async exportGallery(): Promise<GalleryState> {
    this.check();
    const vectors = new Map((await this.parts.index.entries()).map((e) => [e.id, e.vector]));
    const templates = [...this.templates].map(([templateId, rec]) => {
      const vector = vectors.get(templateId);
      if (!vector) throw new MatcherError('INDEX_ERROR', `template ${templateId} is missing from the index`);
      return { templateId, subjectId: rec.subjectId, vector, metadata: rec.metadata, enrolledAt: rec.enrolledAt };
    });
    return { embedder: this.embedderId, templates };
  }

  /**
   * The gallery in the versioned binary format (checksummed; with `passphrase`, AES-256-GCM
   * encrypted with a PBKDF2-derived key). The same bytes load in Node and in the browser.
   */
  async save(options: { passphrase?: string } = {}): Promise<Uint8Array> {
    return encodeGallery(await this.exportGallery(), options);
  }

  /**
   * Adds every template of a saved gallery. A gallery made with another embedder (other
   * weights, precision or dimension) is refused with GALLERY_MODEL_MISMATCH, never mixed in.
   * Validates the whole file before changing anything.
   */
  async loadGallery(bytes: Uint8Array, options: { passphrase?: string } = {}): Promise<{ templates: number }> {
    this.check();
    const state = await decodeGallery(bytes, { ...options, expectEmbedder: this.embedderId });
    await this.importGallery(state);
    return { templates: state.templates.length };
  }

  /**
   * Adds templates all-or-nothing. Ids are reserved before the first await so two concurrent
   * imports cannot both pass the clash check; `stillWanted` is checked after the index write
   * and the write is rolled back when the caller has given up (timeout, dispose).
   */
  protected async importGallery(state: GalleryState, stillWanted: () => void = () => this.check()): Promise<void> {
    const ids = state.templates.map((t) => t.templateId);
    const clash = ids.find((id) => this.templates.has(id) || this.pending.has(id)) ?? ids.find((id, i) => ids.indexOf(id) !== i);
    if (clash) throw new MatcherError('GALLERY_INVALID', `template ${clash} is already in this gallery`);
    for (const id of ids) this.pending.add(id);
    try {
      stillWanted();
      await this.parts.index.add(state.templates.map((t) => ({ id: t.templateId, vector: t.vector, metadata: t.metadata })));
      try {
        stillWanted();
      } catch (e) {
        await this.parts.index.remove(ids).catch(() => undefined);
        throw e;
      }
      for (const t of state.templates) {
        this.track(t.templateId, { subjectId: t.subjectId, metadata: t.metadata, enrolledAt: t.enrolledAt });
      }
    } finally {
      for (const id of ids) this.pending.delete(id);
    }
  }

  /** Releases the ONNX sessions and the index. The matcher cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const { detector, aligner, embedder, index } = this.parts;
    await Promise.all([detector.dispose(), aligner.dispose(), embedder.dispose(), index.dispose()]);
  }
}

function area(b: Box): number {
  return b.width * b.height;
}

function checkSubjectId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.trim().length === 0) {
    throw new MatcherError('INVALID_ARGUMENT', `subjectId must be a non-empty string (got ${JSON.stringify(id) ?? String(id)})`);
  }
  if (id.length > 256) throw new MatcherError('INVALID_ARGUMENT', 'subjectId is longer than 256 characters');
}

function checkMetadata(m: unknown): Metadata {
  if (m === undefined) return {};
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new MatcherError('INVALID_ARGUMENT', 'metadata must be a plain object of string/number/boolean/null values');
  }
  for (const [k, v] of Object.entries(m)) {
    const t = typeof v;
    if (!(v === null || t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v)))) {
      throw new MatcherError('INVALID_ARGUMENT', `metadata.${k} must be a string, finite number, boolean or null`);
    }
  }
  return { ...(m as Metadata) };
}
