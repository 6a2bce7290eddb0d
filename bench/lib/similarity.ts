/** Plain vector similarities used as the peers' scores. */

// The library's own cosine (any vectors, not only unit ones): peers' descriptors are not normalised.
export { cosine } from '../../src/core/vectors.js';

/** Negative Euclidean distance, so that higher still means more alike. */
export function negativeEuclidean(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptor lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return -Math.sqrt(sum);
}
