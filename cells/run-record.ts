import { z } from 'zod';
import { GradeSchema } from './checks.ts';
import { RunFixSchema } from './events.ts';
import { ApiSchema } from './notebook.ts';
import type { Api } from './notebook.ts';
import { CompiledRequestSchema } from './request.ts';

/** Where a run sits in a grid: its test case and repeat, and which attempt at that call it was. */
export const GridPlaceSchema = z.object({
  /** The test case's row in the data, from 0. */
  row: z.number().int().nonnegative(),
  /** The test case's values, so an answer is never shown against a row that has changed. */
  variables: z.record(z.string(), z.string()),
  /** Which of the repeats, from 0. */
  repeat: z.number().int().nonnegative(),
  /** 1 for the first call; a retry after throttling is the next attempt, recorded too. */
  attempt: z.number().int().min(1),
});
export type GridPlace = z.infer<typeof GridPlaceSchema>;

/**
 * One run of one cell against one target, appended as a JSON line to a file beside the notebook
 * (run outputs stay out of the notebook source). Holds the exact request and what came back;
 * never credentials.
 */
export const RunRecordSchema = z.object({
  /** The notebook's name (its file name without `.md`). */
  notebook: z.string().min(1),
  cellId: z.string().min(1),
  targetId: z.string().min(1),
  modelId: z.string().min(1),
  api: ApiSchema,
  request: CompiledRequestSchema,
  /** The answer as streamed (possibly partial when `error` is set). */
  text: z.string(),
  /** The model's reasoning before the answer, when it showed any (extended thinking). */
  reasoning: z.string().optional(),
  stopReason: z.string().nullable(),
  usage: z
    .object({
      inputTokens: z.number().int().nonnegative(),
      outputTokens: z.number().int().nonnegative(),
    })
    .nullable(),
  metrics: z
    .object({
      timeToFirstTokenMs: z.number().nonnegative().nullable(),
      totalMs: z.number().nonnegative(),
      latencyMs: z.number().nonnegative().nullable(),
    })
    .nullable(),
  backend: z.enum(['aws', 'emulator']),
  region: z.string().min(1),
  /** ISO 8601 time the request was sent. */
  startedAt: z.iso.datetime({ offset: true }),
  error: z
    .object({
      name: z.string(),
      message: z.string(),
      hint: z.string().optional(),
      fix: RunFixSchema.optional(),
    })
    .optional(),
  /**
   * The images and documents the request sent, in order: each file's name, format, size and
   * SHA-256 digest (the request holds only references to the files; never the bytes).
   */
  attachments: z
    .array(
      z.object({
        file: z.string(),
        name: z.string(),
        format: z.string(),
        size: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    )
    .optional(),
  /** Set for a run of a grid (test cases, repeats): where in the grid it belongs. */
  grid: GridPlaceSchema.optional(),
  /** The verdicts of the cell's model-graded checks on this answer. */
  grades: z.array(GradeSchema).optional(),
});
/** A run record as stored in a notebook's JSON-lines run log. */
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** One record as a JSON line, newline included, ready to append. */
export function runRecordLine(record: RunRecord): string {
  return `${JSON.stringify(RunRecordSchema.parse(record))}\n`;
}

/**
 * Reads a JSON-lines run log. A line that is not a valid record (a torn write after a crash, a
 * hand edit) is skipped with a warning naming its line, so one bad line never loses the rest.
 * `firstLine` is the number of the text's first line, for a log read in slices.
 */
export function parseRunRecordLines(
  text: string,
  firstLine = 1,
): { records: RunRecord[]; warnings: string[] } {
  const records: RunRecord[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const index = firstLine - 1 + i;
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      warnings.push(`line ${index + 1}: not valid JSON (a torn write?); skipped`);
      return;
    }
    const result = RunRecordSchema.safeParse(value);
    if (result.success) {
      records.push(result.data);
    } else {
      const issue = result.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      warnings.push(`line ${index + 1}: not a run record (${where}${issue.message}); skipped`);
    }
  });
  return { records, warnings };
}

/**
 * What a run history is keyed by: the cell, the target, and what was actually called (its model id
 * and API). A target switched to another model starts a new history, so "Run 2 of 2" never
 * compares two models. Later parts of a key (a test-case row, a repeat) are added as fields here.
 */
export interface RunKey {
  cellId: string;
  targetId: string;
  modelId: string;
  api: Api;
  /** A grid run's test case (row from 0) and repeat; absent for a cell without test cases. */
  row?: number;
  repeat?: number;
}

/** The key of a run record's history. */
export function runKeyOf(
  record: Pick<RunRecord, 'cellId' | 'targetId' | 'modelId' | 'api'> & { grid?: GridPlace },
): RunKey {
  const key: RunKey = {
    cellId: record.cellId,
    targetId: record.targetId,
    modelId: record.modelId,
    api: record.api,
  };
  if (record.grid) {
    key.row = record.grid.row;
    key.repeat = record.grid.repeat;
  }
  return key;
}

/** A key as one string, for maps: equal keys give equal strings. */
export function runKeyId(key: RunKey): string {
  const base = [key.cellId, key.targetId, key.modelId, key.api];
  return JSON.stringify(key.row === undefined ? base : [...base, key.row, key.repeat ?? 0]);
}
