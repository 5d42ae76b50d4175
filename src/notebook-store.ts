import { createContext } from '@lit/context';
import type { Cell, CellKind, Notebook, Target } from '../cells/notebook.ts';
import type { Compiled } from '../cells/request.ts';
import { compile, CompileError, deriveNativeBody, runTargetsFor } from '../cells/compile.ts';
import { unreachable } from '../cells/unreachable.ts';
import type { RunRecord } from '../cells/run-record.ts';
import { findModel } from '../cells/models/catalog.ts';
import { UndoStack } from '../cells/undo.ts';
import type { UndoStep } from '../cells/undo.ts';
import { runRequest } from './api.ts';
import type { ModelInfo, Status } from './api.ts';
import { applyRunEvent, newTargetRun, RunHistory, targetRunFromRecord } from './target-run.ts';
import type { CellRun, RunFirst, TargetRun } from './target-run.ts';

export type { CellRun, RunState, TargetRun, WireEntry } from './target-run.ts';

/**
 * The notebook store: the one state owner of the page. It holds the notebook (with undo and
 * redo of every edit), text typed that cannot be part of it yet, the models and backend the
 * server offers, and every run's answers. It renders nothing; elements read it through
 * `storeContext` and re-render on its events.
 */

/** A problem the notifier shows (not a model's error, which stays in its column). */
export interface StoreProblem {
  message: string;
  hint?: string;
}

/** Text on screen that cannot be put in the notebook yet (a config that is not valid JSON). */
export interface CellDraft {
  text: string;
  /** The full problem, shown under the editor. */
  problem: string;
  /** The short form the save state uses: "is not valid JSON". */
  summary: string;
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
  /** Bumped on every load: views keyed by it start afresh with what was loaded. */
  generation = 0;

  private readonly runs = new RunHistory();
  private readonly undoStack = new UndoStack<Notebook>();
  private readonly drafts = new Map<string, CellDraft>();
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
    this.undoStack.clear();
    this.drafts.clear();
    this.revision = 0;
    this.generation++;
    const latest = new Map<string, Map<string, TargetRun>>();
    for (const record of records) {
      const cell = this.cell(record.cellId);
      if (!cell || !isRunnable(cell)) continue;
      const current = this.targetsFor(cell).find((t) => t.id === record.targetId);
      const label = current?.label ?? findModel(record.modelId)?.name ?? record.modelId;
      const run = targetRunFromRecord(record, label);
      this.runs.add(record.cellId, run);
      const byTarget = latest.get(record.cellId) ?? new Map<string, TargetRun>();
      latest.set(record.cellId, byTarget.set(record.targetId, run));
    }
    for (const [cellId, byTarget] of latest) {
      const cell = this.cell(cellId);
      if (!cell) continue;
      const answers = this.targetsFor(cell).map((t) => byTarget.get(t.id));
      this.runs.setLatest(
        cellId,
        answers.filter((a) => a !== undefined),
      );
    }
    this.dispatchEvent(new NotebookChangeEvent());
    this.dispatchEvent(new RunChangeEvent(undefined));
  }

  /** The stored notebook was renamed (or saved under a new name): later runs are logged there. */
  rename(name: string): void {
    this.name = name;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  /** Every run of a cell against the target and model `run` was made with, oldest first. */
  historyOf(cellId: string, run: TargetRun): readonly TargetRun[] {
    return this.runs.of(cellId, run);
  }

  cell(id: string): Cell | undefined {
    return this.notebook.cells.find((c) => c.id === id);
  }

  /** "cell 3": how the person knows a cell (its position from 1). */
  private cellName(id: string): string {
    return `cell ${this.notebook.cells.findIndex((c) => c.id === id) + 1}`;
  }

  /** Makes an edit that can be undone. */
  private edit(
    notebook: Notebook,
    label: string,
    options: { group?: string; cellId?: string } = {},
  ): void {
    this.undoStack.record({ label, before: this.notebook, after: notebook, ...options });
    this.show(notebook);
  }

  private show(notebook: Notebook): void {
    this.notebook = notebook;
    this.revision++;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  setTitle(title: string): void {
    this.edit({ ...this.notebook, title }, 'Rename the notebook', { group: 'title' });
  }

  /**
   * Replaces one cell by id (the kind may not change here; see `changeKind`). Edits of one cell
   * in a row are one undo step, until `sealEdits`.
   */
  updateCell(cell: Cell): void {
    this.drafts.delete(cell.id);
    this.edit(
      { ...this.notebook, cells: this.notebook.cells.map((c) => (c.id === cell.id ? cell : c)) },
      `Edit ${this.cellName(cell.id)}`,
      { group: `cell:${cell.id}`, cellId: cell.id },
    );
  }

  /** Ends the current run of text edits: the next edit is an undo step of its own. */
  sealEdits(): void {
    this.undoStack.seal();
  }

  /** Inserts a new empty cell of `kind` at `index`; returns its id. */
  insertCell(index: number, kind: CellKind): string {
    const cell = this.blankCell(kind, newId('cell'), '');
    const cells = [...this.notebook.cells];
    const at = Math.max(0, Math.min(index, cells.length));
    cells.splice(at, 0, cell);
    this.edit({ ...this.notebook, cells }, `Add cell ${at + 1}`, { cellId: cell.id });
    return cell.id;
  }

  /** Removes a cell. Its runs stay in the history (and its records on disk): undo shows them. */
  deleteCell(id: string): void {
    const label = `Delete ${this.cellName(id)}`;
    this.edit({ ...this.notebook, cells: this.notebook.cells.filter((c) => c.id !== id) }, label, {
      cellId: id,
    });
  }

  /** Moves a cell up (-1) or down (+1). */
  moveCell(id: string, by: -1 | 1): void {
    const cells = [...this.notebook.cells];
    const from = cells.findIndex((c) => c.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= cells.length) return;
    const [cell] = cells.splice(from, 1);
    if (cell) cells.splice(to, 0, cell);
    const label = `Move cell ${from + 1} ${by < 0 ? 'up' : 'down'}`;
    this.edit({ ...this.notebook, cells }, label, { cellId: id });
  }

  /** Copies a cell below itself; returns the copy's id. */
  duplicateCell(id: string): string | undefined {
    const index = this.notebook.cells.findIndex((c) => c.id === id);
    const cell = this.notebook.cells[index];
    if (!cell) return undefined;
    const copy: Cell = { ...structuredClone(cell), id: newId('cell') };
    const cells = [...this.notebook.cells];
    cells.splice(index + 1, 0, copy);
    this.edit({ ...this.notebook, cells }, `Duplicate cell ${index + 1}`, { cellId: copy.id });
    return copy.id;
  }

  /** Turns a cell into another kind, keeping its text where both kinds have text. */
  changeKind(id: string, kind: CellKind): void {
    const cell = this.cell(id);
    if (!cell || cell.kind === kind) return;
    const text = 'text' in cell ? cell.text : '';
    const changed = this.blankCell(kind, id, text);
    this.drafts.delete(id);
    this.edit(
      { ...this.notebook, cells: this.notebook.cells.map((c) => (c.id === id ? changed : c)) },
      `Change the kind of ${this.cellName(id)}`,
      { cellId: id },
    );
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
        const derived = this.deriveBody(draft, modelId);
        return { ...draft, body: 'body' in derived ? derived.body : '{}' };
      }
      default:
        return unreachable(kind);
    }
  }

  /**
   * The native body the model's adapter builds from the context above a native cell, with the
   * thread's answers so far; or why it cannot be built yet.
   */
  deriveBody(cell: Cell, modelId: string): { body: string } | { error: string } {
    const cells = this.notebook.cells.some((c) => c.id === cell.id)
      ? this.notebook.cells.map((c) => (c.id === cell.id ? cell : c))
      : [...this.notebook.cells, cell];
    try {
      return {
        body: deriveNativeBody({ ...this.notebook, cells }, cell.id, modelId, this.answerLookup),
      };
    } catch (error) {
      return { error: describe(error) };
    }
  }

  /** True when the kind keeps free text (the others hold JSON). */
  static isTextKind(kind: CellKind): boolean {
    return TEXT_KINDS.has(kind);
  }

  // ---- undo ----

  /** The edit an undo would take back now, if any. */
  get lastEdit(): UndoStep<Notebook> | undefined {
    return this.undoStack.last;
  }

  get canUndo(): boolean {
    return this.undoStack.canUndo;
  }

  get canRedo(): boolean {
    return this.undoStack.canRedo;
  }

  /** Takes back the last edit; returns it (its label and cell), or undefined if there is none. */
  undo(): UndoStep<Notebook> | undefined {
    const step = this.undoStack.undo();
    if (step) this.showStep(step.after, step.before);
    return step;
  }

  /** Makes the last undone edit again; returns it, or undefined if there is none. */
  redo(): UndoStep<Notebook> | undefined {
    const step = this.undoStack.redo();
    if (step) this.showStep(step.before, step.after);
    return step;
  }

  private showStep(from: Notebook, to: Notebook): void {
    // Text typed into a cell that the step changes gives way to the cell as it was.
    for (const cellId of this.drafts.keys()) {
      const before = from.cells.find((c) => c.id === cellId);
      if (before !== to.cells.find((c) => c.id === cellId)) this.drafts.delete(cellId);
    }
    this.show(to);
  }

  // ---- text that cannot be saved yet ----

  /** Keeps (or, with undefined, drops) text typed into a cell that is not valid for it yet. */
  setDraft(cellId: string, draft: CellDraft | undefined): void {
    if (draft) this.drafts.set(cellId, draft);
    else if (!this.drafts.delete(cellId)) return;
    this.dispatchEvent(new NotebookChangeEvent());
  }

  /** Drops all such text (the person chose to reload the notebook from disk). */
  discardDrafts(): void {
    if (!this.drafts.size) return;
    this.drafts.clear();
    this.dispatchEvent(new NotebookChangeEvent());
  }

  draftOf(cellId: string): CellDraft | undefined {
    return this.drafts.get(cellId);
  }

  /** The cells whose text on screen is not in the notebook, in notebook order. */
  get unsaveable(): { cellId: string; number: number; summary: string }[] {
    return this.notebook.cells.flatMap((cell, index) => {
      const draft = this.drafts.get(cell.id);
      return draft ? [{ cellId: cell.id, number: index + 1, summary: draft.summary }] : [];
    });
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
    this.edit(
      { ...this.notebook, targets: [...this.notebook.targets, target] },
      `Add target ${target.label}`,
    );
  }

  updateTarget(target: Target): void {
    this.edit(
      {
        ...this.notebook,
        targets: this.notebook.targets.map((t) => (t.id === target.id ? target : t)),
      },
      `Change target ${target.label}`,
    );
  }

  removeTarget(id: string): void {
    const label = this.notebook.targets.find((t) => t.id === id)?.label ?? id;
    this.edit(
      { ...this.notebook, targets: this.notebook.targets.filter((t) => t.id !== id) },
      `Remove target ${label}`,
    );
  }

  moveTarget(id: string, by: -1 | 1): void {
    const targets = [...this.notebook.targets];
    const from = targets.findIndex((t) => t.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= targets.length) return;
    const [target] = targets.splice(from, 1);
    if (target) targets.splice(to, 0, target);
    this.edit({ ...this.notebook, targets }, `Move target ${target?.label ?? id}`);
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
   * earlier assistant turns. Returns the compile error's message instead of throwing; when an
   * earlier prompt has no usable answer from this target, `runFirst` names it.
   */
  compile(cellId: string, target: Target): Compiled | { error: string; runFirst?: RunFirst } {
    try {
      return compile(this.notebook, cellId, target, this.answerLookup);
    } catch (error) {
      const culprit = error instanceof CompileError ? error.cellId : undefined;
      // The one compile error that names another prompt: that prompt has no answer to follow.
      if (culprit !== undefined && culprit !== cellId && this.cell(culprit)?.kind === 'prompt') {
        return {
          error: this.whyNoAnswer(culprit, target) ?? describe(error),
          runFirst: { cellId: culprit, targetId: target.id },
        };
      }
      return { error: describe(error) };
    }
  }

  /** Why an earlier prompt that was run has no answer this target can continue from. */
  private whyNoAnswer(cellId: string, target: Target): string | undefined {
    const answer = this.runs.latestOf(cellId)?.answers.find((a) => a.target.id === target.id);
    const name = this.cellName(cellId).replace(/^c/, 'C');
    if (!answer) return undefined;
    if (answer.state === 'waiting' || answer.state === 'streaming') {
      return `${name} is still answering for ${target.label}: wait for it, then run this cell.`;
    }
    if (answer.state === 'failed') {
      return `${name}’s last run for ${target.label} failed (${answer.error?.name ?? 'error'}), so there is no answer to continue from: re-run ${this.cellName(cellId)} for ${target.label} only, or add an assistant cell after it.`;
    }
    return `${name} was answered by ${answer.target.modelId} through ${answer.target.api}, not by ${target.modelId} through ${target.api}: re-run ${this.cellName(cellId)} for ${target.label} so that the thread is its own.`;
  }

  /**
   * A target's latest finished (or stopped) answer to a cell, for later cells' context: only an
   * answer of the model and API the target calls now (another model's answer is not its own).
   */
  readonly answerLookup = (cellId: string, targetId: string): string | undefined => {
    const answer = this.runs.latestOf(cellId)?.answers.find((a) => a.target.id === targetId);
    if (!answer || (answer.state !== 'done' && answer.state !== 'stopped')) return undefined;
    const target = this.notebook.targets.find((t) => t.id === targetId);
    if (target && (target.modelId !== answer.target.modelId || target.api !== answer.target.api)) {
      return undefined;
    }
    return answer.text + (this.pending.get(answer) ?? '');
  };

  // ---- running ----

  runOf(cellId: string): CellRun | undefined {
    return this.runs.latestOf(cellId);
  }

  /** True while any request is in flight. */
  get running(): boolean {
    return this.activeCells.size > 0;
  }

  isRunning(cellId: string): boolean {
    return this.activeCells.has(cellId);
  }

  /**
   * Runs one cell against its targets (or only `targetIds`, keeping the other columns' answers),
   * all at once; resolves when every answer has ended.
   */
  async runCell(
    cellId: string,
    { targetIds }: { targetIds?: readonly string[] } = {},
  ): Promise<void> {
    const cell = this.cell(cellId);
    if (!cell || !isRunnable(cell) || this.activeCells.has(cellId)) return;
    const targets = this.targetsFor(cell);
    const chosen = targets.filter((t) => !targetIds || targetIds.includes(t.id));
    if (!chosen.length) return;
    this.stopRequested = false;
    const backend = this.status ? { kind: this.status.backend, region: this.status.region } : null;
    const fresh = chosen.map((t) => newTargetRun(t, this.compile(cellId, t), backend));
    // Only what was sent is history; a cell that did not compile is shown, not kept.
    for (const answer of fresh) if (answer.request) this.runs.add(cellId, answer);
    const previous = this.runs.latestOf(cellId)?.answers ?? [];
    const answers = targets.map(
      (t) => fresh.find((a) => a.target.id === t.id) ?? previous.find((a) => a.target.id === t.id),
    );
    this.runs.setLatest(
      cellId,
      answers.filter((a) => a !== undefined),
    );
    this.activeCells.add(cellId);
    this.dispatchEvent(new RunChangeEvent(cellId));
    this.dispatchEvent(new RunChangeEvent(undefined));
    try {
      await Promise.all(fresh.map((answer) => this.stream(cellId, answer)));
    } finally {
      this.activeCells.delete(cellId);
      this.flush();
      this.dispatchEvent(new RunChangeEvent(undefined));
    }
  }

  /**
   * Re-runs an earlier prompt for one target, then, if it answered, this cell for that target:
   * the way on when this cell needs that answer.
   */
  async runThrough(first: RunFirst, cellId: string): Promise<void> {
    await this.runCell(first.cellId, { targetIds: [first.targetId] });
    if (this.answerLookup(first.cellId, first.targetId) === undefined || this.stopRequested) return;
    await this.runCell(cellId, { targetIds: [first.targetId] });
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
    const onText = (text: string) =>
      this.pending.set(answer, (this.pending.get(answer) ?? '') + text);
    try {
      // A saved notebook's runs go to its run log, where the next visit finds them.
      const record = this.name
        ? { notebook: this.name, cellId, targetId: answer.target.id }
        : undefined;
      await runRequest(
        answer.target,
        answer.request,
        (event) => {
          applyRunEvent(answer, event, Math.round(performance.now() - started), onText);
          this.schedule(cellId);
        },
        controller.signal,
        record,
      );
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
