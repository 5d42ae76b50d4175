import { createContext } from '@lit/context';
import type { Cell, Notebook, Target } from '../cells/notebook.ts';
import type { Compiled } from '../cells/request.ts';
import { compile, CompileError } from '../cells/compile.ts';
import type { RunRecord } from '../cells/run-record.ts';
import { findModel } from '../cells/models/catalog.ts';
import { AnswerStreams } from './answer-streams.ts';
import { getModels, switchBackend } from './api.ts';
import type { BackendChoice } from './api.ts';
import { NotebookChangeEvent, NotebookEdits } from './notebook-edits.ts';
import { newTargetRun, RunHistory, targetRunFromRecord } from './target-run.ts';
import type { CellRun, RunFirst, TargetRun } from './target-run.ts';

export { BackendChangeEvent, NotebookChangeEvent } from './notebook-edits.ts';
export type { CellDraft } from './notebook-edits.ts';
export type { CellRun, RunState, TargetRun, WireEntry } from './target-run.ts';

/**
 * The notebook store: the one state owner of the page. It holds the notebook (with undo and
 * redo of every edit, see `NotebookEdits`), text typed that cannot be part of it yet, the models
 * and backend the server offers, and every run's answers. It renders nothing; elements read it
 * through `storeContext` and re-render on its events.
 */

/** A problem the notifier shows (not a model's error, which stays in its column). */
export interface StoreProblem {
  message: string;
  hint?: string;
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

/** Cells that send a request when run; other kinds only carry context. */
export function isRunnable(cell: Cell): boolean {
  return cell.kind === 'prompt' || cell.kind === 'native';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class NotebookStore extends NotebookEdits {
  private readonly runs = new RunHistory();
  private readonly streams = new AnswerStreams((cellId) =>
    this.dispatchEvent(new RunChangeEvent(cellId)),
  );
  /** Set by `stop()` so that a Run all in progress does not go on to the next cell. */
  private stopRequested = false;
  private activeCells = new Set<string>();

  /**
   * Shows another notebook (or the same one reloaded from disk), with the answers of its run log:
   * each cell's latest run per target becomes its answers, as if just run, and feeds the thread.
   */
  load(name: string | undefined, notebook: Notebook, records: readonly RunRecord[] = []): void {
    this.stop();
    this.reset(name, notebook);
    this.runs.clear();
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

  /** Every run of a cell against the target and model `run` was made with, oldest first. */
  historyOf(cellId: string, run: TargetRun): readonly TargetRun[] {
    return this.runs.of(cellId, run);
  }

  // ---- compiling ----

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
    return answer.text + this.streams.pendingText(answer);
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
    // Not known yet while the server still asks the credential chain, or with no backend.
    const status = this.status;
    const backend =
      status && (status.backend === 'aws' || status.backend === 'emulator')
        ? { kind: status.backend, region: status.region }
        : null;
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
    // A saved notebook's runs go to its run log, where the next visit finds them.
    const name = this.name;
    const recordOf = (answer: TargetRun) =>
      name ? { notebook: name, cellId, targetId: answer.target.id } : undefined;
    try {
      await Promise.all(
        fresh.map((answer) => this.streams.stream(cellId, answer, recordOf(answer))),
      );
    } finally {
      this.activeCells.delete(cellId);
      this.streams.flush();
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
    this.streams.stopAll();
  }

  /**
   * Switches the server's backend (the page's choice: a profile, a Region, the emulator), then
   * reads the new backend's model catalog. A profile whose credentials fail rejects with an
   * ApiError naming the problem, and nothing changes.
   */
  async switchBackend(choice: BackendChoice): Promise<void> {
    const status = await switchBackend(choice);
    this.setBackend(status, await getModels());
  }

  /** Reports a problem to whoever shows them (the notifier). */
  problem(problem: StoreProblem): void {
    this.dispatchEvent(new StoreProblemEvent(problem));
  }
}

/** The page's notebook store, provided by `<bp-app>`. */
export const storeContext = createContext<NotebookStore>(Symbol('bp-notebook-store'));
