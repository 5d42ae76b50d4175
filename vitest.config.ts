import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and emulator suites start servers; two cores are shared with them.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', exclude: [...configDefaults.exclude, 'tests/e2e/**'] },
      },
      {
        extends: true,
        // The browser tests need the built page: built once, only when they are selected.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/build-page.ts'],
        },
      },
    ],
  },
});
