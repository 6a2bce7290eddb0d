/** Bootstrap over people: resample people with replacement, recompute a difference, keep the 2.5/97.5 percentiles. */
import { seededRandom } from './seeded-random.js';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  resamples: number;
}

/**
 * `stat(sample)` gets the resampled people (repeats included) and returns the difference
 * (lever minus default) on them; the estimate is `stat` on everyone.
 */
export function bootstrapOverPeople(people: readonly string[], stat: (sample: readonly string[]) => number, resamples = 1000, seed = 7): Interval {
  const rnd = seededRandom(seed);
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const sample = people.map(() => people[Math.floor(rnd() * people.length)]!);
    values.push(stat(sample));
  }
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))]!;
  return { estimate: stat(people), low: at(0.025), high: at(0.975), resamples };
}

/** Groups items by person, so a statistic over a resample can gather them quickly. */
export function byPerson<T>(items: readonly T[], person: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) m.set(person(x), [...(m.get(person(x)) ?? []), x]);
  return m;
}
