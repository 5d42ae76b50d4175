import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A poll waits for a page, a server or a file to settle; on two shared cores that can take
    // seconds, and vitest's default of one second made CI fail runs that were only slow.
    expect: { poll: { timeout: 15_000 } },
    // Browser and emulator suites start servers; two cores are shared with them.
    maxWorkers: 2,
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Each project names its own files: an `include` at the root would be merged into both.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/{cells,server,emulator}/**/*.test.ts'],
        },
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
