import { z } from 'zod';
import { cropResize, packTensor } from '../core/image.js';
import type { ModelContext } from '../core/model-context.js';
import { nms } from '../core/nms.js';
import { OnnxModel } from '../core/onnx-model.js';
import type { Box, Face, RawImage } from '../core/types.js';
import type { DetectOptions, Detector } from './detector.js';

export const ultrafaceSchema = z
  .object({
    /** Minimum detector score (face probability) for a box to count. */
    threshold: z.number().min(0).max(1).default(0.7),
    /** Boxes overlapping more than this (IoU) are the same face. */
    nmsIou: z.number().gt(0).max(1).default(0.4),
    /** Smallest face side in pixels that large photos are searched for (sets the number of tiles). */
    minFaceSize: z.number().min(8).default(40),
    precision: z.string().optional(),
  })
  .strict();
export type UltrafaceOptions = z.infer<typeof ultrafaceSchema>;

type Detection = Omit<Face, 'landmarks'>;

/** A region of the photo mapped onto the whole detector input. */
interface Window extends Box {
  /** Larger detections are dropped: a coarser window covers them whole. */
  maxFace: number;
}

// The face size (in detector-input pixels) above which UltraFace is reliable; its smallest prior is 10 px.
const RELIABLE_FACE_PX = 24;

/**
 * UltraFace-320 (RFB). Runs over a pyramid of windows: the whole photo letterboxed, then,
 * for photos too large for `minFaceSize` faces to survive that shrink, overlapping tiles at
 * finer scales. When nothing is found, a zoomed-out pass catches faces filling the frame.
 */
export class UltrafaceDetector implements Detector {
  readonly name = 'ultraface';
  private constructor(
    private readonly model: OnnxModel,
    private readonly opts: UltrafaceOptions,
  ) {}

  static async create(ctx: ModelContext, options: UltrafaceOptions): Promise<UltrafaceDetector> {
    return new UltrafaceDetector(await OnnxModel.open(ctx, 'ultraface', options.precision), options);
  }

  private get inW(): number {
    return this.model.entry.input.shape[3]!;
  }
  private get inH(): number {
    return this.model.entry.input.shape[2]!;
  }

  /** Windows (in source pixels, each mapped onto the full detector input) covering the photo. */
  windows(width: number, height: number, minFaceSize: number): Window[] {
    const { inW, inH } = this;
    const s0 = Math.min(inW / width, inH / height);
    const full: Window = { x: (width - inW / s0) / 2, y: (height - inH / s0) / 2, width: inW / s0, height: inH / s0, maxFace: Infinity };
    const out: Window[] = [full];
    let sPrev = s0;
    const sMax = RELIABLE_FACE_PX / minFaceSize;
    for (let s = s0 * 2; s0 < sMax; s *= 2) {
      const sc = Math.min(s, sMax);
      const tw = inW / sc;
      const th = inH / sc;
      // Overlap holds any face too small for the previous (coarser) level, so none is cut by a tile edge.
      const overlap = (2.5 * RELIABLE_FACE_PX) / sc;
      const nx = Math.max(1, Math.ceil((width - overlap) / (tw - overlap)));
      const ny = Math.max(1, Math.ceil((height - overlap) / (th - overlap)));
      const stepX = nx > 1 ? (width - tw) / (nx - 1) : 0;
      const stepY = ny > 1 ? (height - th) / (ny - 1) : 0;
      // Faces the coarser level sees reliably are left to it: in a tile they are often cut in half.
      const maxFace = (1.5 * RELIABLE_FACE_PX) / sPrev;
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          out.push({
            x: nx > 1 ? i * stepX : (width - tw) / 2,
            y: ny > 1 ? j * stepY : (height - th) / 2,
            width: tw,
            height: th,
            maxFace,
          });
        }
      }
      sPrev = sc;
      if (sc >= sMax) break;
    }
    return out;
  }

  private async detectWindow(img: RawImage, win: Window): Promise<Detection[]> {
    const { inW, inH } = this;
    const { input } = this.model.entry;
    // Fill with the normalisation mean so padding reads as zero to the network.
    const frame = cropResize(img, win, inW, inH, input.mean[0]);
    const tensor = packTensor([frame], input.layout, input.color, input.mean, input.std);
    const out = await this.model.run(tensor, [1, 3, inH, inW]);
    const scores = out['scores']!.data;
    const boxes = out['boxes']!.data;
    const n = scores.length / 2;
    const found: Detection[] = [];
    for (let i = 0; i < n; i++) {
      const score = scores[i * 2 + 1]!;
      if (score < this.opts.threshold) continue;
      const x1 = win.x + boxes[i * 4]! * win.width;
      const y1 = win.y + boxes[i * 4 + 1]! * win.height;
      const x2 = win.x + boxes[i * 4 + 2]! * win.width;
      const y2 = win.y + boxes[i * 4 + 3]! * win.height;
      const box = { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
      // Boxes may extend past the photo (a face cut by the edge); their centre may not.
      const cx = x1 + box.width / 2;
      const cy = y1 + box.height / 2;
      if (box.width < 2 || box.height < 2 || cx < 0 || cy < 0 || cx >= img.width || cy >= img.height) continue;
      if (Math.max(box.width, box.height) > win.maxFace) continue;
      if (win.maxFace < Infinity && cutByTileEdge(box, win, img.width, img.height)) continue;
      found.push({ box, score });
    }
    return nms(found, this.opts.nmsIou);
  }

  async detect(img: RawImage, options: DetectOptions = {}): Promise<Detection[]> {
    const minFace = options.minFaceSize ?? this.opts.minFaceSize;
    const all: Detection[] = [];
    for (const win of this.windows(img.width, img.height, minFace)) {
      all.push(...(await this.detectWindow(img, win)));
    }
    if (all.length === 0) {
      // A face filling the frame is larger than UltraFace's biggest prior: look again from further away.
      for (const zoom of [2, 3]) {
        const full = this.windows(img.width, img.height, Infinity)[0]!;
        const win: Window = {
          maxFace: Infinity,
          x: full.x - (full.width * (zoom - 1)) / 2,
          y: full.y - (full.height * (zoom - 1)) / 2,
          width: full.width * zoom,
          height: full.height * zoom,
        };
        all.push(...(await this.detectWindow(img, win)));
        if (all.length) break;
      }
    }
    return nms(all, this.opts.nmsIou);
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/**
 * A box touching a tile edge that lies inside the photo is a face cut by the tile; tiles
 * overlap by more than a small face, so the whole face is found in a neighbouring tile.
 */
function cutByTileEdge(b: Box, win: Box, w: number, h: number): boolean {
  const m = 2;
  const touchesLeft = b.x <= win.x + m && win.x > m;
  const touchesTop = b.y <= win.y + m && win.y > m;
  const touchesRight = b.x + b.width >= win.x + win.width - m && win.x + win.width < w - m;
  const touchesBottom = b.y + b.height >= win.y + win.height - m && win.y + win.height < h - m;
  return touchesLeft || touchesTop || touchesRight || touchesBottom;
}
