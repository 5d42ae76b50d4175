import type { CheckResult } from '../cells/checks.ts';
import { compile } from '../cells/compile.ts';
import { DataError, parseData } from '../cells/data.ts';
import type { DataFormat, DataTable } from '../cells/data.ts';
import type { GridLine } from '../cells/grid-export.ts';
import {
  answersRow,
  checkRecord,
  estimateRun,
  gridKeys,
  gridShapeOf,
  planGrid,
  summarizeColumn,
} from '../cells/grid.ts';
import type { ColumnSummary, GridEstimate, GridKey, GridPlan, GridShape } from '../cells/grid.ts';
import type { Cell, Target } from '../cells/notebook.ts';
import type { Compiled } from '../cells/request.ts';
import type { RunRecord } from '../cells/run-record.ts';
import type { Variables } from '../cells/variables.ts';
import { getDataFile } from './api-grid.ts';
import type { GridCall, GridProgress, GridRuns } from './grid-runs.ts';
import type { NotebookStore } from './notebook-store.ts';

/**
 * Grids as the page works with them: the test cases of data cells (parsed, or read from a file
 * of the workspace), which calls a grid has, their requests, the estimate before a run, and each
 * call's result with its checks.
 */

type DataCell = Extract<Cell, { kind: 'data' }>;

/** A data cell's table, or why there is none yet. */
export type TableState = { table: DataTable } | { error: string } | { loading: true };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The tables of the notebook's data cells: parsed once per text, files read once per name. */
export class DataTables {
  private readonly parsed = new Map<
    string,
    { text: string; format: DataFormat; state: TableState }
  >();
  private readonly files = new Map<string, TableState>();

  constructor(private readonly changed: () => void) {}

  clear(): void {
    this.parsed.clear();
    this.files.clear();
  }

  of(cell: DataCell): TableState {
    if (cell.file !== undefined) return this.fileTable(cell.file);
    const cached = this.parsed.get(cell.id);
    if (cached && cached.text === cell.text && cached.format === cell.format) return cached.state;
    let state: TableState;
    try {
      state = { table: parseData(cell.text, cell.format) };
    } catch (error) {
      state = { error: error instanceof DataError ? error.message : describe(error) };
    }
    this.parsed.set(cell.id, { text: cell.text, format: cell.format, state });
    return state;
  }

  /** Reads a data file again (it changed on disk). */
  reload(file: string): void {
    this.files.delete(file);
    this.changed();
  }

  private fileTable(file: string): TableState {
    const known = this.files.get(file);
    if (known) return known;
    this.files.set(file, { loading: true });
    getDataFile(file).then(
      ({ format, text }) => {
        try {
          this.files.set(file, { table: parseData(text, format) });
        } catch (error) {
          this.files.set(file, { error: `${file}: ${describe(error)}` });
        }
        this.changed();
      },
      (error: unknown) => {
        this.files.set(file, { error: describe(error) });
        this.changed();
      },
    );
    return { loading: true };
  }
}

/** One grid as shown: its shape, targets, test cases and the size of its body. */
export interface GridView {
  cellId: string;
  shape: GridShape;
  targets: Target[];
  /** The test cases' state; without a data cell, one case without values. */
  table: TableState;
  rows: readonly Variables[];
  columns: readonly string[];
  /** Body rows: test cases times repeats. */
  rowCount: number;
}

/** What a grid shows of its results, computed once per change of them. */
export interface GridResults {
  /** Each call's result that answers the grid as it is now, at `callIndex(view, key)`. */
  calls: (GridCall | undefined)[];
  /** The calls still to make: never run, failed, stopped, or not sent. */
  missing: GridKey[];
  /** Per target, in the view's order. */
  summaries: ColumnSummary[];
}

/** Where a call's result sits in `GridResults.calls`: row by row, repeat, then target. */
export function callIndex(view: GridView, key: GridKey): number {
  const target = view.targets.findIndex((t) => t.id === key.targetId);
  return (key.row * view.shape.repeat + key.repeat) * view.targets.length + target;
}

/** How many calls of one column of a grid are in flight at once, unless changed. */
export const DEFAULT_CONCURRENCY = 4;
/** Rows compiled to estimate a grid's cost; the rest are assumed alike. */
const ESTIMATE_SAMPLE = 20;

export class NotebookGrids {
  /** Calls in flight per model in the next run. */
  concurrency = DEFAULT_CONCURRENCY;
  private readonly checked = new WeakMap<RunRecord, { checks: unknown; results: CheckResult[] }>();
  private readonly computed = new Map<string, { key: unknown[]; results: GridResults }>();

  constructor(
    private readonly store: NotebookStore,
    private readonly runs: GridRuns,
    private readonly tables: DataTables,
  ) {}

  /** The grid of a cell, or undefined when the cell runs once per target. */
  viewOf(cellId: string): GridView | undefined {
    const store = this.store;
    const shape = gridShapeOf(store.notebook, cellId);
    const cell = store.cell(cellId);
    if (!shape || !cell) return undefined;
    const table: TableState = shape.data
      ? this.tables.of(shape.data)
      : { table: { columns: [], rows: [{}] } };
    const rows = 'table' in table ? table.table.rows : [];
    return {
      cellId,
      shape,
      targets: store.targetsFor(cell),
      table,
      rows,
      columns: 'table' in table ? table.table.columns : [],
      rowCount: rows.length * shape.repeat,
    };
  }

  /** Every call of a grid, or those of the columns `targetIds`. */
  keys(view: GridView, targetIds?: readonly string[]): GridKey[] {
    const targets = targetIds ? view.targets.filter((t) => targetIds.includes(t.id)) : view.targets;
    return gridKeys(view.rows.length, view.shape.repeat, targets);
  }

  /**
   * A call's result, when it answers the grid as it is now: the same test case values, the model
   * and API the target calls.
   */
  resultOf(view: GridView, key: GridKey): GridCall | undefined {
    const call = this.runs.call(view.cellId, key);
    const record = call?.record;
    if (!call || !record) return call;
    const target = view.targets.find((t) => t.id === key.targetId);
    const variables = view.rows[key.row];
    if (!target || !variables || !answersRow(record, variables)) return undefined;
    if (record.modelId !== target.modelId) return undefined;
    return call;
  }

  /**
   * Every call's result, the calls still to make and each column's summary: computed once per
   * change of the results (a running grid of a thousand calls re-renders a few times a second).
   */
  results(view: GridView): GridResults {
    const key = [
      this.runs.version(view.cellId),
      view.rows,
      view.targets,
      view.shape.repeat,
      view.shape.checks,
    ];
    const cached = this.computed.get(view.cellId);
    if (cached && cached.key.every((k, i) => k === key[i])) return cached.results;
    const calls = this.keys(view).map((k) => this.resultOf(view, k));
    const missing = this.keys(view).filter((k) => {
      const state = calls[callIndex(view, k)]?.state;
      return state === undefined || state === 'failed' || state === 'stopped' || state === 'unsent';
    });
    const summaries = view.targets.map((target, t) =>
      summarizeColumn(
        target.id,
        calls.flatMap((call, i) => {
          const record = call?.record;
          if (i % view.targets.length !== t || !record) return [];
          if (call.state !== 'done' && call.state !== 'failed') return [];
          return [{ record, checks: this.checksOf(view, record) }];
        }),
      ),
    );
    const results = { calls, missing, summaries };
    this.computed.set(view.cellId, { key, results });
    return results;
  }

  /** The checks of one result, evaluated once per record and checks. */
  checksOf(view: GridView, record: RunRecord): CheckResult[] {
    const cached = this.checked.get(record);
    if (cached?.checks === view.shape.checks) return cached.results;
    const variables = record.grid?.variables ?? {};
    const results = checkRecord(view.shape.checks, record, variables);
    this.checked.set(record, { checks: view.shape.checks, results });
    return results;
  }

  /**
   * The request a cell sends for one test case and target: the row's values fill its variables,
   * and earlier prompts of the thread contribute that test case's answers.
   */
  compileRow(cellId: string, row: number, target: Target): Compiled | { error: string } {
    const view = this.viewOf(cellId);
    const variables = view?.rows[row];
    try {
      return compile(this.store.notebook, cellId, target, this.answersFor(row), {
        ...(view?.shape.data && variables ? { variables } : {}),
      });
    } catch (error) {
      return { error: describe(error) };
    }
  }

  /** Earlier answers for a test case: a grid's answer of that row, else the cell's own answer. */
  private answersFor(row: number) {
    return (cellId: string, targetId: string): string | undefined => {
      const view = this.viewOf(cellId);
      if (!view) return this.store.answerLookup(cellId, targetId);
      const call = this.resultOf(view, { row, repeat: 0, targetId });
      return call?.state === 'done' || call?.state === 'stopped' ? call.record?.text : undefined;
    };
  }

  plan(view: GridView, keys: readonly GridKey[]): GridPlan {
    return planGrid(keys, view.targets, (row, target) => {
      const compiled = this.compileRow(view.cellId, row, target);
      if ('error' in compiled) throw new Error(compiled.error);
      return compiled.request;
    });
  }

  /** Calls and dollars of running `keys`, from a sample of the rows' requests. */
  estimate(view: GridView, keys: readonly GridKey[]): GridEstimate {
    const rows = [...new Set(keys.map((k) => k.row))];
    const step = Math.max(1, Math.ceil(rows.length / ESTIMATE_SAMPLE));
    const sample = new Set(rows.filter((_, i) => i % step === 0));
    const weight = rows.length / Math.max(1, sample.size);
    const sampled = keys.filter((k) => sample.has(k.row));
    const plan = this.plan(view, sampled);
    const counts = new Map<number, number>();
    for (const call of plan.calls) counts.set(call.request, (counts.get(call.request) ?? 0) + 1);
    const estimate = estimateRun(
      plan.requests.map(({ request, row }, i) => ({
        request,
        variables: view.rows[row] ?? {},
        count: (counts.get(i) ?? 0) * weight,
      })),
      view.shape.checks,
      (modelId) => this.averageOutput(view, modelId),
    );
    const rubrics = view.shape.checks.filter((c) => c.type === 'llm-rubric').length;
    return { ...estimate, calls: keys.length, gradingCalls: keys.length * rubrics };
  }

  private averageOutput(view: GridView, modelId: string): number | undefined {
    let sum = 0;
    let n = 0;
    for (const key of this.keys(view)) {
      const record = this.resultOf(view, key)?.record;
      if (record?.modelId === modelId && record.usage) {
        sum += record.usage.outputTokens;
        n++;
      }
    }
    return n ? sum / n : undefined;
  }

  /** Runs `keys` of a cell's grid (every call by default); resolves when the run has ended. */
  async run(cellId: string, keys?: readonly GridKey[]): Promise<void> {
    const view = this.viewOf(cellId);
    if (!view || !('table' in view.table) || this.runs.isRunning(cellId)) return;
    const plan = this.plan(view, keys ?? this.keys(view));
    if (!plan.calls.length && !plan.problems.length) return;
    await this.runs.run({
      notebook: this.store.name,
      cellId,
      rows: view.rows,
      plan,
      checks: view.shape.checks,
      concurrency: this.concurrency,
    });
  }

  /** The grid's answers as download lines, in grid order. */
  lines(view: GridView): GridLine[] {
    return this.keys(view).flatMap((key) => {
      const record = this.resultOf(view, key)?.record;
      const target = view.targets.find((t) => t.id === key.targetId);
      if (!record || !target) return [];
      return [
        {
          row: key.row,
          repeat: key.repeat,
          target,
          variables: view.rows[key.row] ?? {},
          record,
          checks: this.checksOf(view, record),
        },
      ];
    });
  }

  /** The progress of a grid's latest run in this session. */
  progressOf(cellId: string): GridProgress | undefined {
    return this.runs.progressOf(cellId);
  }

  isRunning(cellId: string): boolean {
    return this.runs.isRunning(cellId);
  }

  /** Stops a grid's run: the calls in flight end, what finished stays. */
  stop(cellId: string): void {
    this.runs.stop(cellId);
  }
}
