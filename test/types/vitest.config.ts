import { defineConfig } from 'vitest/config';

/**
 * The published types, checked on the built package (run after `npm run build`): the .test-d.ts
 * files import 'reunite-face' itself, which resolves through package.json "exports" to dist/.
 */
export default defineConfig({
  test: {
    include: ['test/types/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'test/types/tsconfig.json', ignoreSourceErrors: false },
  },
});
