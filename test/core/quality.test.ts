import { describe, expect, it } from 'vitest';
import { faceQuality, sharpness } from '../../src/core/quality.js';
import { ARCFACE_TEMPLATE_112 } from '../../src/core/similarity-transform.js';
import type { Point, RawImage } from '../../src/core/types.js';

function checker(size: number, cell: number): RawImage {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill(((x / cell) ^ (y / cell)) & 1 ? 220 : 30, (y * size + x) * 3, (y * size + x) * 3 + 3);
  return { data, width: size, height: size, channels: 3 };
}

describe('face quality', () => {
  it('scores a sharp pattern above a flat one', () => {
    const flat: RawImage = { data: new Uint8Array(112 * 112 * 3).fill(128), width: 112, height: 112, channels: 3 };
    expect(sharpness(flat)).toBe(0);
    expect(sharpness(checker(112, 2))).toBeGreaterThan(1000);
  });

  it('reads frontal, turned and small faces from the 5 landmarks', () => {
    const five = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [x * 2, y * 2]);
    const sharp = checker(112, 2);
    const frontal = faceQuality(five, sharp, 1);
    expect(Math.abs(frontal.yaw)).toBeLessThan(0.05);
    expect(Math.abs(frontal.roll)).toBeLessThan(1);
    expect(frontal.ok).toBe(true);
    const turned = five.map((p, i): Point => (i === 2 ? [p[0] + 40, p[1]] : p));
    expect(faceQuality(turned, sharp, 1).issues).toContain('turned');
    const tiny = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [x * 0.3, y * 0.3]);
    expect(faceQuality(tiny, sharp, 1).issues).toContain('small');
    const flat: RawImage = { data: new Uint8Array(112 * 112 * 3).fill(128), width: 112, height: 112, channels: 3 };
    expect(faceQuality(five, flat, 1).issues).toEqual(['blurred']);
  });
});
