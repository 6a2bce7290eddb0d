import { defineConfig } from 'vitest/config';

// The research code (child-matching experiments, the TF.js -> ONNX converter, the TF.js peers)
// has its own test run, `npm run test:research`, so `npm test` is the library's alone.
export default defineConfig({
  test: {
    root: '.',
    include: ['research/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
