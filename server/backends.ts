import { openBackend, selectBackend } from './backend.ts';
import type { Backend, BackendChoice, BackendOptions } from './backend.ts';
import type { CredentialProblem } from './credentials.ts';

/** A switch the page asked for whose credentials failed: the backend in use stays. */
export class SwitchRefused extends Error {
  override name = 'SwitchRefused';
  constructor(readonly problem: CredentialProblem) {
    super(problem.message);
  }
}

/**
 * The backend in use, chosen at start while the server already listens, and switched from the
 * page without a restart. A run holds the backend it started on (`use`), so a switch never
 * closes a client under a stream in flight: the old backend closes when its last run ends.
 * Switches happen one at a time, in the order asked.
 */
export class Backends {
  private active: Promise<Backend>;
  private chosen: Backend | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly runs = new Map<Backend, number>();
  private readonly retiring = new Set<Backend>();

  constructor(private readonly options: BackendOptions) {
    this.active = selectBackend(options);
    // A failure is reported where the backend is awaited, not as an unhandled rejection here.
    this.active.then(
      (backend) => (this.chosen = backend),
      () => {},
    );
  }

  /** The backend in use, once chosen (just after a start the credential chain is still asked). */
  current(): Promise<Backend> {
    return this.active;
  }

  /** The backend in use, or undefined while the first one is being chosen. */
  peek(): Backend | undefined {
    return this.chosen;
  }

  /** Runs `work` with the backend in use, which stays open until `work` ends. */
  async use<T>(work: (backend: Backend) => Promise<T>): Promise<T> {
    const backend = await this.active;
    this.runs.set(backend, (this.runs.get(backend) ?? 0) + 1);
    try {
      return await work(backend);
    } finally {
      const left = (this.runs.get(backend) ?? 1) - 1;
      if (left > 0) this.runs.set(backend, left);
      else {
        this.runs.delete(backend);
        if (this.retiring.delete(backend)) void backend.close().catch(() => {});
      }
    }
  }

  /**
   * Switches to the backend the page chose; rejects with `SwitchRefused` naming the problem
   * when Bedrock's credentials fail, and the backend in use stays.
   */
  switchTo(choice: BackendChoice): Promise<Backend> {
    const next = this.queue.then(async () => {
      const old = await this.active.catch(() => undefined);
      const opened = await openBackend(choice, this.options);
      if ('refused' in opened) throw new SwitchRefused(opened.refused);
      this.active = Promise.resolve(opened);
      this.chosen = opened;
      if (old) this.retire(old);
      return opened;
    });
    this.queue = next.catch(() => {});
    return next;
  }

  private retire(backend: Backend): void {
    if (this.runs.has(backend)) this.retiring.add(backend);
    else void backend.close().catch(() => {});
  }

  async close(): Promise<void> {
    await this.queue;
    const backend = await this.active.catch(() => undefined);
    await Promise.all([backend?.close(), ...[...this.retiring].map((b) => b.close())]);
  }
}

/** What `/api/status` says of a backend: never keys, always kind, profile and Region. */
export function statusOf(backend: Backend | undefined): Record<string, unknown> {
  // Just after a start, while the server asks the credential chain.
  if (!backend) return { backend: 'checking', region: null, profile: null };
  return {
    backend: backend.kind,
    region: backend.region,
    profile: backend.profile,
    auth: backend.auth,
    synthetic: backend.kind === 'emulator',
    problem: backend.problem,
  };
}
