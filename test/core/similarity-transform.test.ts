import { describe, expect, it } from 'vitest';
import { applyAffine, ARCFACE_TEMPLATE_112, invertAffine, similarityTransform } from '../../src/core/similarity-transform.js';
import type { Point } from '../../src/core/types.js';

describe('similarityTransform (Umeyama)', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const ang = 0.3, s = 1.7, tx = 12, ty = -5;
    const src = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [x, y]);
    const dst = src.map(([x, y]): Point => [s * (Math.cos(ang) * x - Math.sin(ang) * y) + tx, s * (Math.sin(ang) * x + Math.cos(ang) * y) + ty]);
    const m = similarityTransform(src, dst);
    src.forEach((p, i) => {
      const q = applyAffine(m, p);
      expect(q[0]).toBeCloseTo(dst[i]![0], 9);
      expect(q[1]).toBeCloseTo(dst[i]![1], 9);
    });
  });

  it('never reflects: a mirrored point set maps with a proper rotation (det > 0)', () => {
    const src = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [112 - x, y]);
    const m = similarityTransform(src, ARCFACE_TEMPLATE_112);
    expect(m[0] * m[4] - m[1] * m[3]).toBeGreaterThan(0);
  });

  it('is the least-squares fit under noise, and invertAffine inverts it', () => {
    const src: Point[] = [[10, 10], [50, 12], [30, 30], [15, 50], [45, 52]];
    const dst: Point[] = src.map(([x, y], i): Point => [2 * x + 3 + (i % 2 ? 0.5 : -0.5), 2 * y - 1 + (i % 3 ? 0.4 : -0.4)]);
    const m = similarityTransform(src, dst);
    expect(m[0]).toBeCloseTo(2, 1);
    expect(Math.abs(m[1])).toBeLessThan(0.05);
    const back = applyAffine(invertAffine(m), applyAffine(m, [7, 9]));
    expect(back[0]).toBeCloseTo(7, 9);
    expect(back[1]).toBeCloseTo(9, 9);
  });
});
