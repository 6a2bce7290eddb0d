import { z } from 'zod';
import { cropResize, cropRGB, packTensor, resizeRGB, toRGB } from '../core/image.js';
import type { ModelContext } from '../core/model-context.js';
import { iou, nms } from '../core/nms.js';
import { OnnxModel } from '../core/onnx-model.js';
import type { Face, RawImage } from '../core/types.js';
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

/** One pyramid level: the photo resized by `scale`, cut into detector-sized tiles. */
interface Level {
  scale: number;
  tiles: { x: number; y: number }[];
  /** Larger detections (photo pixels) are dropped: a coarser level covers them whole. */
  maxFace: number;
}

// The face size (in detector-input pixels) above which UltraFace is reliable; its smallest prior is 10 px.
const RELIABLE_FACE_PX = 24;
// Confirmation window side, in face sizes (see confirm()).
const CONFIRM_CONTEXT = 1.7;

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

  /**
   * The pyramid for a photo: the whole photo letterboxed at scale s0, then, while a
   * `minFaceSize` face would be smaller than the detector sees reliably, finer levels (x2
   * each) cut into overlapping detector-sized tiles. Tile offsets are in the level's pixels.
   */
  levels(width: number, height: number, minFaceSize: number): Level[] {
    const { inW, inH } = this;
    const s0 = Math.min(inW / width, inH / height);
    const out: Level[] = [
      { scale: s0, tiles: [{ x: Math.round((width * s0 - inW) / 2), y: Math.round((height * s0 - inH) / 2) }], maxFace: Infinity },
    ];
    const sMax = RELIABLE_FACE_PX / minFaceSize;
    let sPrev = s0;
    for (let s = s0 * 2; s0 < sMax; s *= 2) {
      const sc = Math.min(s, sMax);
      const w = Math.round(width * sc);
      const h = Math.round(height * sc);
      // Overlap holds any face too small for the coarser level, so none is cut by a tile edge.
      const overlap = Math.ceil(2.5 * RELIABLE_FACE_PX);
      const nx = Math.max(1, Math.ceil((w - overlap) / (inW - overlap)));
      const ny = Math.max(1, Math.ceil((h - overlap) / (inH - overlap)));
      const tiles: { x: number; y: number }[] = [];
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          tiles.push({
            x: nx > 1 ? Math.round((i * (w - inW)) / (nx - 1)) : Math.round((w - inW) / 2),
            y: ny > 1 ? Math.round((j * (h - inH)) / (ny - 1)) : Math.round((h - inH) / 2),
          });
        }
      }
      // Faces the coarser level sees reliably are left to it: in a tile they are often cut in half.
      out.push({ scale: sc, tiles, maxFace: (1.5 * RELIABLE_FACE_PX) / sPrev });
      sPrev = sc;
      if (sc >= sMax) break;
    }
    return out;
  }

  /** `scaled` is the photo resized by about `level.scale` (its exact size sets the mapping back). */
  private async detectLevel(img: RawImage, scaled: RawImage, level: Level): Promise<Detection[]> {
    const { inW, inH } = this;
    const { input } = this.model.entry;
    // Actual scale per axis after rounding the level's size.
    const sx = scaled.width / img.width;
    const sy = scaled.height / img.height;
    const found: Detection[] = [];
    for (const t of level.tiles) {
      // Fill with the normalisation mean so padding reads as zero to the network.
      const frame = cropRGB(scaled, t.x, t.y, inW, inH, input.mean[0]!);
      const tensor = packTensor([frame], input.layout, input.color, input.mean, input.std);
      const out = await this.model.run(tensor, [1, 3, inH, inW]);
      const scores = out['scores']!.data;
      const boxes = out['boxes']!.data;
      const n = scores.length / 2;
      const tiled = level.tiles.length > 1;
      for (let i = 0; i < n; i++) {
        const score = scores[i * 2 + 1]!;
        if (score < this.opts.threshold) continue;
        const bx1 = t.x + boxes[i * 4]! * inW;
        const by1 = t.y + boxes[i * 4 + 1]! * inH;
        const bx2 = t.x + boxes[i * 4 + 2]! * inW;
        const by2 = t.y + boxes[i * 4 + 3]! * inH;
        if (tiled && cutByTileEdge(bx1, by1, bx2, by2, t.x, t.y, inW, inH, scaled.width, scaled.height)) continue;
        const box = { x: bx1 / sx, y: by1 / sy, width: (bx2 - bx1) / sx, height: (by2 - by1) / sy };
        // Boxes may extend past the photo (a face cut by the edge); their centre may not.
        const cx = box.x + box.width / 2;
        const cy = box.y + box.height / 2;
        if (box.width < 2 || box.height < 2 || cx < 0 || cy < 0 || cx >= img.width || cy >= img.height) continue;
        if (Math.max(box.width, box.height) > level.maxFace) continue;
        found.push({ box, score });
      }
    }
    return nms(found, this.opts.nmsIou);
  }

  async detect(img: RawImage, options: DetectOptions = {}): Promise<Detection[]> {
    const minFace = options.minFaceSize ?? this.opts.minFaceSize;
    const rgb = toRGB(img);
    const all: Detection[] = [];
    // Finest level first, each coarser one resized from the previous: shrinking a large photo
    // once, not once per level.
    let source = rgb;
    for (const level of this.levels(rgb.width, rgb.height, minFace).reverse()) {
      source = resizeRGB(source, Math.max(1, Math.round(rgb.width * level.scale)), Math.max(1, Math.round(rgb.height * level.scale)));
      all.push(...(await this.detectLevel(rgb, source, level)));
    }
    if (all.length === 0) {
      // A face filling the frame is larger than UltraFace's biggest prior: look again from further away.
      const s0 = this.levels(rgb.width, rgb.height, Infinity)[0]!.scale;
      for (const zoom of [2, 3]) {
        const sc = s0 / zoom;
        const x = Math.round((rgb.width * sc - this.inW) / 2);
        const y = Math.round((rgb.height * sc - this.inH) / 2);
        const scaled = resizeRGB(rgb, Math.max(1, Math.round(rgb.width * sc)), Math.max(1, Math.round(rgb.height * sc)));
        all.push(...(await this.detectLevel(rgb, scaled, { scale: sc, tiles: [{ x, y }], maxFace: Infinity })));
        if (all.length) break;
      }
    }
    const kept = nms(all, this.opts.nmsIou);
    const confirmed: Detection[] = [];
    for (const d of kept) {
      const c = await this.confirm(rgb, d);
      if (c) confirmed.push(c);
    }
    return nms(confirmed, this.opts.nmsIou);
  }

  /**
   * Looks again at each candidate with the face centred and filling ~40% of the detector
   * input. Texture that fooled one tile (a sleeve, hair) rarely passes twice; a real face
   * does, with a better-fitting box, which the aligner then uses.
   */
  private async confirm(img: RawImage, d: Detection): Promise<Detection | null> {
    const { inW, inH } = this;
    const { input } = this.model.entry;
    const side = CONFIRM_CONTEXT * Math.max(d.box.width, d.box.height);
    // Whole-pixel window: the runtimes (Node, wasm) differ in the last float bits of the first
    // box; rounding keeps that noise out of the second look, so both platforms see equal pixels.
    const win = {
      x: Math.round(d.box.x + d.box.width / 2 - (side * inW) / inH / 2),
      y: Math.round(d.box.y + d.box.height / 2 - side / 2),
      width: Math.round((side * inW) / inH),
      height: Math.round(side),
    };
    const frame = cropResize(img, win, inW, inH, input.mean[0]);
    const out = await this.model.run(packTensor([frame], input.layout, input.color, input.mean, input.std), [1, 3, inH, inW]);
    const scores = out['scores']!.data;
    const boxes = out['boxes']!.data;
    let best: Detection | null = null;
    let bestIou = 0.4;
    for (let i = 0; i < scores.length / 2; i++) {
      const score = scores[i * 2 + 1]!;
      if (score < this.opts.threshold) continue;
      const x1 = win.x + boxes[i * 4]! * win.width;
      const y1 = win.y + boxes[i * 4 + 1]! * win.height;
      const box = { x: x1, y: y1, width: win.x + boxes[i * 4 + 2]! * win.width - x1, height: win.y + boxes[i * 4 + 3]! * win.height - y1 };
      const o = iou(box, d.box);
      if (o > bestIou || (best && o === bestIou && score > best.score)) {
        bestIou = o;
        best = { box, score };
      }
    }
    return best;
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/**
 * A box touching a tile edge that lies inside the level image is a face cut by the tile;
 * tiles overlap by more than a small face, so the whole face is found in a neighbouring tile.
 */
function cutByTileEdge(x1: number, y1: number, x2: number, y2: number, tx: number, ty: number, tw: number, th: number, w: number, h: number): boolean {
  const m = 2;
  return (
    (x1 <= tx + m && tx > 0) ||
    (y1 <= ty + m && ty > 0) ||
    (x2 >= tx + tw - m && tx + tw < w) ||
    (y2 >= ty + th - m && ty + th < h)
  );
}
