/**
 * Runs a callback once on the next animation frame however often it is requested before then:
 * many stream events or grid results make one re-render. A hidden page gets no frames, so there it
 * runs after a short timeout instead.
 */
export class NextFrame {
  private pending: number | undefined;

  constructor(private readonly run: () => void) {}

  request(): void {
    if (this.pending !== undefined) return;
    const run = () => {
      this.pending = undefined;
      this.run();
    };
    this.pending =
      typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible'
        ? requestAnimationFrame(run)
        : (setTimeout(run, 50) as unknown as number);
  }
}
