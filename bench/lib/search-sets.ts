/**
 * Photos of the search benchmarks, labelled by person (research-only sets, read in place).
 * - lag-dev: `ID/y/*.png` is person ID as a child or teenager, `ID/*.png` as an adult.
 * - cacd-vs: adults; pair PPPP is the same person iff PPPP mod 400 < 200. Only those pairs are
 *   labelled with an identity (different-person pairs name no one), so they alone are used:
 *   `PPPP_0` is the gallery photo, `PPPP_1` the probe (photos up to ~10 years apart).
 * - lfw: the photos of the 6,000 standard pairs (for the verification cost of a map).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { facesRoot, loadPairs } from './datasets.js';

export interface LabelledPhoto {
  path: string;
  person: string;
  /** lag-dev: a childhood photo; cacd-vs: the earlier (gallery) photo of the pair. */
  young: boolean;
}

export function lagDevPhotos(): LabelledPhoto[] {
  const root = join(facesRoot(), 'lag-dev');
  const out: LabelledPhoto[] = [];
  const people = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const person of people) {
    for (const sub of ['y', '']) {
      let names: string[] = [];
      try {
        names = readdirSync(join(root, person, sub)).filter((n) => n.endsWith('.png')).sort();
      } catch {
        continue;
      }
      out.push(...names.map((n) => ({ path: join(root, person, sub, n), person, young: sub === 'y' })));
    }
  }
  return out;
}

export function cacdPhotos(): LabelledPhoto[] {
  return loadPairs('cacd-vs')
    .filter((p) => p.same)
    .flatMap((p, i) => [
      { path: p.a, person: `cacd${i}`, young: true },
      { path: p.b, person: `cacd${i}`, young: false },
    ]);
}

export function lfwPaths(): string[] {
  return [...new Set(loadPairs('lfw').flatMap((p) => [p.a, p.b]))].sort();
}
