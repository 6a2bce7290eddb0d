import type { FaceQuality, FaceQualityIssue, Point, RawImage } from './types.js';

export type { FaceQuality, FaceQualityIssue } from './types.js';

export interface QualityThresholds {
  minEyeDistance: number;
  minSharpness: number;
  maxYaw: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = { minEyeDistance: 16, minSharpness: 60, maxYaw: 0.45 };

/** Laplacian variance over the central part of the aligned crop (the face, not the border). */
export function sharpness(aligned: RawImage): number {
  const { width: w, height: h, data } = aligned;
  const g = (x: number, y: number) => {
    const i = (y * w + x) * 3;
    return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  };
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  const m = Math.round(w * 0.2);
  for (let y = m; y < h - m; y++) {
    for (let x = m; x < w - m; x++) {
      const l = g(x - 1, y) + g(x + 1, y) + g(x, y - 1) + g(x, y + 1) - 4 * g(x, y);
      sum += l;
      sum2 += l * l;
      n++;
    }
  }
  const mean = sum / n;
  return sum2 / n - mean * mean;
}

export function faceQuality(
  five: readonly Point[],
  aligned: RawImage,
  detectorScore: number,
  t: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS,
): FaceQuality {
  const [le, re, nose] = five as [Point, Point, Point];
  const dx = re[0] - le[0];
  const dy = re[1] - le[1];
  const eyeDistance = Math.hypot(dx, dy);
  const roll = (Math.atan2(dy, dx) * 180) / Math.PI;
  // Signed distance of the nose from the perpendicular bisector of the eyes.
  const mx = (le[0] + re[0]) / 2;
  const my = (le[1] + re[1]) / 2;
  const yaw = eyeDistance > 0 ? ((nose[0] - mx) * dx + (nose[1] - my) * dy) / (eyeDistance * eyeDistance) : 0;
  const sharp = sharpness(aligned);
  const issues: FaceQualityIssue[] = [];
  if (eyeDistance < t.minEyeDistance) issues.push('small');
  if (sharp < t.minSharpness) issues.push('blurred');
  if (Math.abs(yaw) > t.maxYaw) issues.push('turned');
  return { eyeDistance, sharpness: sharp, yaw, roll, detectorScore, ok: issues.length === 0, issues };
}
