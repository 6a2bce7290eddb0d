import { seededRandom } from '../../bench/lib/seeded-random.js';
// The library's own byte concatenation, under the name the corpus code uses.
import { concatBytes as concat } from '../../src/gallery/bytes.js';

export { concat };

export { seededRandom };

export function randomInt(rand: () => number, lo: number, hiExclusive: number): number {
  return lo + Math.floor(rand() * (hiExclusive - lo));
}

export function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

export type Mutation = 'bitflip' | 'insert' | 'delete' | 'truncate' | 'splice' | 'overwrite';
export const MUTATIONS: readonly Mutation[] = ['bitflip', 'insert', 'delete', 'truncate', 'splice', 'overwrite'];

/**
 * One random damage of `src`. `donor` feeds splices (a chunk of another valid file pasted
 * in), which exercise parsers with well-formed but misplaced structures.
 */
export function mutate(rand: () => number, src: Uint8Array, kind: Mutation, donor: Uint8Array): Uint8Array {
  const n = src.length;
  const at = randomInt(rand, 0, n);
  switch (kind) {
    case 'bitflip': {
      const out = src.slice();
      const flips = randomInt(rand, 1, 9);
      for (let i = 0; i < flips; i++) {
        const p = randomInt(rand, 0, n);
        out[p] = out[p]! ^ (1 << randomInt(rand, 0, 8));
      }
      return out;
    }
    case 'insert': {
      const extra = randomBytes(rand, randomInt(rand, 1, 65));
      return concat([src.subarray(0, at), extra, src.subarray(at)]);
    }
    case 'delete': {
      const len = randomInt(rand, 1, Math.min(256, n - at) + 1);
      return concat([src.subarray(0, at), src.subarray(at + len)]);
    }
    case 'truncate':
      return src.slice(0, at);
    case 'splice': {
      const from = randomInt(rand, 0, donor.length);
      const len = randomInt(rand, 1, Math.min(512, donor.length - from) + 1);
      return concat([src.subarray(0, at), donor.subarray(from, from + len), src.subarray(at)]);
    }
    case 'overwrite': {
      const out = src.slice();
      const len = Math.min(randomInt(rand, 1, 33), n - at);
      out.set(randomBytes(rand, len), at);
      return out;
    }
  }
}

