/** Fills the face caches of the search benchmark: `tsx bench/lib/embed-sets-cli.ts lag-dev cacd-vs lfw`. */
import { Matcher } from '../../src/node.js';
import { cachedFaces } from './face-cache.js';
import { cacdPhotos, lagDevPhotos, lfwPaths } from './search-sets.js';

/** The embedder without its map: the benchmarks apply maps themselves, to the cached bare embeddings. */
export const BARE_EMBEDDER = { name: 'mobilefacenet' as const, map: 'none' as const };

export function cacheKey(set: string, embedderId: string): string {
  return `faces-${set}-${embedderId.replace('@', '-')}`;
}

export function setPaths(set: string): string[] {
  if (set === 'lag-dev') return lagDevPhotos().map((p) => p.path);
  if (set === 'cacd-vs') return cacdPhotos().map((p) => p.path);
  if (set === 'lfw') return lfwPaths();
  throw new Error(`unknown set ${set}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = await Matcher.create({ threads: 1, embedder: BARE_EMBEDDER });
  for (const set of process.argv.slice(2)) await cachedFaces(m, setPaths(set), cacheKey(set, m.embedderId.id));
  await m.dispose();
}
