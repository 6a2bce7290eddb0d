/**
 * src/ has no import cycle, type-only imports included: a cycle makes load order matter
 * (a value read before its module ran) and makes a file impossible to read on its own.
 * Resolves every relative import/export-from of src/**\/*.ts (and inline `import('...')`
 * types) to a file and looks for a cycle in that graph.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Relative specifiers of `import ... from`, `export ... from`, `import '...'` and `import('...')`. */
export function specifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[2]!);
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c)) return c;
  return undefined;
}

/** One cycle per strongly connected group found by depth-first search, as file paths. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

describe('import graph of src/', () => {
  it('the resolver sees type-only, re-export and inline imports, and finds a cycle', () => {
    expect(
      specifiers(`import type { A } from './a.js';\nexport * from "../b.js";\nlet x: import('./c.js').C;\nimport './d.js';\n// import { e } from './e.js';`),
    ).toEqual(['./a.js', '../b.js', './c.js', './d.js']);
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('has no cycle', () => {
    const graph = new Map<string, string[]>();
    const unresolved: string[] = [];
    for (const file of tsFiles(SRC)) {
      const deps: string[] = [];
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const to = resolveImport(file, spec);
        if (to) deps.push(to);
        else unresolved.push(`${relative(SRC, file)} -> ${spec}`);
      }
      graph.set(file, deps);
    }
    expect(graph.size).toBeGreaterThan(50);
    expect(unresolved).toEqual([]);
    expect(findCycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(' -> '))).toEqual([]);
  });
});
