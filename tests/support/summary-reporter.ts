import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends a run with one plain line, "Tests: N passed, N failed, N skipped", which CI reads without
 * knowing vitest's own summary format.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) counts[test.result().state] += 1;
      // A file that failed to load has no tests but must still count as a failure.
      if (module.state() === 'failed' && !module.children.size) counts.failed += 1;
    }
    const skipped = counts.skipped + counts.pending;
    process.stdout.write(
      `\nTests: ${counts.passed} passed, ${counts.failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
