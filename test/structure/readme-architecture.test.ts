/** README's Architecture section names every folder of src/ and the top-level folders a newcomer meets. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('README Architecture', () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('\n## ', readme.indexOf('## Architecture') + 1));

  it('names every folder of src/ and src/*.ts entry', () => {
    const entries = readdirSync(`${ROOT}src`, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    expect(entries.length).toBeGreaterThan(10);
    const missing = entries.filter((n) => !n.endsWith('.test.ts') && !section.includes(n));
    expect(missing).toEqual([]);
  });

  it('names scripts/, bench/, examples/, test/ and research/', () => {
    for (const dir of ['scripts/', 'bench/', 'examples/', 'test/', 'research/', 'models/']) expect(section, dir).toContain(dir);
  });
});
