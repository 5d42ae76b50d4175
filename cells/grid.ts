import { evaluateChecks, rubricsOf } from './checks.ts';
import type { Check, CheckResult } from './checks.ts';
import { estimateCost } from './models/catalog.ts';
import type { Cell, Notebook, Target } from './notebook.ts';
import type { CompiledRequest } from './request.ts';
import type { RunRecord } from './run-record.ts';
import { variablesIn } from './variables.ts';
import type { Variables } from './variables.ts';

/**
 * The grid of a prompt cell with test cases: rows are test cases (times repeats), columns are
 * targets, promptfoo's "providers × test cases". What a grid is, which calls it makes, how its
 * answers sum up per column, and how it is written out.
 */

type DataCell = Extract<Cell, { kind: 'data' }>;

/** One call of a grid: a test case, a repeat and a target. */
export interface GridKey {
  row: number;
  repeat: number;
  targetId: string;
}

/** A key as one string, for maps. */
export function gridKeyId(key: GridKey): string {
  return `${key.row}:${key.repeat}:${key.targetId}`;
}

/** The data cell whose test cases fill a cell's variables: the nearest one above it. */
export function dataCellFor(notebook: Notebook, cellId: string): DataCell | undefined {
  const index = notebook.cells.findIndex((c) => c.id === cellId);
  for (let i = index - 1; i >= 0; i--) {
    const cell = notebook.cells[i]!;
    if (cell.kind === 'data') return cell;
  }
  return undefined;
}

/**
 * True when a cell's request can use `{{variables}}`: its own text or body, the system, prompt
 * and assistant cells between it and its data cell, or a target's own system prompt.
 */
export function usesVariables(notebook: Notebook, cellId: string): boolean {
  const index = notebook.cells.findIndex((c) => c.id === cellId);
  const cell = notebook.cells[index];
  if (!cell) return false;
  if (cell.kind === 'native') return variablesIn(cell.body).length > 0;
  if (cell.kind !== 'prompt') return false;
  const texts: string[] = notebook.targets.map((t) => t.overrides?.system ?? '');
  for (let i = index; i >= 0; i--) {
    const above = notebook.cells[i]!;
    if (above.kind === 'data') break;
    if (above.kind === 'system' || above.kind === 'prompt' || above.kind === 'assistant') {
      texts.push(above.text);
    }
  }
  return texts.some((text) => variablesIn(text).length > 0);
}

/** What makes a cell a grid: its test cases, repeats and checks. */
export interface GridShape {
  /** The data cell whose rows are its test cases; none: one test case without variables. */
  data: DataCell | undefined;
  repeat: number;
  checks: readonly Check[];
}

/**
 * How a runnable cell runs as a grid, or undefined when it runs once per target as always: a
 * prompt cell with test cases (a data cell above and variables in its request), repeats or checks;
 * a native cell with test cases.
 */
export function gridShapeOf(notebook: Notebook, cellId: string): GridShape | undefined {
  const cell = notebook.cells.find((c) => c.id === cellId);
  if (cell?.kind !== 'prompt' && cell?.kind !== 'native') return undefined;
  const data = dataCellFor(notebook, cellId);
  const withData = data && usesVariables(notebook, cellId) ? data : undefined;
  const repeat = cell.kind === 'prompt' ? cell.repeat : 1;
  const checks = cell.kind === 'prompt' ? cell.checks : [];
  if (!withData && repeat === 1 && checks.length === 0) return undefined;
  return { data: withData, repeat, checks };
}

/** The calls of a grid, row by row, each repeat of a row, each target. */
export function gridKeys(rows: number, repeat: number, targets: readonly Target[]): GridKey[] {
  const keys: GridKey[] = [];
  for (let row = 0; row < rows; row++) {
    for (let r = 0; r < repeat; r++) {
      for (const target of targets) keys.push({ row, repeat: r, targetId: target.id });
    }
  }
  return keys;
}

/** How a grid call ended, read from its record. */
export type CallState = 'done' | 'failed' | 'stopped';

export function callState(record: RunRecord): CallState {
  if (record.error?.name === 'Stopped') return 'stopped';
  if (record.error || record.stopReason === null) return 'failed';
  return 'done';
}

/** True when a record is an answer to this row as it is now (same values). */
export function answersRow(record: RunRecord, variables: Variables): boolean {
  const recorded = record.grid?.variables ?? {};
  const names = Object.keys(variables);
  return (
    names.length === Object.keys(recorded).length &&
    names.every((name) => recorded[name] === variables[name])
  );
}

/** The checks of one grid answer, evaluated on its record. */
export function checkRecord(
  checks: readonly Check[],
  record: RunRecord,
  variables: Variables,
): CheckResult[] {
  if (callState(record) !== 'done') return [];
  return evaluateChecks(
    checks,
    {
      text: record.text,
      modelId: record.modelId,
      usage: record.usage,
      totalMs: record.metrics?.totalMs ?? null,
      grades: record.grades ?? [],
    },
    variables,
  );
}

/** The value below which `p` (0 to 1) of the values lie, interpolated; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** One column's figures, over the answers it has. */
export interface ColumnSummary {
  targetId: string;
  /** Calls with an answer or an error. */
  finished: number;
  failed: number;
  /** Answers whose checks all pass, of those with checks (null without checks). */
  passed: number | null;
  passRate: number | null;
  ttftP50: number | null;
  ttftP95: number | null;
  totalP50: number | null;
  totalP95: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Estimated dollars; null when no price is known for the model. */
  cost: number | null;
}

/** The summary of one column from its records (each with its row's values and check results). */
export function summarizeColumn(
  targetId: string,
  answers: readonly { record: RunRecord; checks: readonly CheckResult[] }[],
): ColumnSummary {
  const done = answers.filter((a) => callState(a.record) === 'done');
  const checked = answers.filter((a) => callState(a.record) !== 'done' || a.checks.length > 0);
  const anyChecks = answers.some((a) => a.checks.length > 0);
  const passed = anyChecks
    ? checked.filter((a) => a.checks.length > 0 && a.checks.every((c) => c.pass === true)).length
    : null;
  const ttft = done.flatMap((a) => a.record.metrics?.timeToFirstTokenMs ?? []);
  const total = done.flatMap((a) => a.record.metrics?.totalMs ?? []);
  let cost: number | null = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const { record } of answers) {
    if (!record.usage) continue;
    inputTokens += record.usage.inputTokens;
    outputTokens += record.usage.outputTokens;
    const usd = estimateCost(record.modelId, record.usage.inputTokens, record.usage.outputTokens);
    cost = usd === undefined || cost === null ? null : cost + usd;
  }
  return {
    targetId,
    finished: answers.length,
    failed: answers.length - done.length,
    passed,
    passRate: passed === null || !checked.length ? null : passed / checked.length,
    ttftP50: percentile(ttft, 0.5),
    ttftP95: percentile(ttft, 0.95),
    totalP50: percentile(total, 0.5),
    totalP95: percentile(total, 0.95),
    inputTokens,
    outputTokens,
    cost: answers.some((a) => a.record.usage) ? cost : null,
  };
}

/** The columns that stand out: the fastest (p50 total), the cheapest and the best-passing. */
export interface ColumnMarks {
  fastest: Set<string>;
  cheapest: Set<string>;
  best: Set<string>;
}

/** Which columns are best at what; a mark needs two columns to compare. */
export function markColumns(summaries: readonly ColumnSummary[]): ColumnMarks {
  const best = (value: (s: ColumnSummary) => number | null, highest: boolean): Set<string> => {
    const known = summaries.filter((s) => value(s) !== null);
    if (known.length < 2) return new Set();
    const values = known.map((s) => value(s)!);
    const target = highest ? Math.max(...values) : Math.min(...values);
    return new Set(known.filter((s) => value(s) === target).map((s) => s.targetId));
  };
  return {
    fastest: best((s) => s.totalP50, false),
    cheapest: best((s) => s.cost, false),
    best: best((s) => s.passRate, true),
  };
}

function words(text: string): Map<string, number> {
  const bag = new Map<string, number>();
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    bag.set(word, (bag.get(word) ?? 0) + 1);
  }
  return bag;
}

/** How alike two texts are, by the words they share (the Dice coefficient of their word bags). */
function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let size = 0;
  for (const [word, n] of a) {
    shared += Math.min(n, b.get(word) ?? 0);
    size += n;
  }
  for (const n of b.values()) size += n;
  return size === 0 ? 1 : (2 * shared) / size;
}

/**
 * How much a test case's repeated answers vary: identical, or their mean pairwise word overlap
 * (1 is the same words, 0 none in common).
 */
export function variation(
  texts: readonly string[],
): { identical: boolean; similarity: number } | null {
  if (texts.length < 2) return null;
  if (texts.every((t) => t === texts[0])) return { identical: true, similarity: 1 };
  const bags = texts.map(words);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < bags.length; i++) {
    for (let j = i + 1; j < bags.length; j++) {
      sum += overlap(bags[i]!, bags[j]!);
      pairs++;
    }
  }
  return { identical: false, similarity: sum / pairs };
}

/** Characters per token in an estimate of input tokens: English text averages about four. */
const CHARS_PER_TOKEN = 4;
/** The output assumed for an estimate when a column has no answers yet. */
export const ASSUMED_OUTPUT_TOKENS = 300;

/** The text a request sends, for estimating its input tokens. */
function requestChars(request: CompiledRequest): number {
  return request.api === 'converse'
    ? JSON.stringify([request.input.system ?? [], request.input.messages]).length
    : JSON.stringify(request.body).length;
}

/** What a grid run will cost before it starts: calls, and dollars where prices are known. */
export interface GridEstimate {
  calls: number;
  /** Calls to grading models (one per answer and model-graded check). */
  gradingCalls: number;
  /** Dollars for the calls with a known price. */
  cost: number;
  /** Models without a known price: their calls are not in `cost`. */
  unpriced: string[];
}

/**
 * Estimates a run's calls and cost: input tokens from the request's characters, output tokens from
 * `outputTokens(modelId)` (the column's average so far) or `maxTokens` or an assumed answer.
 */
export function estimateRun(
  calls: readonly { request: CompiledRequest; variables: Variables; count: number }[],
  checks: readonly Check[],
  outputTokens: (modelId: string) => number | undefined,
): GridEstimate {
  const unpriced = new Set<string>();
  let cost = 0;
  let total = 0;
  let gradingCalls = 0;
  const price = (modelId: string, input: number, output: number, count: number) => {
    const usd = estimateCost(modelId, input, output);
    if (usd === undefined) unpriced.add(modelId);
    else cost += usd * count;
  };
  for (const { request, variables, count } of calls) {
    total += count;
    const maxTokens =
      request.api === 'converse' ? request.input.inferenceConfig?.maxTokens : undefined;
    const output = Math.min(
      outputTokens(request.modelId) ?? ASSUMED_OUTPUT_TOKENS,
      maxTokens ?? Infinity,
    );
    price(request.modelId, Math.ceil(requestChars(request) / CHARS_PER_TOKEN), output, count);
    for (const { model, rubric } of rubricsOf(checks, variables)) {
      gradingCalls += count;
      const input = Math.ceil((rubric.length + output * CHARS_PER_TOKEN + 300) / CHARS_PER_TOKEN);
      price(model, input, 60, count);
    }
  }
  return { calls: total, gradingCalls, cost, unpriced: [...unpriced] };
}

/** A grid run as the server takes it: distinct requests, and the calls that send them. */
export interface GridPlan {
  /** One per test case and target; repeats send the same request. */
  requests: { targetId: string; row: number; request: CompiledRequest }[];
  calls: { request: number; repeat: number }[];
  /** The calls that cannot be sent, with why (a variable without a column, an empty prompt…). */
  problems: { key: GridKey; error: string }[];
}

/**
 * The requests and calls of the grid keys `keys`: each test case's request compiled once per
 * target (`compileRow` compiles a cell for a row and target, or throws why it cannot).
 */
export function planGrid(
  keys: readonly GridKey[],
  targets: readonly Target[],
  compileRow: (row: number, target: Target) => CompiledRequest,
): GridPlan {
  const plan: GridPlan = { requests: [], calls: [], problems: [] };
  const compiled = new Map<string, number | string>();
  for (const key of keys) {
    const target = targets.find((t) => t.id === key.targetId);
    if (!target) continue;
    const id = `${key.row}:${key.targetId}`;
    let index = compiled.get(id);
    if (index === undefined) {
      try {
        const request = compileRow(key.row, target);
        index = plan.requests.push({ targetId: target.id, row: key.row, request }) - 1;
      } catch (error) {
        index = error instanceof Error ? error.message : String(error);
      }
      compiled.set(id, index);
    }
    if (typeof index === 'string') plan.problems.push({ key, error: index });
    else plan.calls.push({ request: index, repeat: key.repeat });
  }
  return plan;
}
