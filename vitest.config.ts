import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The published types are checked on a fresh build: `npm run test:types` (CI runs it after the build).
    exclude: [...configDefaults.exclude, 'test/types/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // ONNX sessions use both cores already; parallel files only fight over them.
    fileParallelism: false,
    pool: 'forks',
  },
});
