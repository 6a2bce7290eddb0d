import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * zod's `z.locales` namespace pulls ~260 KB of error-message translations into the browser
 * bundle. Our messages are English (zod registers `en` itself, outside that namespace), so the
 * web build resolves the namespace to English only.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: `${dirname(args.importer)}/${args.path}`, namespace: 'zod-en' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
    }));
  },
};

// Node (ESM + CJS) and the CLI bundle our code and leave dependencies external. The browser
// build (src/web.ts) is separate so no Node module can leak into it; test/bundle checks that.
export default defineConfig([
  {
    entry: { node: 'src/node.ts' },
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    shims: true,
    splitting: false,
  },
  {
    // The CLI's worker threads load dist/cli-worker.js (see src/cli/pool.ts).
    entry: { cli: 'src/cli.ts', 'cli-worker': 'src/cli/worker.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    splitting: false,
  },
  {
    // Browser: everything bundled (zod, onnxruntime-web's JS) so dist/web.js runs from a plain
    // <script type="module">. ORT is a separate chunk loaded by Matcher.create; its .mjs/.wasm
    // are fetched from options.wasmPaths (the extern-wasm condition keeps them out of the JS).
    entry: { web: 'src/web.ts', report: 'src/report/index.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    dts: true,
    sourcemap: true,
    splitting: true,
    noExternal: [/.*/],
    minify: true,
    esbuildOptions(o) {
      o.conditions = ['onnxruntime-web-use-extern-wasm', 'browser', 'import', 'default'];
    },
    esbuildPlugins: [zodEnglishOnly],
  },
]);
