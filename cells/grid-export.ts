import Papa from 'papaparse';
import type { CheckResult } from './checks.ts';
import { callState } from './grid.ts';
import { estimateCost } from './models/catalog.ts';
import type { Target } from './notebook.ts';
import type { RunRecord } from './run-record.ts';
import type { Variables } from './variables.ts';

/**
 * A grid's answers as downloads: CSV for a spreadsheet and JSON lines for a script, one line per
 * call with its test case's variables, target, text, figures and checks.
 */

/** One answered call of the grid. */
export interface GridLine {
  row: number;
  repeat: number;
  target: Pick<Target, 'id' | 'label' | 'modelId' | 'api'>;
  variables: Variables;
  record: RunRecord;
  checks: readonly CheckResult[];
}

function costOf(record: RunRecord): number | null {
  if (!record.usage) return null;
  return estimateCost(record.modelId, record.usage.inputTokens, record.usage.outputTokens) ?? null;
}

function passedAll(checks: readonly CheckResult[]): boolean | null {
  return checks.length ? checks.every((c) => c.pass === true) : null;
}

/** One JSON object per call, one per line. */
export function gridJsonLines(lines: readonly GridLine[]): string {
  return lines
    .map(({ row, repeat, target, variables, record, checks }) =>
      JSON.stringify({
        row: row + 1,
        repeat: repeat + 1,
        target: { id: target.id, label: target.label, modelId: record.modelId, api: record.api },
        variables,
        state: callState(record),
        text: record.text,
        error: record.error ?? null,
        stopReason: record.stopReason,
        usage: record.usage,
        metrics: record.metrics,
        costUsd: costOf(record),
        attempt: record.grid?.attempt ?? 1,
        checks: checks.map((c) => ({ check: c.label, pass: c.pass, reason: c.reason })),
        passed: passedAll(checks),
        startedAt: record.startedAt,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

const verdict = (pass: boolean | null | undefined) =>
  pass === true ? 'pass' : pass === false ? 'fail' : '';

/**
 * The calls as CSV: a header, then one row per call. Variables are headed `{{name}}`, so they
 * never clash with the fixed columns; each check has a column of pass or fail. Values that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are quoted as text.
 */
export function gridCsv(
  lines: readonly GridLine[],
  columns: readonly string[],
  checkLabels: readonly string[],
): string {
  const header = [
    'row',
    'repeat',
    'target',
    'modelId',
    'api',
    ...columns.map((c) => `{{${c}}}`),
    'state',
    'text',
    'error',
    'stopReason',
    'inputTokens',
    'outputTokens',
    'timeToFirstTokenMs',
    'totalMs',
    'costUsd',
    'attempt',
    ...checkLabels,
    'passed',
  ];
  const rows = lines.map(({ row, repeat, target, variables, record, checks }) => [
    row + 1,
    repeat + 1,
    target.label,
    record.modelId,
    record.api,
    ...columns.map((c) => variables[c] ?? ''),
    callState(record),
    record.text,
    record.error ? `${record.error.name}: ${record.error.message}` : '',
    record.stopReason ?? '',
    record.usage?.inputTokens ?? '',
    record.usage?.outputTokens ?? '',
    record.metrics?.timeToFirstTokenMs ?? '',
    record.metrics?.totalMs ?? '',
    costOf(record) ?? '',
    record.grid?.attempt ?? 1,
    ...checkLabels.map((label) => verdict(checks.find((c) => c.label === label)?.pass)),
    verdict(passedAll(checks)),
  ]);
  return `${Papa.unparse([header, ...rows], { newline: '\r\n', escapeFormulae: true })}\r\n`;
}
