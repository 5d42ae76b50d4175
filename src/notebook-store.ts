import { createContext } from '@lit/context';
import type { RunEvent } from '../cells/events.ts';
import type { Cell, CellKind, Notebook, Target } from '../cells/notebook.ts';
import type { Compiled, CompiledRequest } from '../cells/request.ts';
import { compile, deriveNativeBody, runTargetsFor } from '../cells/compile.ts';
import { unreachable } from '../cells/unreachable.ts';
import type { RunRecord } from '../cells/run-record.ts';
import { findModel } from '../cells/models/catalog.ts';
import { CUT_HINT, CUT_MESSAGE, runRequest } from './api.ts';
import type { ModelInfo, Status } from './api.ts';

/**
 * The notebook store: the one state owner of the page. It holds the notebook, the models and
 * backend the server offers, and every run's streaming answers. It renders nothing; elements read
 * it through `storeContext` and re-render on its events.
 */

/** Where a target's answer to one cell stands. */
export type RunState = 'waiting' | 'streaming' | 'done' | 'stopped' | 'failed';

/** One event as the wire view lists it: what arrived, and when (ms after the request). */
export interface WireEntry {
  at: number;
  event: RunEvent;
}

/** One target's answer to one cell. */
export interface TargetRun {
  target: Target;
  /** The exact request sent (undefined when the cell did not compile). */
  request: CompiledRequest | undefined;
  warnings: string[];
  state: RunState;
  /** The answer so far; grows once per animation frame while streaming. */
  text: string;
  wire: WireEntry[];
  /** Milliseconds to the first text, as the browser saw it (the server's figure wins if sent). */
  clientFirstTokenMs: number | null;
  clientTotalMs: number | null;
  stopReason: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  metrics: { timeToFirstTokenMs: number | null; totalMs: number; latencyMs: number | null } | null;
  error: { name: string; message: string; hint: string } | null;
  /** When the request was sent (ISO 8601); from the run record for runs of earlier sessions. */
  startedAt: string | null;
  /** True for a run read back from the notebook's run log (it has no wire events). */
  fromRecord: boolean;
}

/** The latest run of one cell: one answer per target, in target order. */
export interface CellRun {
  cellId: string;
  answers: TargetRun[];
}

/** A problem the notifier shows (not a model's error, which stays in its column). */
export interface StoreProblem {
  message: string;
  hint?: string;
}

export class NotebookChangeEvent extends Event {
  static readonly eventName = 'notebook-change';
  constructor() {
    super(NotebookChangeEvent.eventName);
  }
}

export class RunChangeEvent extends Event {
  static readonly eventName = 'run-change';
  /** The cell whose answers changed, or undefined when the set of running cells changed. */
  constructor(readonly cellId: string | undefined) {
    super(RunChangeEvent.eventName);
  }
}

export class StoreProblemEvent extends Event {
  static readonly eventName = 'store-problem';
  constructor(readonly problem: StoreProblem) {
    super(StoreProblemEvent.eventName);
  }
}

const TEXT_KINDS = new Set<CellKind>(['markdown', 'system', 'prompt', 'assistant']);

/** Cells that send a request when run; other kinds only carry context. */
export function isRunnable(cell: Cell): boolean {
  return cell.kind === 'prompt' || cell.kind === 'native';
}

function newId(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export class NotebookStore extends EventTarget {
  /** The notebook being edited. Replaced (never mutated) on every edit. */
  notebook: Notebook = { version: 1, title: 'Untitled', targets: [], cells: [] };
  /** The stored notebook's name, once it has one. */
  name: string | undefined;
  /** Models the targets bar offers. */
  models: ModelInfo[] = [];
  /** The backend the server uses, once known. */
  status: Status | undefined;
  /** Bumped on every edit; the autosave compares it with the revision it last saved. */
  revision = 0;

  private runs = new Map<string, CellRun>();
  /** Every run of every cell, per target, oldest first: the run log plus this session's runs. */
  private history = new Map<string, Map<string, TargetRun[]>>();
  private controllers = new Set<AbortController>();
  /** Set by `stop()` so that a Run all in progress does not go on to the next cell. */
  private stopRequested = false;
  private activeCells = new Set<string>();
  private pending = new Map<TargetRun, string>();
  private dirtyCells = new Set<string>();
  private frame: number | undefined;

  // ---- notebook ----

  /**
   * Shows another notebook (or the same one reloaded from disk), with the answers of its run log:
   * each cell's latest run per target becomes its answers, as if just run, and feeds the thread.
   */
  load(name: string | undefined, notebook: Notebook, records: readonly RunRecord[] = []): void {
    this.stop();
    this.name = name;
    this.notebook = notebook;
    this.runs.clear();
    this.history.clear();
    this.revision = 0;
    for (const record of records) this.addRecord(record);
    for (const [cellId, byTarget] of this.history) {
      const cell = this.cell(cellId);
      if (!cell) continue;
      const answers = this.targetsFor(cell)
        .map((t) => byTarget.get(t.id)?.at(-1))
        .filter((a) => a !== undefined);
      if (answers.length) this.runs.set(cellId, { cellId, answers });
    }
    this.dispatchEvent(new NotebookChangeEvent());
    this.dispatchEvent(new RunChangeEvent(undefined));
  }

  /** The stored notebook was renamed (or saved under a new name): later runs are logged there. */
  rename(name: string): void {
    this.name = name;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  private addRecord(record: RunRecord): void {
    const cell = this.cell(record.cellId);
    if (!cell || !isRunnable(cell)) return;
    const current = this.targetsFor(cell).find((t) => t.id === record.targetId);
    const target: Target = {
      id: record.targetId,
      label: current?.label ?? findModel(record.modelId)?.name ?? record.modelId,
      // The model and API the run actually used, even if the target has changed since.
      modelId: record.modelId,
      api: record.api,
    };
    // A run that ended with neither a stop reason nor an error was cut, as it was when live.
    const error = record.error
      ? { name: record.error.name, message: record.error.message, hint: record.error.hint ?? '' }
      : record.stopReason === null
        ? { name: 'StreamCut', message: CUT_MESSAGE, hint: CUT_HINT }
        : null;
    this.pushHistory(record.cellId, {
      target,
      request: record.request,
      warnings: [],
      state: error?.name === 'Stopped' ? 'stopped' : error ? 'failed' : 'done',
      text: record.text,
      wire: [],
      clientFirstTokenMs: null,
      clientTotalMs: null,
      stopReason: record.stopReason,
      usage: record.usage,
      metrics: record.metrics,
      error: error?.name === 'Stopped' ? null : error,
      startedAt: record.startedAt,
      fromRecord: true,
    });
  }

  private pushHistory(cellId: string, answer: TargetRun): void {
    let byTarget = this.history.get(cellId);
    if (!byTarget) this.history.set(cellId, (byTarget = new Map<string, TargetRun[]>()));
    const runs = byTarget.get(answer.target.id);
    if (runs) runs.push(answer);
    else byTarget.set(answer.target.id, [answer]);
  }

  /** Every run of a cell against one target, oldest first (the last is the one shown). */
  historyOf(cellId: string, targetId: string): readonly TargetRun[] {
    return this.history.get(cellId)?.get(targetId) ?? [];
  }

  private commit(notebook: Notebook): void {
    this.notebook = notebook;
    this.revision++;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  cell(id: string): Cell | undefined {
    return this.notebook.cells.find((c) => c.id === id);
  }

  setTitle(title: string): void {
    this.commit({ ...this.notebook, title });
  }

  /** Replaces one cell by id (the kind may not change here; see `changeKind`). */
  updateCell(cell: Cell): void {
    this.commit({
      ...this.notebook,
      cells: this.notebook.cells.map((c) => (c.id === cell.id ? cell : c)),
    });
  }

  /** Inserts a new empty cell of `kind` at `index`; returns its id. */
  insertCell(index: number, kind: CellKind): string {
    const cell = this.blankCell(kind, newId('cell'), '');
    const cells = [...this.notebook.cells];
    cells.splice(Math.max(0, Math.min(index, cells.length)), 0, cell);
    this.commit({ ...this.notebook, cells });
    return cell.id;
  }

  deleteCell(id: string): void {
    this.runs.delete(id);
    this.history.delete(id);
    this.commit({ ...this.notebook, cells: this.notebook.cells.filter((c) => c.id !== id) });
  }

  /** Moves a cell up (-1) or down (+1). */
  moveCell(id: string, by: -1 | 1): void {
    const cells = [...this.notebook.cells];
    const from = cells.findIndex((c) => c.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= cells.length) return;
    const [cell] = cells.splice(from, 1);
    if (cell) cells.splice(to, 0, cell);
    this.commit({ ...this.notebook, cells });
  }

  /** Copies a cell below itself; returns the copy's id. */
  duplicateCell(id: string): string | undefined {
    const index = this.notebook.cells.findIndex((c) => c.id === id);
    const cell = this.notebook.cells[index];
    if (!cell) return undefined;
    const copy: Cell = { ...structuredClone(cell), id: newId('cell') };
    const cells = [...this.notebook.cells];
    cells.splice(index + 1, 0, copy);
    this.commit({ ...this.notebook, cells });
    return copy.id;
  }

  /** Turns a cell into another kind, keeping its text where both kinds have text. */
  changeKind(id: string, kind: CellKind): void {
    const cell = this.cell(id);
    if (!cell || cell.kind === kind) return;
    const text = 'text' in cell ? cell.text : '';
    this.runs.delete(id);
    this.history.delete(id);
    this.updateCellUnchecked(id, this.blankCell(kind, id, text));
  }

  private updateCellUnchecked(id: string, cell: Cell): void {
    this.commit({
      ...this.notebook,
      cells: this.notebook.cells.map((c) => (c.id === id ? cell : c)),
    });
  }

  private blankCell(kind: CellKind, id: string, text: string): Cell {
    switch (kind) {
      case 'markdown':
      case 'system':
      case 'assistant':
        return { kind, id, text };
      case 'prompt':
        return { kind, id, text, newThread: false };
      case 'config':
        return { kind, id, extras: {} };
      case 'native': {
        const modelId =
          this.notebook.targets.find((t) => t.api === 'invoke')?.modelId ??
          this.notebook.targets[0]?.modelId ??
          this.models[0]?.id ??
          'meta.llama2-13b-chat-v1';
        const draft: Cell = { kind, id, modelId, body: '{}' };
        return { ...draft, body: this.deriveBody(draft, modelId) };
      }
      default:
        return unreachable(kind);
    }
  }

  /**
   * The native body the model's adapter builds from the context above a native cell; `{}` when
   * the context does not compile yet.
   */
  deriveBody(cell: Cell, modelId: string): string {
    const cells = this.notebook.cells.some((c) => c.id === cell.id)
      ? this.notebook.cells.map((c) => (c.id === cell.id ? cell : c))
      : [...this.notebook.cells, cell];
    try {
      return deriveNativeBody({ ...this.notebook, cells }, cell.id, modelId);
    } catch {
      return '{}';
    }
  }

  /** True when the kind keeps free text (the others hold JSON). */
  static isTextKind(kind: CellKind): boolean {
    return TEXT_KINDS.has(kind);
  }

  // ---- targets ----

  addTarget(): void {
    const used = new Set(this.notebook.targets.map((t) => t.modelId));
    const model = this.models.find((m) => !used.has(m.id)) ?? this.models[0];
    if (!model) return;
    const target: Target = {
      id: newId('t'),
      label: model.name,
      modelId: model.id,
      api: model.apis.includes('converse') ? 'converse' : 'invoke',
    };
    this.commit({ ...this.notebook, targets: [...this.notebook.targets, target] });
  }

  updateTarget(target: Target): void {
    this.commit({
      ...this.notebook,
      targets: this.notebook.targets.map((t) => (t.id === target.id ? target : t)),
    });
  }

  removeTarget(id: string): void {
    this.commit({ ...this.notebook, targets: this.notebook.targets.filter((t) => t.id !== id) });
  }

  moveTarget(id: string, by: -1 | 1): void {
    const targets = [...this.notebook.targets];
    const from = targets.findIndex((t) => t.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= targets.length) return;
    const [target] = targets.splice(from, 1);
    if (target) targets.splice(to, 0, target);
    this.commit({ ...this.notebook, targets });
  }

  modelInfo(modelId: string): ModelInfo | undefined {
    return this.models.find((m) => m.id === modelId);
  }

  // ---- compiling ----

  /** The targets a cell runs against: every target, or one synthetic target for a native cell. */
  targetsFor(cell: Cell): Target[] {
    return runTargetsFor(this.notebook, cell);
  }

  /**
   * The exact request a cell compiles to for a target, using each target's latest answers as its
   * earlier assistant turns. Returns the compile error's message instead of throwing.
   */
  compile(cellId: string, target: Target): Compiled | { error: string } {
    try {
      return compile(this.notebook, cellId, target, this.answerLookup);
    } catch (error) {
      return { error: describe(error) };
    }
  }

  /** A target's latest finished (or stopped) answer to a cell, for later cells' context. */
  readonly answerLookup = (cellId: string, targetId: string): string | undefined => {
    const answer = this.runs.get(cellId)?.answers.find((a) => a.target.id === targetId);
    return answer && (answer.state === 'done' || answer.state === 'stopped')
      ? answer.text + (this.pending.get(answer) ?? '')
      : undefined;
  };

  // ---- running ----

  runOf(cellId: string): CellRun | undefined {
    return this.runs.get(cellId);
  }

  /** True while any request is in flight. */
  get running(): boolean {
    return this.activeCells.size > 0;
  }

  isRunning(cellId: string): boolean {
    return this.activeCells.has(cellId);
  }

  /** Runs one cell against its targets, all at once; resolves when every answer has ended. */
  async runCell(cellId: string): Promise<void> {
    const cell = this.cell(cellId);
    if (!cell || !isRunnable(cell) || this.activeCells.has(cellId)) return;
    this.stopRequested = false;
    const answers = this.targetsFor(cell).map((target): TargetRun => {
      const compiled = this.compile(cellId, target);
      const failed = 'error' in compiled;
      return {
        target,
        request: failed ? undefined : compiled.request,
        warnings: failed ? [] : compiled.warnings,
        state: failed ? 'failed' : 'waiting',
        text: '',
        wire: [],
        clientFirstTokenMs: null,
        clientTotalMs: null,
        stopReason: null,
        usage: null,
        metrics: null,
        error: failed
          ? {
              name: 'CompileError',
              message: compiled.error,
              hint: 'Fix the cells above this one.',
            }
          : null,
        startedAt: new Date().toISOString(),
        fromRecord: false,
      };
    });
    for (const answer of answers) this.pushHistory(cellId, answer);
    this.runs.set(cellId, { cellId, answers });
    this.activeCells.add(cellId);
    this.dispatchEvent(new RunChangeEvent(cellId));
    this.dispatchEvent(new RunChangeEvent(undefined));
    try {
      await Promise.all(answers.map((answer) => this.stream(cellId, answer)));
    } finally {
      this.activeCells.delete(cellId);
      this.flush();
      this.dispatchEvent(new RunChangeEvent(undefined));
    }
  }

  /** Runs every runnable cell from `fromIndex` down, one after another (answers feed the next). */
  async runAll(fromIndex = 0): Promise<void> {
    this.stopRequested = false;
    const ids = this.notebook.cells
      .slice(fromIndex)
      .filter(isRunnable)
      .map((c) => c.id);
    for (const id of ids) {
      if (this.stopRequested) break;
      await this.runCell(id);
    }
  }

  /** Aborts every stream in flight, keeping the partial text, and cancels a Run all. */
  stop(): void {
    this.stopRequested = true;
    for (const controller of this.controllers) controller.abort();
  }

  private async stream(cellId: string, answer: TargetRun): Promise<void> {
    if (!answer.request) return;
    const controller = new AbortController();
    this.controllers.add(controller);
    const started = performance.now();
    const on = (event: RunEvent) => {
      answer.wire.push({ at: Math.round(performance.now() - started), event });
      switch (event.type) {
        case 'start':
          break;
        case 'text':
          if (answer.clientFirstTokenMs === null) {
            answer.clientFirstTokenMs = Math.round(performance.now() - started);
          }
          answer.state = 'streaming';
          this.pending.set(answer, (this.pending.get(answer) ?? '') + event.text);
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
          answer.error ??= { name: event.name, message: event.message, hint: event.hint };
          break;
        case 'raw':
        case 'reasoning':
          break;
        default:
          unreachable(event);
      }
      this.schedule(cellId);
    };
    try {
      // A saved notebook's runs go to its run log, where the next visit finds them.
      const record = this.name
        ? { notebook: this.name, cellId, targetId: answer.target.id }
        : undefined;
      await runRequest(answer.target, answer.request, on, controller.signal, record);
      answer.state = answer.error ? 'failed' : 'done';
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) {
        answer.state = 'stopped';
      } else {
        answer.state = 'failed';
        answer.error ??= {
          name: error instanceof Error ? error.name : 'Error',
          message: describe(error),
          hint:
            error instanceof TypeError
              ? 'The local server did not answer: is it still running?'
              : ((error as { hint?: string }).hint ?? ''),
        };
      }
    } finally {
      this.controllers.delete(controller);
      answer.clientTotalMs = Math.round(performance.now() - started);
      this.schedule(cellId);
    }
  }

  /** Batches streamed text: the page re-renders at most once per animation frame. */
  private schedule(cellId: string): void {
    this.dirtyCells.add(cellId);
    if (this.frame !== undefined) return;
    const run = () => {
      this.frame = undefined;
      this.flush();
    };
    this.frame =
      typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible'
        ? requestAnimationFrame(run)
        : (setTimeout(run, 50) as unknown as number);
  }

  private flush(): void {
    for (const [answer, text] of this.pending) answer.text += text;
    this.pending.clear();
    const cells = [...this.dirtyCells];
    this.dirtyCells.clear();
    for (const cellId of cells) this.dispatchEvent(new RunChangeEvent(cellId));
  }

  /** Reports a problem to whoever shows them (the notifier). */
  problem(problem: StoreProblem): void {
    this.dispatchEvent(new StoreProblemEvent(problem));
  }
}

/** The page's notebook store, provided by `<bp-app>`. */
export const storeContext = createContext<NotebookStore>(Symbol('bp-notebook-store'));
