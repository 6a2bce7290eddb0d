import { MatcherError } from '../../src/node.js';

/** How a call ended, as one comparable string: a MatcherError code, 'faces:none|some', or a failure. */
export type Observed = string;

export class HangError extends Error {}

/** Rejects with HangError when `p` has not settled in `ms`; the timer never outlives the call. */
export async function withinTime<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HangError(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function observe(call: () => Promise<unknown[]>, hangMs: number): Promise<{ observed: Observed; value?: unknown[] }> {
  try {
    const value = await withinTime(call(), hangMs);
    return { observed: value.length === 0 ? 'faces:none' : 'faces:some', value };
  } catch (e) {
    if (e instanceof MatcherError) return { observed: e.code };
    if (e instanceof HangError) return { observed: 'HANG' };
    // Anything that is not a MatcherError is a bug: name it so the failure says what leaked.
    return { observed: `CRASH ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}` };
  }
}

export function expected(o: { code: string } | { faces: string }): Observed {
  return 'code' in o ? o.code : `faces:${o.faces}`;
}

/** Counts per key, as a markdown table sorted by count. */
export function countTable(title: string, counts: Map<string, number>): string {
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `| ${k} | ${n} |`);
  return [`| ${title} | count |`, '|---|---|', ...rows].join('\n');
}

export function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
