/** The face pipeline: decode -> detect -> align (+ quality) -> embed. */
import { MatcherError } from '../core/errors.js';
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
    const img = await this.decode(input);
    return this.align(img, await this.detect(img, options.crop ?? false));
  }

  /** One embedding per face in the photo, largest face first. */
  async embed(input: Input, options: EmbedOptions): Promise<FaceEmbedding[]> {
    const aligned = await this.faces(input, options);
    if (aligned.length === 0) return [];
    const vecs = await this.parts.embedder.embed(aligned.map((a) => a.aligned));
    return aligned.map((a, i) => ({
      face: a.face,
      embedding: vecs[i]!,
      ...(options.aligned ? { aligned: a.aligned } : {}),
    }));
  }

  /** The largest face's embedding; NO_FACE (naming `what`) when there is none. */
  async largestFace(input: Input, options: FaceOptions, what: string): Promise<FaceEmbedding> {
    const faces = await this.embed(input, options);
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
