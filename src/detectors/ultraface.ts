import { z } from 'zod';
import { cropResize, cropRGB, packTensor, resizeRGB, toRGB } from '../core/image.js';
import type { ImageOps } from '../core/image-ops.js';
import type { ModelContext } from '../core/model-context.js';
import { iou, nms } from '../core/nms.js';
import { OnnxModel } from '../core/onnx-model.js';
import type { Face, RawImage } from '../core/types.js';
import type { DetectOptions, Detector } from './detector.js';
import { decodeFaces } from './ultraface-priors.js';
import { cutByWindowEdge, pyramid, type Level, type PyramidSettings, type Window } from './ultraface-pyramid.js';

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
/** A first-look detection; `fine`: found on a pyramid level finer than the whole-photo one. */
type Candidate = Detection & { fine?: boolean };

type ResizeRGB = ImageOps['resize'];

// Face sizes in detector-input pixels (its smallest prior is 10 px): found reliably at the
// threshold from 24 px; from 20 px with proposals at 0.3 confirmed at the threshold, which on
// the small-face bench (npm run bench:e2e) finds 20-px faces more often than 24 px did alone
// (18 px lost some 20- to 40-px faces in JPEG scenes). A 40-px face then means a level at
// exactly half size: a 2x2 average, the cheapest resize.
const DEFAULTS: Omit<PyramidSettings, 'inW' | 'inH'> = {
  reliableFacePx: 24,
  smallestFacePx: 20,
  levelStep: 4,
  maxWindowPixels: 4_500_000,
  proposalThreshold: 0.3,
};
const NATIVE_RESIZE_MIN_PIXELS = 4_000_000;
// Largest level tensor kept for the next photo (floats: 64 MB), the level of a 12-MP photo's finest.
const MAX_SPARE_FLOATS = 16 * 2 ** 20;
// Confirmation window side, in face sizes (see confirm()).
const CONFIRM_CONTEXT = 1.7;

/**
 * UltraFace-RFB (trained at 320x240), cut before its fixed-size box decode so it runs at any
 * input size. Runs over a pyramid (ultraface-pyramid.ts): the whole photo letterboxed, then,
 * for photos too large for `minFaceSize` faces to survive that shrink, finer levels each run
 * whole. When nothing is found, a zoomed-out pass catches faces filling the frame.
 */
export class UltrafaceDetector implements Detector {
  readonly name = 'ultraface';
  private readonly settings: PyramidSettings;
  private spare: Float32Array | undefined;
  private constructor(
    private readonly model: OnnxModel,
    private readonly opts: UltrafaceOptions,
    tuning: Partial<PyramidSettings>,
    private readonly nativeResize: ResizeRGB | undefined,
  ) {
    const [, , inH, inW] = model.entry.input.shape;
    this.settings = { ...DEFAULTS, ...tuning, inW: inW!, inH: inH! };
  }

  /**
   * `tuning` is for benchmarks that compare pyramid settings. Every level of a photo of 4
   * megapixels and more is resized by the platform's native scaler when it has one (sharp in
   * Node, the browser's own): there the JS filter is the largest cost (its levels after the
   * first too: a 12-MP photo's 3-MP level shrunk by JS took longer than the native first
   * shrink). Below, the JS filter costs little and keeps Node and browsers on the same
   * pixels; above, a face at the edge of detection can be found on one platform and not the
   * other.
   */
  static async create(ctx: ModelContext, options: UltrafaceOptions, tuning: Partial<PyramidSettings> = {}): Promise<UltrafaceDetector> {
    return new UltrafaceDetector(await OnnxModel.open(ctx, 'ultraface', options.precision), options, tuning, ctx.backend.imageOps?.resize);
  }

  /** Resizes a level of `photo` (the native scaler for large photos, see create()). */
  private resize(photo: RawImage, img: RawImage, w: number, h: number): RawImage | Promise<RawImage> {
    return this.nativeResize && photo.width * photo.height >= NATIVE_RESIZE_MIN_PIXELS ? this.nativeResize(img, w, h) : resizeRGB(img, w, h);
  }

  private get inW(): number {
    return this.settings.inW;
  }
  private get inH(): number {
    return this.settings.inH;
  }

  levels(width: number, height: number, minFaceSize: number): Level[] {
    return pyramid(width, height, minFaceSize, this.settings);
  }

  /** Runs one window of a level image; `found` gets boxes in level pixels. */
  private async runWindow(scaled: RawImage, win: Window, threshold: number, found: (score: number, x1: number, y1: number, x2: number, y2: number) => void, stages?: Record<string, number>): Promise<void> {
    const { input } = this.model.entry;
    const t0 = performance.now();
    // Fill with the normalisation mean so padding reads as zero to the network.
    const whole = win.x === 0 && win.y === 0 && win.width === scaled.width && win.height === scaled.height;
    const frame = whole ? scaled : cropRGB(scaled, win.x, win.y, win.width, win.height, input.mean[0]!);
    // The last large tensor is reused (taken while in use, so overlapping calls never share it).
    const spare = this.spare?.length === 3 * win.width * win.height ? this.spare : undefined;
    if (spare) this.spare = undefined;
    const tensor = packTensor([frame], input.layout, input.color, input.mean, input.std, spare);
    const t1 = performance.now();
    const out = await this.model.run(tensor, [1, 3, win.height, win.width]);
    if (tensor.length >= (this.spare?.length ?? 0) && tensor.length <= MAX_SPARE_FLOATS) this.spare = tensor;
    if (stages) {
      addStage(stages, 'pack', t1 - t0);
      addStage(stages, 'detectorRuns', performance.now() - t1);
      addStage(stages, 'detectorCalls', 1);
      addStage(stages, 'detectorPixels', win.width * win.height);
    }
    decodeFaces(out['scores']!.data, out['loc']!.data, win.width, win.height, threshold, (score, x1, y1, x2, y2) =>
      found(score, win.x + x1, win.y + y1, win.x + x2, win.y + y2),
    );
  }

  /** `scaled` is the photo resized by about `level.scale` (its exact size sets the mapping back). */
  private async detectLevel(img: RawImage, scaled: RawImage, level: Level, stages?: Record<string, number>, fine = false): Promise<Candidate[]> {
    // Actual scale per axis after rounding the level's size.
    const sx = scaled.width / img.width;
    const sy = scaled.height / img.height;
    const found: Candidate[] = [];
    const split = level.windows.length > 1;
    for (const win of level.windows) {
      await this.runWindow(scaled, win, Math.min(this.opts.threshold, level.proposalThreshold ?? 1), (score, bx1, by1, bx2, by2) => {
        if (split && cutByWindowEdge(bx1, by1, bx2, by2, win, scaled.width, scaled.height)) return;
        const box = { x: bx1 / sx, y: by1 / sy, width: (bx2 - bx1) / sx, height: (by2 - by1) / sy };
        // Boxes may extend past the photo (a face cut by the edge); their centre may not.
        const cx = box.x + box.width / 2;
        const cy = box.y + box.height / 2;
        if (box.width < 2 || box.height < 2 || cx < 0 || cy < 0 || cx >= img.width || cy >= img.height) return;
        if (Math.max(box.width, box.height) > level.maxFace) return;
        found.push(fine ? { box, score, fine } : { box, score });
      }, stages);
    }
    return nms(found, this.opts.nmsIou);
  }

  async detect(img: RawImage, options: DetectOptions = {}): Promise<Detection[]> {
    const minFace = options.minFaceSize ?? this.opts.minFaceSize;
    const rgb = toRGB(img);
    const all: Candidate[] = [];
    // Finest level first, each coarser one resized from the previous: shrinking a large photo
    // once, not once per level.
    const stages = options.stages;
    let source = rgb;
    const levels = this.levels(rgb.width, rgb.height, minFace);
    for (const [i, level] of levels.entries()) {
      const t0 = performance.now();
      source = await this.resize(rgb, source, Math.max(1, Math.round(rgb.width * level.scale)), Math.max(1, Math.round(rgb.height * level.scale)));
      if (stages) addStage(stages, 'resize', performance.now() - t0);
      all.push(...(await this.detectLevel(rgb, source, level, stages, i < levels.length - 1)));
    }
    if (all.length === 0) {
      // A face filling the frame is larger than UltraFace's biggest prior: look again from further away.
      const s0 = Math.min(this.inW / rgb.width, this.inH / rgb.height);
      for (const zoom of [2, 3]) {
        const sc = s0 / zoom;
        const x = Math.round((rgb.width * sc - this.inW) / 2);
        const y = Math.round((rgb.height * sc - this.inH) / 2);
        const scaled = await this.resize(rgb, rgb, Math.max(1, Math.round(rgb.width * sc)), Math.max(1, Math.round(rgb.height * sc)));
        all.push(...(await this.detectLevel(rgb, scaled, { scale: sc, windows: [{ x, y, width: this.inW, height: this.inH }], maxFace: Infinity }, stages)));
        if (all.length) break;
      }
    }
    const kept = nms(all, this.opts.nmsIou);
    const confirmed: Detection[] = [];
    const t0 = performance.now();
    for (const d of kept) {
      const c = await this.confirm(rgb, d, d.fine ?? false);
      if (c) confirmed.push(c);
    }
    if (stages) {
      addStage(stages, 'confirm', performance.now() - t0);
      addStage(stages, 'confirmCalls', kept.length);
    }
    return nms(confirmed, this.opts.nmsIou);
  }

  /**
   * Looks again at each candidate with the face centred and filling ~40% of the detector
   * input. Texture that fooled one tile (a sleeve, hair) rarely passes twice; a real face
   * does, with a better-fitting box, which the aligner then uses.
   */
  private async confirm(img: RawImage, d: Detection, fine: boolean): Promise<Detection | null> {
    const side = CONFIRM_CONTEXT * Math.max(d.box.width, d.box.height);
    // A small face from a finer level of a large photo is looked at in a half-size input:
    // upsampling it further adds no detail, only work. Portraits keep the full-size look.
    const half = fine && side <= this.inH / 2;
    const inW = half ? this.inW / 2 : this.inW;
    const inH = half ? this.inH / 2 : this.inH;
    const { input } = this.model.entry;
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
    let best: Detection | null = null;
    let bestIou = 0.4;
    decodeFaces(out['scores']!.data, out['loc']!.data, inW, inH, this.opts.threshold, (score, x1, y1, x2, y2) => {
      const bx = win.x + (x1 / inW) * win.width;
      const by = win.y + (y1 / inH) * win.height;
      const box = { x: bx, y: by, width: win.x + (x2 / inW) * win.width - bx, height: win.y + (y2 / inH) * win.height - by };
      const o = iou(box, d.box);
      if (o > bestIou || (best && o === bestIou && score > best.score)) {
        bestIou = o;
        best = { box, score };
      }
    });
    return best;
  }

  dispose(): Promise<void> {
    this.spare = undefined;
    return this.model.dispose();
  }
}

function addStage(stages: Record<string, number>, name: string, value: number): void {
  stages[name] = (stages[name] ?? 0) + value;
}
