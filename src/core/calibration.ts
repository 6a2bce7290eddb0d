import type { Calibration } from './platform.js';

/** Fraction of impostor pairs scoring >= score, interpolated linearly between calibration points. */
export function falseMatchRate(cal: Calibration, score: number): number {
  const p = cal.points;
  if (p.length === 0) return NaN;
  if (score <= p[0]![0]) return p[0]![1];
  const last = p[p.length - 1]!;
  // Beyond the highest impostor seen, the rate is below 1/impostorPairs; say so rather than claim 0.
  if (score >= last[0]) return Math.min(last[1], 1 / cal.impostorPairs);
  let lo = 0;
  let hi = p.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (p[mid]![0] <= score) lo = mid;
    else hi = mid;
  }
  const [s0, f0] = p[lo]!;
  const [s1, f1] = p[hi]!;
  return f0 + ((score - s0) / (s1 - s0 || 1)) * (f1 - f0);
}
