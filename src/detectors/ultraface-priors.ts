/**
 * UltraFace's prior boxes and box decoding, for any input size. The upstream graph decodes
 * against priors baked in for 320x240; the shipped graph stops before that decode (see
 * scripts/models/graph-edit.ts cutBeforeBoxDecode) so it runs at any size, and this file
 * does the decode for the size that ran. Same formulas as the upstream export: feature maps
 * of ceil(size / stride) cells, prior centres at (cell + 0.5) / cells (so, as in training at
 * 240 px high, a map of 7.5 cells rounded up to 8 spreads its centres over the whole input), sides min_box / size,
 * all clamped to [0, 1]; centre variance 0.1, size variance 0.2.
 */
const STRIDES = [8, 16, 32, 64] as const;
const MIN_BOXES = [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]] as const;
const CENTER_VARIANCE = 0.1;
const SIZE_VARIANCE = 0.2;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Number of priors (rows of `scores` and `loc`) for a width x height input. */
export function priorCount(width: number, height: number): number {
  let n = 0;
  STRIDES.forEach((s, k) => (n += Math.ceil(width / s) * Math.ceil(height / s) * MIN_BOXES[k]!.length));
  return n;
}

/**
 * Calls `found` for every prior whose face score (`scores[2i + 1]`) reaches `threshold`, with
 * its decoded box in input pixels (corner form).
 */
export function decodeFaces(
  scores: Float32Array,
  loc: Float32Array,
  width: number,
  height: number,
  threshold: number,
  found: (score: number, x1: number, y1: number, x2: number, y2: number) => void,
): void {
  if (scores.length !== 2 * priorCount(width, height) || loc.length !== 2 * scores.length) {
    throw new Error(`detector output has ${scores.length / 2} priors, a ${width}x${height} input has ${priorCount(width, height)}`);
  }
  let idx = 0;
  STRIDES.forEach((stride, k) => {
    const fw = Math.ceil(width / stride);
    const fh = Math.ceil(height / stride);
    const boxes = MIN_BOXES[k]!;
    const nb = boxes.length;
    for (let j = 0; j < fh; j++) {
      for (let i = 0; i < fw; i++, idx += nb) {
        for (let a = 0; a < nb; a++) {
          const p = idx + a;
          const score = scores[2 * p + 1]!;
          if (score < threshold) continue;
          const pcx = clamp01((i + 0.5) / fw);
          const pcy = clamp01((j + 0.5) / fh);
          const pw = clamp01(boxes[a]! / width);
          const ph = clamp01(boxes[a]! / height);
          const cx = loc[4 * p]! * CENTER_VARIANCE * pw + pcx;
          const cy = loc[4 * p + 1]! * CENTER_VARIANCE * ph + pcy;
          const w = Math.exp(loc[4 * p + 2]! * SIZE_VARIANCE) * pw;
          const h = Math.exp(loc[4 * p + 3]! * SIZE_VARIANCE) * ph;
          found(score, (cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height);
        }
      }
    }
  });
}
