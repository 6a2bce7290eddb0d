import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  accuracyAt,
  auc,
  bestThreshold,
  countFailures,
  parseLfwPairs,
  tarAtFar,
  tenFold,
} from '../../bench/lib/verification.js';

describe('accuracyAt', () => {
  it('counts score > threshold as same and failures as wrong for either label', () => {
    const scores = [0.9, 0.2, 0.6, -Infinity, -Infinity];
    const labels = [true, false, false, true, false];
    // right: 0.9 same, 0.2 diff; wrong: 0.6 diff accepted, both failures
    expect(accuracyAt(scores, labels, 0.5)).toBeCloseTo(2 / 5, 12);
    // 0.6 is not > 0.6, so it is rejected (right)
    expect(accuracyAt(scores, labels, 0.6)).toBeCloseTo(3 / 5, 12);
  });
});

describe('bestThreshold', () => {
  it('finds the midpoint separating perfectly separable scores', () => {
    const r = bestThreshold([0.1, 0.2, 0.8, 0.9], [false, false, true, true]);
    expect(r.accuracy).toBe(1);
    expect(r.threshold).toBeCloseTo(0.5, 12);
  });

  it('takes the middle of a plateau of equally good thresholds', () => {
    const scores = [0.1, 0.2, 0.8, 0.9];
    const labels = [false, true, false, true];
    // -inf: pos 0.2,0.9 right, neg wrong -> 2/4
    // 0.15: 0.1 right, 0.2 right, 0.8 wrong, 0.9 right -> 3/4
    // 0.5 : 0.1 r, 0.2 w, 0.8 w, 0.9 r -> 2/4
    // 0.85: 0.1 r, 0.2 w, 0.8 r, 0.9 r -> 3/4
    // 0.9 (none): 2/4
    const r = bestThreshold(scores, labels);
    expect(r.accuracy).toBe(0.75);
    // tied candidates 0.15 and 0.85 -> middle index floor((2-1)/2)=0 -> 0.15
    expect(r.threshold).toBeCloseTo(0.15, 12);
  });

  it('can reject everything when all finite pairs are different-person', () => {
    const r = bestThreshold([0.3, 0.7, -Infinity], [false, false, true]);
    expect(r.accuracy).toBeCloseTo(2 / 3, 12);
    expect(accuracyAt([0.3, 0.7], [false, false], r.threshold)).toBe(1);
  });
});

describe('tenFold', () => {
  it('chooses each fold threshold on the other folds only', () => {
    // fold 1 separable around 0.5, fold 2 separable around 0.65 only
    const scores = [0.1, 0.4, 0.6, 0.9, 0.55, 0.6, 0.7, 0.8];
    const labels = [false, false, true, true, false, false, true, true];
    const folds = [1, 1, 1, 1, 2, 2, 2, 2];
    const r = tenFold(scores, labels, folds);
    // held-out fold 1: train on fold 2 -> threshold 0.65 -> fold 1: 0.1 r, 0.4 r, 0.6 w, 0.9 r = 3/4
    // held-out fold 2: train on fold 1 -> threshold 0.5  -> fold 2: 0.55 w, 0.6 w, 0.7 r, 0.8 r = 2/4
    expect(r.folds.map((f) => f.fold)).toEqual([1, 2]);
    expect(r.folds[0]!.threshold).toBeCloseTo(0.65, 12);
    expect(r.folds[0]!.accuracy).toBe(0.75);
    expect(r.folds[1]!.threshold).toBeCloseTo(0.5, 12);
    expect(r.folds[1]!.accuracy).toBe(0.5);
    expect(r.accuracy).toBeCloseTo(0.625, 12);
    expect(r.std).toBeCloseTo(Math.SQRT1_2 * 0.25, 12);
  });

  it('refuses a single fold', () => {
    expect(() => tenFold([1, 2], [true, false], [3, 3])).toThrow(/two folds/);
  });
});

describe('auc', () => {
  it('is 1 for perfect ranking, 0 for inverted, 0.5 for all ties', () => {
    expect(auc([0.9, 0.8, 0.1], [true, true, false])).toBe(1);
    expect(auc([0.1, 0.2, 0.9], [true, true, false])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [true, false, true, false])).toBe(0.5);
  });

  it('counts a hand-checked mix of order and ties', () => {
    // pos: 0.8, 0.4 ; neg: 0.4, 0.2
    // (0.8,0.4)=1 (0.8,0.2)=1 (0.4,0.4)=0.5 (0.4,0.2)=1 -> 3.5/4
    expect(auc([0.8, 0.4, 0.4, 0.2], [true, true, false, false])).toBeCloseTo(0.875, 12);
  });

  it('ranks failures worst for their label', () => {
    // failed negative ranks above both positives; failed positive below all negatives
    // pos: 0.9, F ; neg: 0.1, F
    // (0.9,0.1)=1 (0.9,F)=0 (F,0.1)=0 (F,F)=0 -> 1/4
    expect(auc([0.9, -Infinity, 0.1, -Infinity], [true, true, false, false])).toBeCloseTo(0.25, 12);
  });
});

describe('tarAtFar', () => {
  const scores = [0.95, 0.9, 0.7, 0.5, -Infinity, 0.8, 0.6, 0.3, 0.2, -Infinity];
  const labels = [true, true, true, true, true, false, false, false, false, false];

  it('takes the lowest threshold meeting the FAR bound', () => {
    // 5 negatives: far 0.2 allows 1 false accept -> threshold 0.6 (accept > 0.6)
    const r = tarAtFar(scores, labels, 0.2);
    expect(r.threshold).toBe(0.6);
    expect(r.far).toBeCloseTo(0.2, 12);
    expect(r.tar).toBeCloseTo(3 / 5, 12);
  });

  it('accepts no negative at FAR 0 and never accepts failures', () => {
    const r = tarAtFar(scores, labels, 0);
    expect(r.threshold).toBe(0.8);
    expect(r.far).toBe(0);
    expect(r.tar).toBeCloseTo(2 / 5, 12);
    // with every finite negative allowed, TAR is capped by the failed positive
    expect(tarAtFar(scores, labels, 1).tar).toBeCloseTo(4 / 5, 12);
  });

  it('counts failures', () => {
    expect(countFailures(scores)).toBe(2);
  });
});

describe('parseLfwPairs', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads folds of same then different pairs into image paths', () => {
    dir = mkdtempSync(join(tmpdir(), 'lfw-'));
    writeFileSync(
      join(dir, 'pairs.txt'),
      ['2\t1', 'Ann_A\t1\t12', 'Bob_B\t3\tCid_C\t104', 'Dee_D\t2\t5', 'Ann_A\t1\tBob_B\t1', ''].join('\n'),
    );
    const pairs = parseLfwPairs(dir);
    expect(pairs).toEqual([
      { a: join(dir, 'Ann_A', 'Ann_A_0001.jpg'), b: join(dir, 'Ann_A', 'Ann_A_0012.jpg'), same: true, fold: 1 },
      { a: join(dir, 'Bob_B', 'Bob_B_0003.jpg'), b: join(dir, 'Cid_C', 'Cid_C_0104.jpg'), same: false, fold: 1 },
      { a: join(dir, 'Dee_D', 'Dee_D_0002.jpg'), b: join(dir, 'Dee_D', 'Dee_D_0005.jpg'), same: true, fold: 2 },
      { a: join(dir, 'Ann_A', 'Ann_A_0001.jpg'), b: join(dir, 'Bob_B', 'Bob_B_0001.jpg'), same: false, fold: 2 },
    ]);
  });

  it('rejects a file whose line count or layout does not match its header', () => {
    dir = mkdtempSync(join(tmpdir(), 'lfw-'));
    writeFileSync(join(dir, 'pairs.txt'), '1\t1\nAnn_A\t1\t2\n');
    expect(() => parseLfwPairs(dir)).toThrow(/expected 2 pair lines/);
    writeFileSync(join(dir, 'pairs.txt'), '1\t1\nAnn_A\t1\tBob_B\t2\nAnn_A\t1\t2\n');
    expect(() => parseLfwPairs(dir)).toThrow(/does not fit/);
  });
});
