import { describe, expect, it } from 'vitest';
import { TopK } from '../../src/indexes/top-k.js';
import { seededRandom } from './random.js';

describe('TopK', () => {
  it('keeps the k largest scores, best first, for many random streams', () => {
    const rand = seededRandom(42);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 60);
      const k = 1 + Math.floor(rand() * 12);
      const scores = Array.from({ length: n }, () => Math.round(rand() * 20) / 20);
      const top = new TopK(k);
      scores.forEach((s, i) => top.push(s, i));
      const got = top.drain();
      const want = [...scores].sort((a, b) => b - a).slice(0, k);
      expect(got.map((g) => g.score)).toEqual(want);
      for (const g of got) expect(scores[g.slot]).toBe(g.score);
    }
  });
});
