/**
 * dist/web.js and the chunks it loads must be browser-only: every module it imports is one of
 * its own relative chunks, so no onnxruntime-node, sharp, hnswlib-node, fs or node:* can load. Prints the
 * bytes a page downloads: our JS, ORT's JS and .wasm, and the default models.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/core/manifest.js';
import { ROOT, WEB_BUNDLE, ensureWebBuild } from './harness.js';

/** Raw JS budget for dist/web.js (without ORT's chunk): catches a dependency creeping in. */
const WEB_JS_BUDGET = 350 * 1024;

/**
 * Every module a bundle imports: static imports/exports, dynamic import() and require() with
 * a literal name, found by TypeScript's lexer (regular expressions trip over minified strings).
 */
function specifiers(code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

/** dist/web.js and, transitively, the relative chunks it imports. */
function bundleFiles(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    const code = readFileSync(f, 'utf8');
    files.set(f, code);
    for (const s of specifiers(code)) if (s.startsWith('./')) todo.push(join(dirname(f), s));
  }
  return files;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;

describe('browser bundle', () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    await ensureWebBuild();
    files = bundleFiles(WEB_BUNDLE);
  }, 300_000);

  it('imports nothing but its own chunks', () => {
    const bad: string[] = [];
    for (const [f, code] of files) {
      for (const s of specifiers(code)) if (!s.startsWith('./')) bad.push(`${f.slice(ROOT.length)}: ${s}`);
    }
    expect(bad).toEqual([]);
    expect(files.size).toBeGreaterThanOrEqual(2); // web.js + the ORT chunk it loads on demand
  });

  it('mentions node: builtins only in ORT’s guarded Node fallback, and never Node globals', () => {
    const ours = files.get(WEB_BUNDLE)!;
    expect(ours.includes('node:')).toBe(false);
    // `process.env.X` in shared code throws "process is not defined" in every browser.
    expect(ours.match(/\bprocess\.(env|argv|cwd|versions|platform)\b.{0,40}/)?.[0]).toBeUndefined();
    expect(ours.match(/\b(Buffer\.(from|alloc|concat)|__dirname|__filename)\b/)?.[0]).toBeUndefined();
    for (const [f, code] of files) {
      // onnxruntime-web asks for node:os / node:fs only when `navigator` is undefined (Node,
      // Deno), through its own require shim, never through an import a browser would resolve.
      const builtins = [...code.matchAll(/["'`](node:[\w/]+)["'`]/g)].map((m) => m[1]!);
      expect(builtins.filter((b) => !['node:os', 'node:fs', 'node:fs/promises'].includes(b)), f).toEqual([]);
    }
  });

  it('stays within its size budget; prints what a first visit downloads', () => {
    const ours = statSync(WEB_BUNDLE).size;
    const oursGz = gzipSync(readFileSync(WEB_BUNDLE)).length;
    const chunks = [...files.keys()].filter((f) => f !== WEB_BUNDLE && f.includes('ort.wasm'));
    const ortJs = chunks.reduce((a, f) => a + statSync(f).size, 0);
    const ortDir = join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');
    const ortGlue = statSync(join(ortDir, 'ort-wasm-simd-threaded.mjs')).size;
    const ortWasm = statSync(join(ortDir, 'ort-wasm-simd-threaded.wasm')).size;
    const ortWasmGz = gzipSync(readFileSync(join(ortDir, 'ort-wasm-simd-threaded.wasm'))).length;
    const manifest = parseManifest(JSON.parse(readFileSync(join(ROOT, 'models', 'manifest.json'), 'utf8')));
    const defaults = manifest.models.filter((m) => m.precision === 'fp32');
    const models = defaults.reduce((a, m) => a + m.bytes, 0);
    console.log(
      [
        '| what | bytes |',
        '| --- | --- |',
        `| dist/web.js (ours + zod) | ${kb(ours)} (gzip ${kb(oursGz)}) |`,
        `| onnxruntime-web JS chunk (wasm build) | ${kb(ortJs)} |`,
        `| ort-wasm-simd-threaded.mjs + .wasm | ${kb(ortGlue)} + ${mb(ortWasm)} (wasm gzip ${mb(ortWasmGz)}) |`,
        `| default models (${defaults.map((m) => m.file).join(', ')}) | ${mb(models)} |`,
        `| first visit total (uncompressed) | ${mb(ours + ortJs + ortGlue + ortWasm + models)} |`,
      ].join('\n'),
    );
    expect(chunks.length).toBe(1);
    expect(ours).toBeLessThan(WEB_JS_BUDGET);
  });
});
