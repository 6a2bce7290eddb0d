import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // ONNX sessions use both cores already; parallel files only fight over them.
    fileParallelism: false,
    pool: 'forks',
  },
});
