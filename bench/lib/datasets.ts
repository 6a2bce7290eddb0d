/**
 * Verification sets under ../shared/data/faces (research-only: read in place, never copied).
 * Each loader returns pairs with absolute paths, labels and fold ids.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseLfwPairs } from './verification.js';

export interface Pair {
  a: string;
  b: string;
  same: boolean;
  fold: number;
}

export const SET_NAMES = ['lfw', 'cacd-vs', 'lag-dev'] as const;
export type SetName = (typeof SET_NAMES)[number];

/** ../shared/data/faces from the project root, or $REUNITE_FACE_DATA. */
export function facesRoot(): string {
  return process.env['REUNITE_FACE_DATA'] ?? resolve(process.cwd(), '..', 'shared', 'data', 'faces');
}

export function hasSet(name: string): boolean {
  return existsSync(join(facesRoot(), name));
}

export function loadPairs(name: SetName): Pair[] {
  const root = join(facesRoot(), name);
  if (!existsSync(root)) throw new Error(`data set ${name} not found at ${root} (see ../shared/data/README.md)`);
  if (name === 'lfw') return parseLfwPairs(root);
  if (name === 'cacd-vs') {
    // Pairs 0000-1599: 4 folds of 400; in each fold the first 200 are the same person.
    const pairs: Pair[] = [];
    for (let p = 0; p < 1600; p++) {
      const id = String(p).padStart(4, '0');
      pairs.push({ a: join(root, `${id}_0.jpg`), b: join(root, `${id}_1.jpg`), same: p % 400 < 200, fold: Math.floor(p / 400) + 1 });
    }
    return pairs;
  }
  // lag-dev: tab-separated `label young adult`; no official folds, so pair i goes to fold i mod 10
  // (the file is shuffled, so folds are balanced).
  return readFileSync(join(root, 'pairs.txt'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((line, i) => {
      const [label, young, adult] = line.split('\t');
      return { a: join(root, young!), b: join(root, adult!), same: label === '1', fold: (i % 10) + 1 };
    });
}
