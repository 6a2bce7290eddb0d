import { describe, expect, it } from 'vitest';
import { cosine, dot } from '../../src/core/vectors.js';
import { cosine as publicCosine } from '../../src/node.js';

describe('vector scores', () => {
  it('cosine is scale-free, dot is not; on unit vectors they agree', () => {
    const a = Float32Array.from([3, 4, 0]);
    const b = Float32Array.from([4, 3, 0]);
    expect(cosine(a, b)).toBeCloseTo(24 / 25, 6);
    expect(dot(a, b)).toBe(24);
    const ua = a.map((x) => x / 5);
    const ub = b.map((x) => x / 5);
    expect(dot(ua, ub)).toBeCloseTo(cosine(a, b), 6);
    expect(cosine(a.map((x) => x * 7), b)).toBeCloseTo(cosine(a, b), 6);
  });

  it('the package exports the real cosine; zero vectors score 0; lengths must agree', () => {
    expect(publicCosine).toBe(cosine);
    expect(cosine(new Float32Array(3), Float32Array.from([1, 0, 0]))).toBe(0);
    expect(() => cosine(new Float32Array(2), new Float32Array(3))).toThrow(RangeError);
  });
});
