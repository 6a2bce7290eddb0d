import { MatcherError } from './errors.js';
import { halveRGB, resizeRGBPacked } from './resize.js';
import type { Box, RawImage } from './types.js';

/** Checks a RawImage's shape and returns it as tightly typed; never trusts caller-provided sizes. */
export function validateRawImage(img: unknown, maxPixels = Infinity): RawImage {
  const r = img as Partial<RawImage> | null;
  if (!r || typeof r !== 'object') throw new MatcherError('INVALID_IMAGE', 'expected a RawImage {data, width, height, channels}');
  const { data, width, height, channels } = r;
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new MatcherError('INVALID_IMAGE', 'RawImage.data must be a Uint8Array or Uint8ClampedArray of 8-bit samples');
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) < 1 || (height as number) < 1) {
    throw new MatcherError('INVALID_IMAGE', `RawImage width and height must be positive integers (got ${width}x${height})`);
  }
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new MatcherError('INVALID_IMAGE', `RawImage.channels must be 1, 2, 3 or 4 (got ${channels})`);
  }
  const w = width as number;
  const h = height as number;
  if (w * h > maxPixels) {
    throw new MatcherError('IMAGE_TOO_LARGE', `image has ${w}x${h} = ${w * h} pixels, above the limit of ${maxPixels} (option limits.maxPixels)`);
  }
  if (data.length < w * h * channels) {
    throw new MatcherError('INVALID_IMAGE', `RawImage.data has ${data.length} bytes, ${w}x${h}x${channels} needs ${w * h * channels}`);
  }
  return { data, width: w, height: h, channels };
}

/** Any channel layout to packed RGB (grey is replicated, alpha dropped). */
export function toRGB(img: RawImage): RawImage {
  if (img.channels === 3 && img.data.length === img.width * img.height * 3) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(n * 3);
  const c = img.channels;
  const src = img.data;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    if (c >= 3) {
      out[i * 3] = src[s]!;
      out[i * 3 + 1] = src[s + 1]!;
      out[i * 3 + 2] = src[s + 2]!;
    } else {
      const v = src[s]!;
      out[i * 3] = v;
      out[i * 3 + 1] = v;
      out[i * 3 + 2] = v;
    }
  }
  return { data: out, width: img.width, height: img.height, channels: 3 };
}

/**
 * Bilinear sample of an RGB image at a real position (pixel centres at integers).
 * Outside the image the colour is `fill`, so warps and letterboxes pad consistently.
 */
function sampleRGB(img: RawImage, x: number, y: number, out: Float32Array, o: number, fill: number): void {
  const w = img.width;
  const h = img.height;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const d = img.data;
  for (let ch = 0; ch < 3; ch++) {
    let acc = 0;
    for (let j = 0; j < 2; j++) {
      const yy = y0 + j;
      const wy = j === 0 ? 1 - fy : fy;
      if (wy === 0) continue;
      for (let i = 0; i < 2; i++) {
        const xx = x0 + i;
        const wx = i === 0 ? 1 - fx : fx;
        if (wx === 0) continue;
        const v = xx < 0 || yy < 0 || xx >= w || yy >= h ? fill : d[(yy * w + xx) * 3 + ch]!;
        acc += wx * wy * v;
      }
    }
    out[o + ch] = acc;
  }
}

/**
 * Resamples an RGB image through an inverse affine map (dst pixel -> src position):
 * src = [a b; c d] * dst + t. Area-averages when shrinking by more than 2x so small
 * faces in large photos are not aliased.
 */
export function warpInverse(
  img: RawImage,
  inv: readonly [number, number, number, number, number, number],
  outW: number,
  outH: number,
  fill = 0,
): RawImage {
  const [a, b, tx, c, d, ty] = inv;
  const scale = Math.sqrt(Math.abs(a * d - b * c));
  // Supersample when each output pixel covers several source pixels.
  const ss = Math.max(1, Math.min(8, Math.round(scale)));
  if (ss === 1) return warpBilinear(img, inv, outW, outH, fill);
  const out = new Uint8Array(outW * outH * 3);
  const px = new Float32Array(3);
  const accum = new Float32Array(3);
  const inv2 = 1 / (ss * ss);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      accum.fill(0);
      for (let sy = 0; sy < ss; sy++) {
        const dy = y + (sy + 0.5) / ss - 0.5;
        for (let sx = 0; sx < ss; sx++) {
          const dx = x + (sx + 0.5) / ss - 0.5;
          sampleRGB(img, a * dx + b * dy + tx, c * dx + d * dy + ty, px, 0, fill);
          accum[0] = accum[0]! + px[0]!;
          accum[1] = accum[1]! + px[1]!;
          accum[2] = accum[2]! + px[2]!;
        }
      }
      const o = (y * outW + x) * 3;
      out[o] = Math.round(accum[0]! * inv2);
      out[o + 1] = Math.round(accum[1]! * inv2);
      out[o + 2] = Math.round(accum[2]! * inv2);
    }
  }
  return { data: out, width: outW, height: outH, channels: 3 };
}

/**
 * warpInverse without supersampling: the same sums as sampleRGB's (terms in the same
 * order, rounded to float32 as its output array did), with the four taps and their weights
 * found once per pixel instead of once per channel. Confirmation windows and aligned crops
 * take this path; it is several times faster.
 */
function warpBilinear(img: RawImage, inv: readonly [number, number, number, number, number, number], outW: number, outH: number, fill: number): RawImage {
  const [a, b, tx, c, d, ty] = inv;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(outW * outH * 3);
  for (let y = 0, o = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++, o += 3) {
      const sx = a * x + b * y + tx;
      const sy = c * x + d * y + ty;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      // Weights as sampleRGB forms them (wx * wy); a zero weight's tap adds nothing there.
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const inX0 = x0 >= 0 && x0 < w;
      const inX1 = x0 + 1 >= 0 && x0 + 1 < w;
      const inY0 = y0 >= 0 && y0 < h;
      const inY1 = y0 + 1 >= 0 && y0 + 1 < h;
      const p00 = inX0 && inY0 ? (y0 * w + x0) * 3 : -1;
      const p01 = inX1 && inY0 ? (y0 * w + x0 + 1) * 3 : -1;
      const p10 = inX0 && inY1 ? ((y0 + 1) * w + x0) * 3 : -1;
      const p11 = inX1 && inY1 ? ((y0 + 1) * w + x0 + 1) * 3 : -1;
      for (let ch = 0; ch < 3; ch++) {
        let acc = 0;
        if (w00 !== 0) acc += w00 * (p00 < 0 ? fill : data[p00 + ch]!);
        if (w01 !== 0) acc += w01 * (p01 < 0 ? fill : data[p01 + ch]!);
        if (w10 !== 0) acc += w10 * (p10 < 0 ? fill : data[p10 + ch]!);
        if (w11 !== 0) acc += w11 * (p11 < 0 ? fill : data[p11 + ch]!);
        out[o + ch] = Math.round(Math.fround(acc));
      }
    }
  }
  return { data: out, width: outW, height: outH, channels: 3 };
}

/** Crops `box` (may extend past the image: filled with `fill`) and resizes it to outW x outH. */
export function cropResize(img: RawImage, box: Box, outW: number, outH: number, fill = 0): RawImage {
  const sx = box.width / outW;
  const sy = box.height / outH;
  return warpInverse(img, [sx, 0, box.x + 0.5 * sx - 0.5, 0, sy, box.y + 0.5 * sy - 0.5], outW, outH, fill);
}

/**
 * Packs RGB pixels into a planar or interleaved float tensor: (v - mean[c]) / std[c].
 * `into` (exactly the tensor's length) is filled instead of a new array: a 3-megapixel
 * level's tensor is 36 MB, and a fresh one costs more page faults than the packing itself.
 */
export function packTensor(
  imgs: readonly RawImage[],
  layout: 'NCHW' | 'NHWC',
  color: 'RGB' | 'BGR' | 'GRAY',
  mean: readonly number[],
  std: readonly number[],
  into?: Float32Array,
): Float32Array {
  const first = imgs[0]!;
  const n = first.width * first.height;
  const cOut = color === 'GRAY' ? 1 : 3;
  const size = imgs.length * n * cOut;
  const out = into?.length === size ? into : new Float32Array(size);
  // One table per output channel: the same float64 expression per value as per pixel, 256 times instead of millions.
  const lut = (c: number) => Float32Array.from({ length: 256 }, (_, v) => (v - mean[c]!) / std[c]!);
  const swap = color === 'BGR';
  imgs.forEach((img, b) => {
    const base = b * n * cOut;
    const d = img.data;
    if (cOut === 1) {
      for (let i = 0; i < n; i++) out[base + i] = (0.299 * d[i * 3]! + 0.587 * d[i * 3 + 1]! + 0.114 * d[i * 3 + 2]! - mean[0]!) / std[0]!;
      return;
    }
    const [l0, l1, l2] = swap ? [lut(2), lut(1), lut(0)] : [lut(0), lut(1), lut(2)];
    if (layout === 'NCHW') packPlanar(d, n, l0, l1, l2, swap, out.subarray(base, base + n), out.subarray(base + n, base + 2 * n), out.subarray(base + 2 * n, base + 3 * n));
    else packInterleaved(d, n, l0, l1, l2, swap, out.subarray(base, base + 3 * n));
  });
  return out;
}

// Monomorphic loops over one plane each (V8 keeps every view's bounds in registers): ~3x
// faster than indexing one array at base + c * n + i. With `swap` the tables come reversed.
function packPlanar(d: Uint8Array | Uint8ClampedArray, n: number, l0: Float32Array, l1: Float32Array, l2: Float32Array, swap: boolean, p0: Float32Array, p1: Float32Array, p2: Float32Array): void {
  const [a, c] = swap ? [p2, p0] : [p0, p2];
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    a[i] = l0[d[p]!]!;
    p1[i] = l1[d[p + 1]!]!;
    c[i] = l2[d[p + 2]!]!;
  }
}

function packInterleaved(d: Uint8Array | Uint8ClampedArray, n: number, l0: Float32Array, l1: Float32Array, l2: Float32Array, swap: boolean, out: Float32Array): void {
  const [o0, o2] = swap ? [2, 0] : [0, 2];
  for (let i = 0, p = 0; i < n; i++, p += 3) {
    out[p + o0] = l0[d[p]!]!;
    out[p + 1] = l1[d[p + 1]!]!;
    out[p + o2] = l2[d[p + 2]!]!;
  }
}

/**
 * Resizes an RGB image with a separable triangle filter that widens when shrinking, so a
 * 12-megapixel photo shrunk for the detector is averaged, not aliased. Shrinks of 2x or more
 * first average 2x2 blocks (exact, and ~4x cheaper than the filter at that size).
 */
export function resizeRGB(img: RawImage, outW: number, outH: number): RawImage {
  let src = toRGB(img);
  while (outW * 2 <= src.width && outH * 2 <= src.height) src = halveRGB(src);
  if (outW === src.width && outH === src.height) return src;
  return resizeRGBPacked(src, outW, outH);
}

/** Copies a w x h window at integer offset (x, y), `fill` outside the image. */
export function cropRGB(img: RawImage, x: number, y: number, w: number, h: number, fill: number): RawImage {
  const out = new Uint8Array(w * h * 3).fill(fill);
  const x0 = Math.max(0, x);
  const x1 = Math.min(img.width, x + w);
  for (let row = 0; row < h; row++) {
    const sy = y + row;
    if (sy < 0 || sy >= img.height || x1 <= x0) continue;
    out.set(img.data.subarray((sy * img.width + x0) * 3, (sy * img.width + x1) * 3), (row * w + (x0 - x)) * 3);
  }
  return { data: out, width: w, height: h, channels: 3 };
}
