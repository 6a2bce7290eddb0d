/**
 * A case folder made of LFW photos for `reunite-face enroll`: one sub-folder per person,
 * holding symbolic links to the photos (the research data is read in place, never copied).
 * The photos are the ones bench/e2e.ts times the worker recipe on: the first distinct photos
 * of the LFW pairs, in order.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseLfwPairs } from './verification.js';

export function lfwEnrollPhotos(lfwRoot: string, n: number): string[] {
  return [...new Set(parseLfwPairs(lfwRoot).flatMap((p) => [p.a, p.b]))].slice(0, n);
}

/** Links `photos` into `dir/<person>/<file>`; returns the number of case folders. */
export function linkCaseFolder(photos: string[], dir: string): number {
  const people = new Set<string>();
  for (const p of photos) {
    const person = basename(dirname(p));
    people.add(person);
    mkdirSync(join(dir, person), { recursive: true });
    symlinkSync(p, join(dir, person, basename(p)));
  }
  return people.size;
}
