import { describe, expect, it } from 'vitest';
import { applyEmbeddingMap, checkEmbeddingMap } from '../../src/core/embedding-map.js';
import { differenceSpectrum, fitEmbeddingMap, mapFromSpectrum } from '../../src/core/fit-embedding-map.js';
import { l2normalize } from '../../src/core/vectors.js';
import { seededRandom } from '../../bench/lib/seeded-random.js';

const DIM = 16;

/** People as random unit vectors; "grown up" = the same vector moved along axis 0 (the age nuisance) plus small noise. */
function people(n: number, seed: number) {
  const rnd = seededRandom(seed);
  const g = () => rnd() * 2 - 1;
  return Array.from({ length: n }, () => {
    const child = l2normalize(Float32Array.from({ length: DIM }, g));
    const adult = l2normalize(Float32Array.from(child, (x, k) => x + (k === 0 ? 0.8 * g() : 0.05 * g())));
    return { child, adult };
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, k) => s + x * b[k]!, 0);

describe('embedding maps', () => {
  it('finds the direction along which people change and removes it (NAP)', () => {
    const s = differenceSpectrum(people(200, 1).map((p) => ({ a: p.child, b: p.adult })));
    expect(Math.abs(s.vectors[0]![0]!)).toBeGreaterThan(0.99);
    expect(s.values[0]).toBeGreaterThan(10 * s.values[1]!);
    const map = mapFromSpectrum(s, 1, 0);
    const test = people(50, 2);
    const before = test.reduce((a, p) => a + dot(p.child, p.adult), 0);
    const after = test.reduce((a, p) => a + dot(applyEmbeddingMap(map, Float32Array.from(p.child)), applyEmbeddingMap(map, Float32Array.from(p.adult))), 0);
    expect(after).toBeGreaterThan(before);
  });

  it('keeps vectors unit length and leaves directions outside the map alone', () => {
    const map = fitEmbeddingMap(people(100, 3).map((p) => ({ a: p.child, b: p.adult })), { napRank: 1, wccnRank: 2, name: 'test' });
    expect(map.id).toMatch(/^test-nap1-wccn2-[0-9a-f]{8}$/);
    expect(map.scales[0]).toBe(0);
    const v = applyEmbeddingMap(map, l2normalize(Float32Array.from({ length: DIM }, (_, k) => k + 1)));
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    // A vector orthogonal to every direction comes back unchanged.
    const u = Float32Array.from({ length: DIM }, () => 0);
    u[0] = 1;
    const w = Float32Array.from(u, (x, k) => x - map.directions.reduce((s, d) => s + d[0]! * d[k]!, 0));
    l2normalize(w);
    expect(Array.from(applyEmbeddingMap(map, Float32Array.from(w)))).toEqual(Array.from(w).map((x) => expect.closeTo(x, 5)));
  });

  it('refuses bad input and bad map files', () => {
    expect(() => fitEmbeddingMap([])).toThrow(RangeError);
    const p = people(10, 4).map((x) => ({ a: x.child, b: x.adult }));
    expect(() => fitEmbeddingMap(p, { napRank: DIM, wccnRank: 0 })).toThrow(RangeError);
    const good = fitEmbeddingMap(p, { napRank: 1, wccnRank: 1 });
    expect(checkEmbeddingMap(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(() => checkEmbeddingMap({ ...good, scales: [2, 0] })).toThrow(RangeError);
    expect(() => checkEmbeddingMap({ ...good, directions: [[1, 2]] })).toThrow(RangeError);
    expect(() => applyEmbeddingMap(good, new Float32Array(3))).toThrow(RangeError);
  });
});
