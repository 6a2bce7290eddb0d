/** The pairs each experiment uses: lag-dev and cacd-vs whole, LFW folds 1-3 unless --lfw-all. */
import { loadPairs, type Pair, type SetName } from '../../bench/lib/datasets.js';

export function experimentPairs(set: SetName, lfwAll = false): Pair[] {
  const pairs = loadPairs(set);
  return set === 'lfw' && !lfwAll ? pairs.filter((p) => p.fold <= 3) : pairs;
}

export function uniquePaths(pairs: Pair[]): string[] {
  return [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
}
