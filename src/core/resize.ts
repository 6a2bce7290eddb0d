import type { RawImage } from './types.js';

/**
 * Separable filter taps for one axis: every output index reads `taps` consecutive inputs
 * from `start[o]` with `weights[o * taps ..]` (a triangle widened when shrinking, so a
 * 12-megapixel photo shrunk for the detector is averaged, not aliased; zero-padded to a
 * fixed count so the inner loops have no per-pixel bounds).
 */
interface Taps {
  taps: number;
  start: Int32Array;
  weights: Float32Array;
}

function axisTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const ranges: [number, number, number][] = [];
  let taps = 1;
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale - 0.5;
    const lo = Math.max(0, Math.ceil(centre - support));
    const hi = Math.min(inSize - 1, Math.floor(centre + support));
    ranges.push([centre, lo, hi]);
    taps = Math.max(taps, hi - lo + 1);
  }
  taps = Math.min(taps, inSize);
  const start = new Int32Array(outSize);
  const weights = new Float32Array(outSize * taps);
  ranges.forEach(([centre, lo, hi], o) => {
    const s = Math.max(0, Math.min(lo, inSize - taps));
    start[o] = s;
    let sum = 0;
    for (let i = lo; i <= hi; i++) sum += Math.max(0, 1 - Math.abs(i - centre) / support);
    if (sum > 0) {
      // Rounded to float32 before the division, as the filter always did: same pixels as before.
      for (let i = lo; i <= hi; i++) weights[o * taps + i - s] = Math.fround(Math.max(0, 1 - Math.abs(i - centre) / support)) / sum;
    } else {
      weights[o * taps + Math.min(lo, inSize - 1) - s] = 1;
    }
  });
  return { taps, start, weights };
}

/** One RGB row resampled horizontally into `out` (outW * 3 floats). */
function filterRow(data: Uint8Array | Uint8ClampedArray, rowStart: number, h: Taps, outW: number, out: Float32Array): void {
  const { taps, start, weights } = h;
  for (let x = 0, o = 0, wb = 0; x < outW; x++, o += 3, wb += taps) {
    let p = rowStart + start[x]! * 3;
    let r = 0, g = 0, b = 0;
    for (let k = 0; k < taps; k++, p += 3) {
      const c = weights[wb + k]!;
      r += c * data[p]!;
      g += c * data[p + 1]!;
      b += c * data[p + 2]!;
    }
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
  }
}

/**
 * Resizes packed RGB with the separable triangle filter above. Rows are filtered
 * horizontally once each, into a ring of the few rows the vertical taps need, so a
 * 12-megapixel shrink streams through cache instead of writing a full-size float copy.
 */
export function resizeRGBPacked(src: RawImage, outW: number, outH: number): RawImage {
  const { width: w, height: h, data } = src;
  const hx = axisTaps(w, outW);
  const vy = axisTaps(h, outH);
  const stride = outW * 3;
  const ringRows = vy.taps;
  const ring = new Float32Array(ringRows * stride);
  const held = new Int32Array(ringRows).fill(-1);
  const out = new Uint8Array(outH * stride);
  const acc = new Float32Array(stride);
  for (let y = 0; y < outH; y++) {
    const s0 = vy.start[y]!;
    acc.fill(0);
    for (let k = 0; k < ringRows; k++) {
      const row = s0 + k;
      const slot = row % ringRows;
      const base = slot * stride;
      if (held[slot] !== row) {
        filterRow(data, row * w * 3, hx, outW, ring.subarray(base, base + stride));
        held[slot] = row;
      }
      const c = vy.weights[y * ringRows + k]!;
      if (c === 0) continue;
      for (let i = 0; i < stride; i++) acc[i] = acc[i]! + c * ring[base + i]!;
    }
    const o = y * stride;
    for (let i = 0; i < stride; i++) out[o + i] = Math.round(acc[i]!);
  }
  return { data: out, width: outW, height: outH, channels: 3 };
}

/** Averages each 2x2 block (odd last row/column: their own pixels), rounding half up. */
export function halveRGB(src: RawImage): RawImage {
  const { width: w, height: h, data } = src;
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  const out = new Uint8Array(ow * oh * 3);
  const stride = w * 3;
  for (let y = 0; y < oh; y++) {
    const r0 = 2 * y * stride;
    const r1 = Math.min(2 * y + 1, h - 1) * stride;
    let o = y * ow * 3;
    for (let x = 0; x < ow; x++) {
      const a = 6 * x;
      const b = Math.min(2 * x + 1, w - 1) * 3;
      for (let c = 0; c < 3; c++, o++) out[o] = (data[r0 + a + c]! + data[r0 + b + c]! + data[r1 + a + c]! + data[r1 + b + c]! + 2) >> 2;
    }
  }
  return { data: out, width: ow, height: oh, channels: 3 };
}
