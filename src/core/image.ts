import { MatcherError } from './errors.js';
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

/** Crops `box` (may extend past the image: filled with `fill`) and resizes it to outW x outH. */
export function cropResize(img: RawImage, box: Box, outW: number, outH: number, fill = 0): RawImage {
  const sx = box.width / outW;
  const sy = box.height / outH;
  return warpInverse(img, [sx, 0, box.x + 0.5 * sx - 0.5, 0, sy, box.y + 0.5 * sy - 0.5], outW, outH, fill);
}

/** Packs RGB pixels into a planar or interleaved float tensor: (v - mean[c]) / std[c]. */
export function packTensor(
  imgs: readonly RawImage[],
  layout: 'NCHW' | 'NHWC',
  color: 'RGB' | 'BGR' | 'GRAY',
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  const first = imgs[0]!;
  const w = first.width;
  const h = first.height;
  const n = w * h;
  const cOut = color === 'GRAY' ? 1 : 3;
  const out = new Float32Array(imgs.length * n * cOut);
  imgs.forEach((img, b) => {
    const base = b * n * cOut;
    const d = img.data;
    for (let i = 0; i < n; i++) {
      const r = d[i * 3]!;
      const g = d[i * 3 + 1]!;
      const bl = d[i * 3 + 2]!;
      if (cOut === 1) {
        out[base + i] = (0.299 * r + 0.587 * g + 0.114 * bl - mean[0]!) / std[0]!;
        continue;
      }
      const c0 = color === 'RGB' ? r : bl;
      const c2 = color === 'RGB' ? bl : r;
      const v0 = (c0 - mean[0]!) / std[0]!;
      const v1 = (g - mean[1]!) / std[1]!;
      const v2 = (c2 - mean[2]!) / std[2]!;
      if (layout === 'NCHW') {
        out[base + i] = v0;
        out[base + n + i] = v1;
        out[base + 2 * n + i] = v2;
      } else {
        out[base + i * 3] = v0;
        out[base + i * 3 + 1] = v1;
        out[base + i * 3 + 2] = v2;
      }
    }
  });
  return out;
}

/** Per output index: first source index and the filter weights (triangle, widened when shrinking). */
function resizeWeights(inSize: number, outSize: number): { start: Int32Array; weights: Float32Array[] } {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const start = new Int32Array(outSize);
  const weights: Float32Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale - 0.5;
    const lo = Math.max(0, Math.ceil(centre - support));
    const hi = Math.min(inSize - 1, Math.floor(centre + support));
    const w = new Float32Array(Math.max(1, hi - lo + 1));
    let sum = 0;
    for (let i = lo; i <= hi; i++) {
      const v = Math.max(0, 1 - Math.abs(i - centre) / support);
      w[i - lo] = v;
      sum += v;
    }
    if (sum > 0) for (let i = 0; i < w.length; i++) w[i] = w[i]! / sum;
    else w[0] = 1;
    start[o] = Math.min(lo, inSize - 1);
    weights.push(w);
  }
  return { start, weights };
}

/**
 * Resizes an RGB image with a separable triangle filter that widens when shrinking, so a
 * 12-megapixel photo shrunk for the detector is averaged, not aliased. Two passes, O(pixels x taps).
 */
export function resizeRGB(img: RawImage, outW: number, outH: number): RawImage {
  const src = toRGB(img);
  if (outW === src.width && outH === src.height) return src;
  const { width: w, height: h, data } = src;
  const hx = resizeWeights(w, outW);
  const tmp = new Float32Array(outW * h * 3);
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let x = 0; x < outW; x++) {
      const wt = hx.weights[x]!;
      let p = row + hx.start[x]! * 3;
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < wt.length; k++, p += 3) {
        const c = wt[k]!;
        r += c * data[p]!;
        g += c * data[p + 1]!;
        b += c * data[p + 2]!;
      }
      const o = (y * outW + x) * 3;
      tmp[o] = r;
      tmp[o + 1] = g;
      tmp[o + 2] = b;
    }
  }
  const vy = resizeWeights(h, outH);
  const out = new Uint8Array(outW * outH * 3);
  const stride = outW * 3;
  const acc = new Float32Array(stride);
  for (let y = 0; y < outH; y++) {
    const wt = vy.weights[y]!;
    const s0 = vy.start[y]!;
    acc.fill(0);
    for (let k = 0; k < wt.length; k++) {
      const c = wt[k]!;
      const p = (s0 + k) * stride;
      for (let i = 0; i < stride; i++) acc[i] = acc[i]! + c * tmp[p + i]!;
    }
    const o = y * stride;
    for (let i = 0; i < stride; i++) out[o + i] = Math.round(acc[i]!);
  }
  return { data: out, width: outW, height: outH, channels: 3 };
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
