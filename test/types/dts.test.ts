/** The built declaration files name nothing internal: no zod, no platform layer, no implementation class. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const INTERNAL = ['Platform', 'Registry', 'Parts', 'ModelContext', 'InferenceBackend', 'ModuleFactory', 'MatcherCore', 'FlatIndex', 'HnswIndex', 'PgvectorIndex', 'OnnxEmbedder', 'OnnxModel', 'UltrafaceDetector', 'Landmarks68Aligner', 'openMatcher', 'loadMatcher', 'init'];

describe('published .d.ts', () => {
  const files = readdirSync(DIST).filter((f) => /\.d\.c?ts$/.test(f));
  it('exist (run npm run build first)', () => {
    expect(files).toEqual(expect.arrayContaining(['node.d.ts', 'node.d.cts', 'web.d.ts', 'report.d.ts']));
  });
  it.each(files)('%s imports no zod and declares no internal name', (f) => {
    const text = readFileSync(join(DIST, f), 'utf8');
    expect(text).not.toMatch(/from ['"]zod['"]|\bz\.Zod/);
    const declared = [...text.matchAll(/\b(?:interface|class|type|function|const)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
    expect(declared.filter((n) => INTERNAL.includes(n!))).toEqual([]);
  });
});
