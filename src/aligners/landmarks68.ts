import { z } from 'zod';
import { cropResize, packTensor, warpInverse } from '../core/image.js';
import type { ModelContext } from '../core/model-context.js';
import { OnnxModel } from '../core/onnx-model.js';
import { ARCFACE_TEMPLATE_112, invertAffine, similarityTransform } from '../core/similarity-transform.js';
import type { Box, Point, RawImage } from '../core/types.js';
import type { Aligner, Alignment } from './aligner.js';

export const landmarks68Schema = z
  .object({
    precision: z.string().optional(),
  })
  .strict();
export type Landmarks68Options = z.infer<typeof landmarks68Schema>;

/** 68-point (iBUG) indices, 0-based, reduced to the 5 ArcFace points. */
const LEFT_EYE = [37, 38, 40, 41];
const RIGHT_EYE = [43, 44, 46, 47];
const NOSE_TIP = [30];
const LEFT_MOUTH = [48, 60];
const RIGHT_MOUTH = [54, 64];

export function fivePointsFrom68(p: readonly Point[]): Point[] {
  const mean = (idx: number[]): Point => {
    let x = 0, y = 0;
    for (const i of idx) {
      x += p[i]![0];
      y += p[i]![1];
    }
    return [x / idx.length, y / idx.length];
  };
  return [mean(LEFT_EYE), mean(RIGHT_EYE), mean(NOSE_TIP), mean(LEFT_MOUTH), mean(RIGHT_MOUTH)];
}

/** Warps a face onto the ArcFace template scaled to `size` using its 5 points. */
export function alignToTemplate(img: RawImage, five: readonly Point[], size: number): RawImage {
  const k = size / 112;
  const dst = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [x * k, y * k]);
  const fwd = similarityTransform(five, dst);
  return warpInverse(img, invertAffine(fwd), size, size, 0);
}

/**
 * 68-point landmark regressor on a 64x64 grey crop (square, side = box height, centred on
 * the box), then a 5-point similarity warp.
 */
export class Landmarks68Aligner implements Aligner {
  readonly name = 'landmarks68';
  private constructor(private readonly model: OnnxModel) {}

  static async create(ctx: ModelContext, options: Landmarks68Options): Promise<Landmarks68Aligner> {
    return new Landmarks68Aligner(await OnnxModel.open(ctx, 'landmarks68', options.precision));
  }

  async landmarks68(img: RawImage, box: Box): Promise<Point[]> {
    const { input } = this.model.entry;
    const side = box.height;
    const crop: Box = { x: box.x + box.width / 2 - side / 2, y: box.y, width: side, height: side };
    const sz = input.shape[3]!;
    const patch = cropResize(img, crop, sz, sz, 0);
    const tensor = packTensor([patch], input.layout, input.color, input.mean, input.std);
    const out = await this.model.run(tensor, [1, 1, sz, sz]);
    const v = out[this.model.entry.outputs[0]!]!.data;
    const pts: Point[] = [];
    for (let i = 0; i + 1 < v.length; i += 2) pts.push([crop.x + v[i]! * side, crop.y + v[i + 1]! * side]);
    return pts;
  }

  async align(img: RawImage, box: Box, size: number): Promise<Alignment> {
    const five = fivePointsFrom68(await this.landmarks68(img, box));
    return { landmarks: five, aligned: alignToTemplate(img, five, size) };
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
