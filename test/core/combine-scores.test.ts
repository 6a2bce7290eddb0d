import { describe, expect, it } from 'vitest';
import { combinedQuery, combineFaceScores, COMBINE_METHODS, groupScore, meanEmbedding, qualityWeight } from '../../src/core/combine-scores.js';
import type { FaceQuality } from '../../src/core/quality.js';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs, (x) => x / n);
};
const quality = (over: Partial<FaceQuality> = {}): FaceQuality => ({
  eyeDistance: 40,
  sharpness: 300,
  yaw: 0,
  roll: 0,
  detectorScore: 1,
  ok: true,
  issues: [],
  ...over,
});

describe('combine-scores', () => {
  const e1 = unit(1, 0, 0);
  const e2 = unit(0, 1, 0);
  const diag = unit(1, 1, 0);

  it('meanEmbedding is unit length, weighted, and needs a vector', () => {
    const m = meanEmbedding([e1, e2]);
    expect(m[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(m[1]).toBeCloseTo(Math.SQRT1_2, 6);
    const w = meanEmbedding([e1, e2], [3, 1]);
    expect(w[0]! / w[1]!).toBeCloseTo(3, 5);
    expect(Math.hypot(...w)).toBeCloseTo(1, 6);
    // Opposite faces cancel: fall back to the first rather than return NaNs.
    expect([...meanEmbedding([e1, unit(-1, 0, 0)])]).toEqual([...e1]);
    expect(() => meanEmbedding([])).toThrow(RangeError);
  });

  it('combineFaceScores: best is the max, top2-mean the mean of the two highest', () => {
    expect(combineFaceScores('best', [0.2, 0.7, 0.5])).toBeCloseTo(0.7);
    expect(combineFaceScores('top2-mean', [0.2, 0.7, 0.5])).toBeCloseTo(0.6);
    expect(combineFaceScores('top2-mean', [0.4])).toBeCloseTo(0.4);
    expect(combineFaceScores('top2-mean', [0.5, 0.5, 0.1])).toBeCloseTo(0.5);
    expect(() => combineFaceScores('best', [])).toThrow(RangeError);
  });

  it('qualityWeight favours large, sharp, frontal faces and never reaches 0', () => {
    expect(qualityWeight(undefined)).toBe(1);
    expect(qualityWeight(0.3)).toBe(0.3);
    expect(qualityWeight(quality())).toBe(1);
    const small = qualityWeight(quality({ eyeDistance: 8 }));
    const blurred = qualityWeight(quality({ sharpness: 30 }));
    const turned = qualityWeight(quality({ yaw: 0.45 }));
    for (const w of [small, blurred, turned]) {
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThan(1);
    }
    expect(qualityWeight(quality({ eyeDistance: 1, sharpness: 0, yaw: 5, detectorScore: 0.01 }))).toBeGreaterThan(0);
    // A face assumed from a crop has detector score 0: not a quality signal.
    expect(qualityWeight(quality({ detectorScore: 0 }))).toBe(1);
  });

  it('groupScore: each method against the best template', () => {
    const faces = [{ embedding: e1 }, { embedding: e2 }];
    const templates = [diag, unit(0, 0, 1)];
    expect(groupScore('best', faces, templates)).toBeCloseTo(Math.SQRT1_2, 5);
    // The two faces average to the diagonal, which is the first template.
    expect(groupScore('mean-embedding', faces, templates)).toBeCloseTo(1, 5);
    expect(groupScore('top2-mean', faces, templates)).toBeCloseTo(Math.SQRT1_2, 5);
    // A poor second face pulls the weighted mean towards the good one.
    const weighted = groupScore('quality-weighted', [{ embedding: e1, quality: quality() }, { embedding: e2, quality: quality({ eyeDistance: 4 }) }], [e1]);
    expect(weighted).toBeGreaterThan(groupScore('mean-embedding', faces, [e1]));
    expect(() => groupScore('best', [], templates)).toThrow(RangeError);
    expect(() => groupScore('best', faces, [])).toThrow(RangeError);
  });

  it('one face scores the same whatever the method', () => {
    for (const m of COMBINE_METHODS) expect(groupScore(m, [{ embedding: e1 }], [diag])).toBeCloseTo(Math.SQRT1_2, 5);
  });

  it('combinedQuery only for the methods that search with one vector', () => {
    const faces = [{ embedding: e1 }, { embedding: e2 }];
    expect(combinedQuery('best', faces)).toBeUndefined();
    expect(combinedQuery('top2-mean', faces)).toBeUndefined();
    expect(combinedQuery('mean-embedding', faces)).toBeInstanceOf(Float32Array);
    expect(combinedQuery('quality-weighted', faces)).toBeInstanceOf(Float32Array);
  });
});
