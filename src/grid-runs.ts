import type { Check } from '../cells/checks.ts';
import type { GridEvent } from '../cells/grid-events.ts';
import { callState, gridKeyId } from '../cells/grid.ts';
import type { GridKey, GridPlan } from '../cells/grid.ts';
import type { RunRecord } from '../cells/run-record.ts';
import type { Variables } from '../cells/variables.ts';
import { getLatestRuns } from './api.ts';
import { runGrid } from './api-grid.ts';
import { NextFrame } from './next-frame.ts';

/**
 * The page's side of grid runs: each grid call's latest result (from the run log and from runs of
 * this session), and the runs in flight with their progress. Results arrive in batches, one
 * re-render per animation frame however many calls end in it.
 */

/** Where one call of a grid stands. */
export type GridCallState =
  'queued' | 'running' | 'retrying' | 'done' | 'failed' | 'stopped' | 'unsent';

/** One call of a grid: its latest attempt's record, once it has ended. */
export interface GridCall {
  state: GridCallState;
  record?: RunRecord;
  attempt: number;
  /** Why it was not sent, or the retry it waits for. */
  note?: string;
}

/** A grid run's progress, for its bar: counts and times. */
export interface GridProgress {
  total: number;
  finished: number;
  failed: number;
  retries: number;
  startedAt: number;
  endedAt?: number;
  running: boolean;
  stopped: boolean;
  /** Why the run itself failed (the server refused it, the connection broke). */
  error?: string;
}

/** What a grid run sends: the plan of calls with the rows and checks they need. */
export interface GridRunInput {
  notebook: string | undefined;
  cellId: string;
  rows: readonly Variables[];
  plan: GridPlan;
  checks: readonly Check[];
  concurrency: number;
}

/** The shortest time between two re-renders of a running grid. */
const FLUSH_MS = 200;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class GridRuns {
  private readonly calls = new Map<string, Map<string, GridCall>>();
  private readonly progress = new Map<string, GridProgress>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly dirty = new Set<string>();
  private readonly frame = new NextFrame(() => this.flush());
  private readonly versions = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;

  constructor(private readonly changed: (cellId: string) => void) {}

  /** Forgets every result (another notebook is shown). */
  clear(): void {
    this.stop();
    this.calls.clear();
    this.progress.clear();
  }

  private callsOf(cellId: string): Map<string, GridCall> {
    this.versions.set(cellId, this.version(cellId) + 1);
    let calls = this.calls.get(cellId);
    if (!calls) this.calls.set(cellId, (calls = new Map<string, GridCall>()));
    return calls;
  }

  /** Takes a grid run's record from the run log: the latest attempt of a call is its result. */
  addRecord(record: RunRecord): void {
    if (!record.grid) return;
    const key = { row: record.grid.row, repeat: record.grid.repeat, targetId: record.targetId };
    this.callsOf(record.cellId).set(gridKeyId(key), {
      state: callState(record),
      record,
      attempt: record.grid.attempt,
    });
  }

  /** Changes whenever a result of the grid of `cellId` does, for caches of what it shows. */
  version(cellId: string): number {
    return this.versions.get(cellId) ?? 0;
  }

  /** A call's latest result, if it has one. */
  call(cellId: string, key: GridKey): GridCall | undefined {
    return this.calls.get(cellId)?.get(gridKeyId(key));
  }

  progressOf(cellId: string): GridProgress | undefined {
    return this.progress.get(cellId);
  }

  isRunning(cellId: string): boolean {
    return this.controllers.has(cellId);
  }

  get running(): boolean {
    return this.controllers.size > 0;
  }

  /** Stops one grid's run, or all of them: the calls in flight end, what finished stays. */
  stop(cellId?: string): void {
    for (const [id, controller] of this.controllers) {
      if (cellId === undefined || id === cellId) controller.abort();
    }
  }

  /** Runs the planned calls; resolves when the run has ended (finished, stopped or failed). */
  async run(input: GridRunInput): Promise<void> {
    const { cellId, plan } = input;
    if (this.controllers.has(cellId)) return;
    const calls = this.callsOf(cellId);
    const keys = plan.calls.map(({ request, repeat }) => {
      const { row, targetId } = plan.requests[request]!;
      return { row, repeat, targetId };
    });
    // What each call showed before, so a stop gives back the answers of calls it never reached.
    const before = new Map(keys.map((key) => [gridKeyId(key), calls.get(gridKeyId(key))]));
    for (const key of keys) calls.set(gridKeyId(key), { state: 'queued', attempt: 0 });
    for (const { key, error } of plan.problems) {
      calls.set(gridKeyId(key), { state: 'unsent', attempt: 0, note: error });
    }
    const progress: GridProgress = {
      total: keys.length,
      finished: 0,
      failed: 0,
      retries: 0,
      startedAt: performance.now(),
      running: true,
      stopped: false,
    };
    this.progress.set(cellId, progress);
    const controller = new AbortController();
    this.controllers.set(cellId, controller);
    const startedAt = Date.now();
    this.schedule(cellId);
    const apply = (event: GridEvent) => {
      const key = 'call' in event ? keys[event.call] : undefined;
      const id = key ? gridKeyId(key) : '';
      switch (event.type) {
        case 'call':
          calls.set(id, { state: 'running', attempt: event.attempt });
          break;
        case 'retry':
          progress.retries++;
          calls.set(id, {
            state: 'retrying',
            attempt: event.attempt,
            note: `${event.error.name}: attempt ${event.attempt + 1} in ${(event.waitMs / 1000).toFixed(1)} s`,
          });
          break;
        case 'result': {
          const state = callState(event.record);
          progress.finished++;
          if (state !== 'done') progress.failed++;
          calls.set(id, { state, record: event.record, attempt: event.record.grid?.attempt ?? 1 });
          break;
        }
        case 'start':
        case 'end':
          break;
      }
      this.schedule(cellId);
    };
    try {
      await runGrid(
        {
          ...(input.notebook ? { notebook: input.notebook } : {}),
          cellId,
          rows: input.rows,
          requests: plan.requests,
          calls: plan.calls,
          checks: input.checks,
          concurrency: input.concurrency,
        },
        apply,
        controller.signal,
      );
    } catch (error) {
      if (!controller.signal.aborted) progress.error = describe(error);
    } finally {
      if (controller.signal.aborted && input.notebook) {
        await this.readBack(input.notebook, cellId, startedAt, calls, progress);
      }
      progress.stopped = controller.signal.aborted;
      progress.running = false;
      progress.endedAt = performance.now();
      this.controllers.delete(cellId);
      for (const key of keys) {
        const id = gridKeyId(key);
        const call = calls.get(id);
        if (call?.state === 'queued') {
          const previous = before.get(id);
          if (previous) calls.set(id, previous);
          else calls.delete(id);
        } else if (call?.state === 'running' || call?.state === 'retrying') {
          calls.set(id, { state: 'stopped', attempt: call.attempt });
        }
      }
      // The calls changed above: what caches computed from them (missing, summaries) is stale.
      this.versions.set(cellId, this.version(cellId) + 1);
      this.flush(cellId);
    }
  }

  /**
   * After a Stop, takes from the run log the results of calls the page still saw in flight: a
   * call can end on the server while the stop is on its way, its record written but its result
   * never read here. Without this the page would call it stopped and run it again.
   */
  private async readBack(
    notebook: string,
    cellId: string,
    startedAt: number,
    calls: Map<string, GridCall>,
    progress: GridProgress,
  ): Promise<void> {
    let records: RunRecord[];
    try {
      ({ records } = await getLatestRuns(notebook, undefined, true));
    } catch {
      return; // The log cannot be read now: the calls stay stopped, as the page last saw them.
    }
    for (const record of records) {
      if (record.cellId !== cellId || !record.grid || Date.parse(record.startedAt) < startedAt)
        continue;
      const { row, repeat, attempt } = record.grid;
      const id = gridKeyId({ row, repeat, targetId: record.targetId });
      const state = calls.get(id)?.state;
      if (state !== 'queued' && state !== 'running' && state !== 'retrying') continue;
      const ended = callState(record);
      if (ended === 'stopped') continue;
      progress.finished++;
      if (ended !== 'done') progress.failed++;
      calls.set(id, { state: ended, record, attempt });
    }
  }

  /**
   * Asks for a re-render of the grid: on the next frame, but at most every `FLUSH_MS`, so a run
   * of a thousand fast calls is a few renders a second, not one per frame.
   */
  private schedule(cellId: string): void {
    this.versions.set(cellId, this.version(cellId) + 1);
    this.dirty.add(cellId);
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.frame.request();
    }, wait);
  }

  /** Says which grids changed since the last frame (or `cellId` at once). */
  private flush(cellId?: string): void {
    this.lastFlush = performance.now();
    if (cellId !== undefined) this.dirty.add(cellId);
    const cells = [...this.dirty];
    this.dirty.clear();
    for (const id of cells) this.changed(id);
  }
}
