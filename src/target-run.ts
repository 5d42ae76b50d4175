import type { RunEvent, RunFix } from '../cells/events.ts';
import type { Target } from '../cells/notebook.ts';
import type { CompiledRequest } from '../cells/request.ts';
import { runKeyId, runKeyOf } from '../cells/run-record.ts';
import type { RunKey, RunRecord } from '../cells/run-record.ts';
import { unreachable } from '../cells/unreachable.ts';
import { CUT_HINT, CUT_MESSAGE } from './api-run.ts';

/**
 * One target's answer to one cell as the page holds it, live or read back from the run log, and
 * the history of such answers, keyed by what was actually called.
 */

/** Where a target's answer to one cell stands. */
export type RunState = 'waiting' | 'streaming' | 'done' | 'stopped' | 'failed';

/** One event as the wire view lists it: what arrived, and when (ms after the request). */
export interface WireEntry<E> {
  at: number;
  event: E;
}

/** The backend that answered a run. */
export interface RunBackend {
  kind: 'aws' | 'emulator';
  region: string;
}

/** An earlier cell whose answer this run needed and did not have: re-running it helps. */
export interface RunFirst {
  cellId: string;
  targetId: string;
}

/** One target's answer to one cell. */
export interface TargetRun {
  /** The target as called: its model id and API are those of the run, whatever it is now. */
  target: Target;
  /** The exact request sent (undefined when the cell did not compile). */
  request: CompiledRequest | undefined;
  warnings: string[];
  state: RunState;
  /** The answer so far; grows once per animation frame while streaming. */
  text: string;
  /** The model's reasoning before the answer (extended thinking); grows like `text`. */
  reasoning: string;
  /**
   * Bedrock's events as they were received, when the run asked the server to stream them (a wire
   * view was open); otherwise the server keeps them under `runId` for a wire view to fetch.
   */
  raw: WireEntry<unknown>[];
  /** True when the run asked for Bedrock's events live, so `raw` is all of them. */
  rawLive: boolean;
  /** The server's id of the run (from its `start` event): where it keeps Bedrock's events. */
  runId: string | null;
  /** The app's own normalized events (text, stop, usage, metrics, error). */
  events: WireEntry<RunEvent>[];
  /** Milliseconds to the first text, as the browser saw it (the server's figure wins if sent). */
  clientFirstTokenMs: number | null;
  clientTotalMs: number | null;
  stopReason: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  metrics: { timeToFirstTokenMs: number | null; totalMs: number; latencyMs: number | null } | null;
  error: { name: string; message: string; hint: string; fix?: RunFix } | null;
  /** The earlier cell to re-run for this target first, when that is why the cell did not compile. */
  runFirst: RunFirst | null;
  /** When the request was sent (ISO 8601); from the run record for runs of earlier sessions. */
  startedAt: string | null;
  /** Which backend answered (null when nothing was sent). */
  backend: RunBackend | null;
  /** True for a run read back from the notebook's run log (it has no wire events). */
  fromRecord: boolean;
}

/** The latest run of one cell: one answer per target, in target order. */
export interface CellRun {
  cellId: string;
  answers: TargetRun[];
}

/** A run about to be sent, or one that could not be (`problem`: the cell did not compile). */
export function newTargetRun(
  target: Target,
  compiled:
    { request: CompiledRequest; warnings: string[] } | { error: string; runFirst?: RunFirst },
  backend: RunBackend | null,
): TargetRun {
  const failed = 'error' in compiled;
  return {
    target,
    request: failed ? undefined : compiled.request,
    warnings: failed ? [] : compiled.warnings,
    state: failed ? 'failed' : 'waiting',
    text: '',
    reasoning: '',
    raw: [],
    rawLive: false,
    runId: null,
    events: [],
    clientFirstTokenMs: null,
    clientTotalMs: null,
    stopReason: null,
    usage: null,
    metrics: null,
    error: failed
      ? { name: 'CompileError', message: compiled.error, hint: 'Fix the cells above this one.' }
      : null,
    runFirst: failed ? (compiled.runFirst ?? null) : null,
    startedAt: new Date().toISOString(),
    backend: failed ? null : backend,
    fromRecord: false,
  };
}

/** A run read back from the run log, as it was when it ended. */
export function targetRunFromRecord(record: RunRecord, label: string): TargetRun {
  // A run that ended with neither a stop reason nor an error was cut, as it was when live.
  const error = record.error
    ? {
        name: record.error.name,
        message: record.error.message,
        hint: record.error.hint ?? '',
        ...(record.error.fix ? { fix: record.error.fix } : {}),
      }
    : record.stopReason === null
      ? { name: 'StreamCut', message: CUT_MESSAGE, hint: CUT_HINT }
      : null;
  const stopped = error?.name === 'Stopped';
  return {
    // The model and API the run actually used, even if the target has changed since.
    target: { id: record.targetId, label, modelId: record.modelId, api: record.api },
    request: record.request,
    warnings: [],
    state: stopped ? 'stopped' : error ? 'failed' : 'done',
    text: record.text,
    reasoning: record.reasoning ?? '',
    raw: [],
    rawLive: false,
    runId: null,
    events: [],
    clientFirstTokenMs: null,
    clientTotalMs: null,
    stopReason: record.stopReason,
    usage: record.usage,
    metrics: record.metrics,
    error: stopped ? null : error,
    runFirst: null,
    startedAt: record.startedAt,
    backend: { kind: record.backend, region: record.region },
    fromRecord: true,
  };
}

/** The history a run belongs to. */
export function runKeyOfRun(cellId: string, run: TargetRun): RunKey {
  return runKeyOf({
    cellId,
    targetId: run.target.id,
    modelId: run.request?.modelId ?? run.target.modelId,
    api: run.request?.api ?? run.target.api,
  });
}

/**
 * Applies one event of a live run to its answer. Text and reasoning are handed to `onText` (the
 * store batches them per animation frame); the rest is written at once.
 */
export function applyRunEvent(
  answer: TargetRun,
  event: RunEvent,
  at: number,
  onText: (text: string, kind: 'text' | 'reasoning') => void,
): void {
  if (event.type === 'raw') {
    answer.raw.push({ at, event: event.event });
    return;
  }
  answer.events.push({ at, event });
  switch (event.type) {
    case 'start':
      answer.runId = event.runId ?? null;
      break;
    case 'text':
    case 'reasoning':
      // Reasoning is the model's first output: its first token is the first token.
      answer.clientFirstTokenMs ??= at;
      answer.state = 'streaming';
      onText(event.text, event.type);
      break;
    case 'stop':
      answer.stopReason = event.reason;
      break;
    case 'usage':
      answer.usage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
      break;
    case 'metrics':
      answer.metrics = {
        timeToFirstTokenMs: event.timeToFirstTokenMs,
        totalMs: event.totalMs,
        latencyMs: event.latencyMs,
      };
      break;
    case 'error':
      // The first error is the cause; a cut reported after it is a consequence.
      answer.error ??= {
        name: event.name,
        message: event.message,
        hint: event.hint,
        ...(event.fix ? { fix: event.fix } : {}),
      };
      break;
    default:
      unreachable(event);
  }
}

/**
 * Every run of every cell, oldest first per history key (the run log plus this session's runs),
 * and each cell's latest answers. Runs of a deleted cell stay: undoing the delete shows them.
 */
export class RunHistory {
  private readonly latest = new Map<string, CellRun>();
  private readonly byKey = new Map<string, TargetRun[]>();
  /** Runs per key the run log held when the notebook was read, while not all are loaded. */
  private readonly logged = new Map<string, number>();

  clear(): void {
    this.latest.clear();
    this.byKey.clear();
    this.logged.clear();
  }

  /** How many runs of each key the run log holds (only the latest are loaded at first). */
  setLogged(counts: Readonly<Record<string, number>>): void {
    for (const [key, count] of Object.entries(counts)) this.logged.set(key, count);
  }

  /** True when the log holds earlier runs of `run`'s history than those loaded. */
  hasMore(cellId: string, run: TargetRun): boolean {
    const key = runKeyId(runKeyOfRun(cellId, run));
    const loaded = (this.byKey.get(key) ?? []).filter((r) => r.fromRecord).length;
    return (this.logged.get(key) ?? 0) > loaded;
  }

  /**
   * Puts a history's runs as read from the log (`logged`, oldest first; `total` in the log now,
   * of which the newest are given) before this session's runs, keeping the run loaded at first.
   */
  putLogged(cellId: string, run: TargetRun, logged: TargetRun[], total: number): void {
    const key = runKeyId(runKeyOfRun(cellId, run));
    const runs = this.byKey.get(key) ?? [];
    // The log also holds this session's runs by now: only those it held when it was read count.
    const atLoad = this.logged.get(key) ?? 0;
    const earlier = logged.slice(0, Math.max(0, atLoad - (total - logged.length)));
    const loaded = runs.filter((r) => r.fromRecord);
    const kept = loaded.length && earlier.length ? [...earlier.slice(0, -1), ...loaded] : earlier;
    this.byKey.set(key, [...kept, ...runs.filter((r) => !r.fromRecord)]);
    this.logged.delete(key);
  }

  add(cellId: string, run: TargetRun): void {
    const key = runKeyId(runKeyOfRun(cellId, run));
    const runs = this.byKey.get(key);
    if (runs) runs.push(run);
    else this.byKey.set(key, [run]);
  }

  /** Every run with the same key as `run` (same cell, target, model and API), oldest first. */
  of(cellId: string, run: TargetRun): readonly TargetRun[] {
    return this.byKey.get(runKeyId(runKeyOfRun(cellId, run))) ?? [];
  }

  latestOf(cellId: string): CellRun | undefined {
    return this.latest.get(cellId);
  }

  setLatest(cellId: string, answers: TargetRun[]): void {
    if (answers.length) this.latest.set(cellId, { cellId, answers });
    else this.latest.delete(cellId);
  }
}
