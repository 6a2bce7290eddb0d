import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npx reunite-face demo', () => {
  it('matches every degraded copy to the right portrait first', () => {
    const out = execFileSync('npx', ['tsx', 'src/cli.ts', 'demo', '--json'], { encoding: 'utf8', timeout: 120_000 });
    const r = JSON.parse(out) as { allOk: boolean; rows: { query: string; ok: boolean }[] };
    expect(r.rows.length).toBe(8);
    for (const row of r.rows) expect(row.ok, row.query).toBe(true);
    expect(r.allOk).toBe(true);
  });
});
