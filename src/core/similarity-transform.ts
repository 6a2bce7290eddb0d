import type { Affine, Point } from './types.js';

/** ArcFace's canonical 5-point positions in a 112x112 crop (eyes, nose tip, mouth corners). */
export const ARCFACE_TEMPLATE_112: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/**
 * Least-squares similarity transform (rotation, uniform scale, translation) mapping `src`
 * onto `dst` (Umeyama 1991). In 2-D the SVD reduces to closed form: with centred point sets,
 * the optimal rotation angle is atan2(sum(x'y - y'x), sum(x'x + y'y)), which also excludes
 * reflections (a mirrored face must not be "aligned" by flipping it).
 */
export function similarityTransform(src: readonly Point[], dst: readonly Point[]): Affine {
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0]; sy += src[i]![1];
    dx += dst[i]![0]; dy += dst[i]![1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let a = 0, b = 0, varS = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx, py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx, qy = dst[i]![1] - dy;
    a += px * qx + py * qy;
    b += px * qy - py * qx;
    varS += px * px + py * py;
  }
  if (varS === 0) return [1, 0, dx - sx, 0, 1, dy - sy];
  // scale*cos and scale*sin of the optimal rotation.
  const sc = a / varS;
  const ss = b / varS;
  return [sc, -ss, dx - (sc * sx - ss * sy), ss, sc, dy - (ss * sx + sc * sy)];
}

export function invertAffine(m: Affine): Affine {
  const [a, b, tx, c, d, ty] = m;
  const det = a * d - b * c;
  const ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
  return [ia, ib, -(ia * tx + ib * ty), ic, id, -(ic * tx + id * ty)];
}

export function applyAffine(m: Affine, p: Point): Point {
  return [m[0] * p[0] + m[1] * p[1] + m[2], m[3] * p[0] + m[4] * p[1] + m[5]];
}
