import { z } from 'zod';
import { RunFixSchema } from './events.ts';
import { ApiSchema } from './notebook.ts';
import type { Api } from './notebook.ts';
import { CompiledRequestSchema } from './request.ts';

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
}

/** The key of a run record's history. */
export function runKeyOf(record: Pick<RunRecord, keyof RunKey>): RunKey {
  return {
    cellId: record.cellId,
    targetId: record.targetId,
    modelId: record.modelId,
    api: record.api,
  };
}

/** A key as one string, for maps: equal keys give equal strings. */
export function runKeyId(key: RunKey): string {
  return JSON.stringify([key.cellId, key.targetId, key.modelId, key.api]);
}
