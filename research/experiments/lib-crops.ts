/**
 * Per-image face crops cached on disk so every embedder of research/experiments/embedders.ts reuses one
 * detection pass. For each image of a set we keep:
 * - our 112x112 RGB crop aligned to the ArcFace 5-point template (what mobilefacenet@fp32 sees),
 * - human's own face crop: the detector box enlarged x1.4 around its centre, made square and
 *   cut+resized to 256x256 (human's facemesh pipeline: blazeface.ts `enlargeBox(scaledBox,
 *   config.face.detector.scale || 1.4)` then `squarifyBox`, facemeshutil.ts `cutAndResize` to the
 *   facemesh input size 256). Human's embedders then resize that 256 tensor to their input size.
 * - our embedding of the aligned crop (512-d, mobilefacenet@fp32).
 * Records are fixed-size in bench/results/aligned/<set>.bin with an index in <set>.json; the run
 * can be interrupted and resumed (CPU is shared, runs must stay short).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage, type Matcher, type RawImage } from '../../src/node.js';
import { toRGB } from '../../src/core/image.js';
import { centralFace } from '../../bench/lib/embed-set.js';

export const ALIGNED = 112;
export const HUMAN_CROP = 256;
export const OUR_DIM = 512;
const A_BYTES = ALIGNED * ALIGNED * 3;
const H_BYTES = HUMAN_CROP * HUMAN_CROP * 3;
const RECORD = A_BYTES + H_BYTES + OUR_DIM * 4;

export interface CropIndex {
  paths: string[];
  /** false: no face could be embedded for that image. */
  ok: boolean[];
  done: number;
}

export interface CropRecord {
  aligned: RawImage;
  human: RawImage;
  ours: Float32Array;
}

function files(set: string): { bin: string; idx: string } {
  const dir = join('bench', 'results', 'aligned');
  mkdirSync(dir, { recursive: true });
  return { bin: join(dir, `${set}.bin`), idx: join(dir, `${set}.json`) };
}

/** tf.image.cropAndResize semantics (bilinear, box in normalised [y1,x1,y2,x2], outside -> 0). */
function cropAndResize(img: RawImage, box: [number, number, number, number], size: number): Uint8Array {
  const { width: W, height: H, data } = img;
  const [y1, x1, y2, x2] = box;
  const out = new Uint8Array(size * size * 3);
  for (let i = 0; i < size; i++) {
    const sy = y1 * (H - 1) + (i * (y2 - y1) * (H - 1)) / (size - 1);
    for (let j = 0; j < size; j++) {
      const sx = x1 * (W - 1) + (j * (x2 - x1) * (W - 1)) / (size - 1);
      if (sy < 0 || sy > H - 1 || sx < 0 || sx > W - 1) continue;
      const y0 = Math.floor(sy), x0 = Math.floor(sx);
      const yb = Math.min(y0 + 1, H - 1), xb = Math.min(x0 + 1, W - 1);
      const dy = sy - y0, dx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const v =
          (1 - dy) * ((1 - dx) * data[(y0 * W + x0) * 3 + c]! + dx * data[(y0 * W + xb) * 3 + c]!) +
          dy * ((1 - dx) * data[(yb * W + x0) * 3 + c]! + dx * data[(yb * W + xb) * 3 + c]!);
        out[(i * size + j) * 3 + c] = Math.round(v);
      }
    }
  }
  return out;
}

/** tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false) into floats, times `scale`. */
export function resizeBilinear(img: RawImage, size: number, scale: number, out: Float32Array, offset: number): void {
  const { width: W, height: H, data } = img;
  const ry = H / size, rx = W / size;
  for (let i = 0; i < size; i++) {
    const sy = i * ry;
    const y0 = Math.floor(sy), yb = Math.min(y0 + 1, H - 1), dy = sy - y0;
    for (let j = 0; j < size; j++) {
      const sx = j * rx;
      const x0 = Math.floor(sx), xb = Math.min(x0 + 1, W - 1), dx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const v =
          (1 - dy) * ((1 - dx) * data[(y0 * W + x0) * 3 + c]! + dx * data[(y0 * W + xb) * 3 + c]!) +
          dy * ((1 - dx) * data[(yb * W + x0) * 3 + c]! + dx * data[(yb * W + xb) * 3 + c]!);
        out[offset + (i * size + j) * 3 + c] = v * scale;
      }
    }
  }
}

export function readIndex(set: string): CropIndex | null {
  const { idx } = files(set);
  return existsSync(idx) ? (JSON.parse(readFileSync(idx, 'utf8')) as CropIndex) : null;
}

/** Detects, aligns and crops every image not done yet; stops cleanly after `budgetMs`. */
export async function prepareCrops(m: Matcher, set: string, paths: string[], budgetMs: number): Promise<CropIndex> {
  const { bin, idx } = files(set);
  let index = readIndex(set);
  if (!index || index.paths.length !== paths.length || index.paths.some((p, i) => p !== paths[i])) {
    index = { paths, ok: [], done: 0 };
    writeFileSync(bin, Buffer.alloc(0));
  }
  const fd = openSync(bin, 'r+');
  const t0 = performance.now();
  const rec = Buffer.alloc(RECORD);
  try {
    for (let i = index.done; i < paths.length; i++) {
      rec.fill(0);
      let ok = false;
      try {
        const img = toRGB(await decodeImage(paths[i]!, { maxPixels: 1e8, maxBytes: 1e8 }));
        const faces = await m.embed(img, { crop: true, aligned: true });
        const f = faces[0]?.face.assumedCrop ? faces[0] : centralFace(faces, img.width, img.height);
        if (f?.aligned) {
          const a = toRGB(f.aligned);
          Buffer.from(a.data.buffer, a.data.byteOffset, A_BYTES).copy(rec, 0);
          const b = f.face.box;
          const side = 1.4 * Math.max(b.width, b.height);
          const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
          const box: [number, number, number, number] = [
            (cy - side / 2) / img.height, (cx - side / 2) / img.width, (cy + side / 2) / img.height, (cx + side / 2) / img.width,
          ];
          Buffer.from(cropAndResize(img, box, HUMAN_CROP).buffer).copy(rec, A_BYTES);
          Buffer.from(f.embedding.buffer, f.embedding.byteOffset, OUR_DIM * 4).copy(rec, A_BYTES + H_BYTES);
          ok = true;
        }
      } catch (e) {
        process.stderr.write(`\n${paths[i]}: ${(e as Error).message}\n`);
      }
      writeSync(fd, rec, 0, RECORD, i * RECORD);
      index.ok[i] = ok;
      index.done = i + 1;
      if (i % 50 === 0 || i === paths.length - 1) {
        writeFileSync(idx, JSON.stringify(index));
        process.stderr.write(`\r  ${set} crops ${i + 1}/${paths.length}`);
      }
      if (performance.now() - t0 > budgetMs) break;
    }
  } finally {
    writeFileSync(idx, JSON.stringify(index));
    closeSync(fd);
    process.stderr.write('\n');
  }
  return index;
}

/** Reads records [from, to) of a fully prepared set. */
export function readCrops(set: string, from: number, to: number): CropRecord[] {
  const { bin } = files(set);
  const fd = openSync(bin, 'r');
  const buf = Buffer.alloc((to - from) * RECORD);
  readSync(fd, buf, 0, buf.length, from * RECORD);
  closeSync(fd);
  const out: CropRecord[] = [];
  for (let k = 0; k < to - from; k++) {
    const o = k * RECORD;
    out.push({
      aligned: { data: new Uint8Array(buf.buffer, buf.byteOffset + o, A_BYTES), width: ALIGNED, height: ALIGNED, channels: 3 },
      human: { data: new Uint8Array(buf.buffer, buf.byteOffset + o + A_BYTES, H_BYTES), width: HUMAN_CROP, height: HUMAN_CROP, channels: 3 },
      ours: new Float32Array(buf.buffer.slice(buf.byteOffset + o + A_BYTES + H_BYTES, buf.byteOffset + o + RECORD)),
    });
  }
  return out;
}
