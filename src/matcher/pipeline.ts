/** The face pipeline: decode -> detect -> align (+ quality) -> embed. */
import { MatcherError } from '../core/errors.js';
import { chooseFace, faceChoiceError, isAmbiguous, type FaceChoice } from '../core/face-choice.js';
import { toRGB } from '../core/image.js';
import type { DecodeLimits, Platform } from '../core/platform.js';
import { faceQuality } from '../core/quality.js';
import type { Box, Face, RawImage } from '../core/types.js';
import type { Parts } from './assemble.js';
import type { EmbedOptions, FaceEmbedding, FaceOptions } from './types.js';

const ALIGNED_SIZE = 112;

export interface PipelineLimits extends DecodeLimits {
  /** Faces kept per photo, largest first. */
  maxFaces: number;
}

export interface AlignedFace {
  face: Face;
  aligned: RawImage;
}

export class FacePipeline<Input> {
  constructor(
    private readonly platform: Platform<Input>,
    private readonly parts: Pick<Parts, 'detector' | 'aligner' | 'embedder'>,
    private readonly limits: PipelineLimits,
  ) {}

  /** Every module works on packed RGB; platforms may hand back grey or RGBA. */
  async decode(input: Input): Promise<RawImage> {
    return toRGB(await this.platform.decode(input, this.limits));
  }

  /** Detected boxes, largest first, at most `maxFaces`; with `crop`, the whole image when none is found. */
  async detect(img: RawImage, crop: boolean): Promise<Face[]> {
    let found = await this.parts.detector.detect(img);
    let assumed = false;
    if (found.length === 0 && crop) {
      found = [{ box: { x: 0, y: 0, width: img.width, height: img.height }, score: 0 }];
      assumed = true;
    }
    const kept = [...found].sort((a, b) => area(b.box) - area(a.box)).slice(0, this.limits.maxFaces);
    return kept.map((f) => ({ ...f, landmarks: [], ...(assumed ? { assumedCrop: true } : {}) }));
  }

  /** Landmarks, quality and the aligned crop of every face. */
  async align(img: RawImage, faces: Face[]): Promise<AlignedFace[]> {
    const size = this.parts.embedder.inputSize || ALIGNED_SIZE;
    const out: AlignedFace[] = [];
    for (const face of faces) {
      const a = await this.parts.aligner.align(img, face.box, size);
      const quality = faceQuality(a.landmarks, a.aligned, face.score);
      out.push({ face: { ...face, landmarks: a.landmarks, quality }, aligned: a.aligned });
    }
    return out;
  }

  /** Faces of a photo with landmarks and quality, largest first. */
  async faces(input: Input, options: FaceOptions): Promise<AlignedFace[]> {
    return (await this.photoFaces(input, options)).faces;
  }

  private async photoFaces(input: Input, options: FaceOptions): Promise<{ width: number; height: number; faces: AlignedFace[] }> {
    const img = await this.decode(input);
    return { width: img.width, height: img.height, faces: await this.align(img, await this.detect(img, options.crop ?? false)) };
  }

  /** One embedding per face in the photo, largest face first. */
  async embed(input: Input, options: EmbedOptions): Promise<FaceEmbedding[]> {
    return (await this.embedPhoto(input, options)).faces;
  }

  private async embedPhoto(input: Input, options: EmbedOptions): Promise<{ width: number; height: number; faces: FaceEmbedding[] }> {
    const { width, height, faces: aligned } = await this.photoFaces(input, options);
    if (aligned.length === 0) return { width, height, faces: [] };
    const vecs = await this.parts.embedder.embed(aligned.map((a) => a.aligned));
    const faces = aligned.map((a, i) => ({
      face: a.face,
      embedding: vecs[i]!,
      ...(options.aligned ? { aligned: a.aligned } : {}),
    }));
    return { width, height, faces };
  }

  /**
   * The face `choice` names (see FaceChoice). Without a choice: the largest face, unless another
   * is nearly as large (AMBIGUOUS_FACE: the photo does not say who the case is). NO_FACE when
   * there is none or the choice names none.
   */
  async chosenFace(input: Input, options: FaceOptions, what: string, choice: FaceChoice | undefined): Promise<FaceEmbedding> {
    const invalid = choice === undefined ? undefined : faceChoiceError(choice);
    if (invalid) throw new MatcherError('INVALID_ARGUMENT', invalid);
    const { width, height, faces } = await this.embedPhoto(input, options);
    if (faces.length === 0) return this.largestOf(faces, options, what);
    const boxes = faces.map((f) => f.face.box);
    if (choice === undefined) {
      if (isAmbiguous(boxes)) {
        const list = boxes.map((b, i) => `${i}: ${Math.round(b.width)}x${Math.round(b.height)} at (${Math.round(b.x)}, ${Math.round(b.y)})`).join('; ');
        throw new MatcherError('AMBIGUOUS_FACE', `the ${what} holds ${faces.length} faces of similar size (${list}); say which is meant with { face: index | box | 'largest' | 'central' }`);
      }
      return faces[0]!;
    }
    const i = chooseFace(boxes, choice, width, height);
    if (i < 0) throw new MatcherError('NO_FACE', `the face chosen (${JSON.stringify(choice)}) is not among the ${faces.length} found in the ${what}`);
    return faces[i]!;
  }

  /** The largest face's embedding; NO_FACE (naming `what`) when there is none. */
  async largestFace(input: Input, options: FaceOptions, what: string): Promise<FaceEmbedding> {
    return this.largestOf(await this.embed(input, options), options, what);
  }

  private largestOf(faces: FaceEmbedding[], options: FaceOptions, what: string): FaceEmbedding {
    if (faces.length === 0) {
      throw new MatcherError(
        'NO_FACE',
        `no face found in the ${what}${options.crop ? '' : '; if it is a tight face crop, pass { crop: true }'}`,
      );
    }
    return faces[0]!;
  }

  /** Embeddings of crops already aligned to the embedder's template (`inputSize` square RGB). */
  async embedAligned(faces: readonly RawImage[]): Promise<Float32Array[]> {
    const s = this.parts.embedder.inputSize;
    for (const f of faces) {
      if (f.width !== s || f.height !== s || f.channels !== 3 || f.data.length < s * s * 3) {
        throw new MatcherError('INVALID_IMAGE', `aligned faces must be ${s}x${s} RGB RawImages`);
      }
    }
    return faces.length ? this.parts.embedder.embed(faces) : [];
  }
}

function area(b: Box): number {
  return b.width * b.height;
}
