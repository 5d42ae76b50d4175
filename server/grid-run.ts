import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import {
  CheckSchema,
  gradingRequest,
  MAX_CHECKS,
  readVerdict,
  rubricsOf,
} from '../cells/checks.ts';
import type { Grade } from '../cells/checks.ts';
import { DATA_LIMITS } from '../cells/data.ts';
import type { GridEvent } from '../cells/grid-events.ts';
import { describeZodError } from '../cells/notebook.ts';
import { CompiledRequestSchema } from '../cells/request.ts';
import type { CompiledRequest } from '../cells/request.ts';
import type { RunRecord } from '../cells/run-record.ts';
import type { SentAttachment } from './attachments.ts';
import type { LiveBackend } from './backend.ts';
import { HttpError } from './http.ts';
import { callRecord, checkModelIds, runOnce, startNdjson, writeLine } from './run.ts';
import type { RunOutcome } from './run.ts';

/**
 * A grid run: many calls of one cell (test cases × repeats × targets), made by the server so that
 * the page only shows results. At most `concurrency` calls per model are in flight; a call that
 * Bedrock throttles is retried after a growing, jittered wait, and every attempt is recorded.
 * Leaving (the browser's Stop) aborts the calls in flight and starts no more: what finished stays
 * recorded.
 */

/** The most calls one grid run may make. */
export const MAX_GRID_CALLS = 10_000;
/** How many attempts a throttled call gets, the first included. */
export const MAX_ATTEMPTS = 5;
/** The first retry's wait; each next one doubles, up to `MAX_BACKOFF_MS`, with jitter. */
export const FIRST_BACKOFF_MS = 400;
const MAX_BACKOFF_MS = 20_000;
/** A call that ended after the page stopped the grid. */
const LEFT = {
  name: 'Stopped',
  message: 'The grid was stopped before this answer reached the page.',
};
/** Errors worth waiting out: Bedrock's 429s. */
const RETRYABLE = new Set(['ThrottlingException', 'ModelNotReadyException']);

const Vars = z.record(z.string(), z.string());

export const GridRequestSchema = z.object({
  /** The notebook to record the runs in. */
  notebook: z.string().optional(),
  cellId: z.string().min(1),
  /** The test cases, by row. */
  rows: z.array(Vars).min(1).max(DATA_LIMITS.rows),
  /** The distinct requests: one per test case and target (repeats share one). */
  requests: z
    .array(
      z.object({
        targetId: z.string().min(1),
        row: z.number().int().nonnegative(),
        request: CompiledRequestSchema,
      }),
    )
    .min(1)
    .max(MAX_GRID_CALLS),
  /** The calls to make, in order: a request (by index) and which repeat it is. */
  calls: z
    .array(
      z.object({ request: z.number().int().nonnegative(), repeat: z.number().int().nonnegative() }),
    )
    .min(1)
    .max(MAX_GRID_CALLS),
  /** The cell's checks: its model-graded ones are graded here, after each answer. */
  checks: z.array(CheckSchema).max(MAX_CHECKS).default([]),
  /** Calls in flight per model. */
  concurrency: z.number().int().min(1).max(16).default(4),
});
export type GridRequest = z.infer<typeof GridRequestSchema>;

export function parseGridRequest(value: unknown): GridRequest {
  const parsed = GridRequestSchema.safeParse(value);
  if (!parsed.success) {
    throw new HttpError(`Invalid grid run:\n${describeZodError(parsed.error)}`, 400);
  }
  const grid = parsed.data;
  grid.requests.forEach(({ request, row }, i) => {
    if (row >= grid.rows.length) {
      throw new HttpError(
        `requests.${i}.row: there is no row ${row} (${grid.rows.length} rows)`,
        400,
      );
    }
    checkModelIds(request);
  });
  grid.calls.forEach((call, i) => {
    if (call.request >= grid.requests.length) {
      throw new HttpError(`calls.${i}.request: there is no request ${call.request}`, 400);
    }
  });
  return grid;
}

/** A slot limit per model: at most `size` holders at once, the others wait in order. */
class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async take(): Promise<void> {
    if (this.busy < this.size) {
      this.busy++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }
}

/** A request as it is sent, and the attachments its record names. */
export interface Prepared {
  send: CompiledRequest;
  sent: SentAttachment[];
}

/**
 * Records one attempt (in the notebook's run log, when the grid has a notebook) and gives the
 * record as it was written.
 */
export type Recorder = (record: Omit<RunRecord, 'notebook'>) => Promise<RunRecord>;

/** The wait before attempt `attempt + 1`: doubling from the first, half of it random. */
export function backoffMs(attempt: number, random = Math.random): number {
  const ceiling = Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Runs a grid and streams its events as NDJSON; resolves when every call has ended. */
export async function streamGrid(
  grid: GridRequest,
  backend: LiveBackend,
  res: ServerResponse,
  signal: AbortSignal,
  record: Recorder,
  idleTimeoutMs?: number,
  /** Each of `grid.requests` as sent (its files' bytes put in) and its attachments, by index. */
  prepared: readonly Prepared[] = grid.requests.map(({ request }) => ({ send: request, sent: [] })),
): Promise<void> {
  startNdjson(res);
  const emit = (event: GridEvent) => writeLine(res, event);
  emit({ type: 'start', total: grid.calls.length });
  const slots = new Map<string, Slots>();
  const slotsOf = (modelId: string) => {
    let s = slots.get(modelId);
    if (!s) slots.set(modelId, (s = new Slots(grid.concurrency)));
    return s;
  };
  const quiet = () => {};
  const call = (request: CompiledRequest) =>
    runOnce(request, backend, signal, quiet, idleTimeoutMs);

  /** Makes one call, retrying throttling: each attempt is recorded, the last one is the result. */
  const runCall = async (index: number): Promise<boolean> => {
    const { request: which, repeat } = grid.calls[index]!;
    const { targetId, row, request } = grid.requests[which]!;
    const variables = grid.rows[row]!;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return false;
      const slot = slotsOf(request.modelId);
      await slot.take();
      let outcome: RunOutcome;
      let grades: Grade[] | undefined;
      try {
        if (signal.aborted) return false;
        emit({ type: 'call', call: index, attempt });
        outcome = await call(prepared[which]!.send);
      } finally {
        slot.give();
      }
      // The page has left (Stop) and never sees an answer that ends now: it is recorded as
      // stopped, its text kept, so the log agrees with the page and a re-run repeats nothing.
      if (signal.aborted && !outcome.error) {
        outcome = { ...outcome, stopReason: null, error: LEFT };
      }
      // Graded after the answer's slot is given back: the grader may be the same model.
      if (!outcome.error && outcome.stopReason !== null) {
        grades = await grade(grid, variables, outcome.text, call, slotsOf, signal);
      }
      const result: Omit<RunRecord, 'notebook'> = {
        cellId: grid.cellId,
        targetId,
        ...callRecord(request, backend, outcome),
        ...(prepared[which]!.sent.length ? { attachments: prepared[which]!.sent } : {}),
        grid: { row, variables, repeat, attempt },
        ...(grades?.length ? { grades } : {}),
      };
      const recorded = await record(result);
      const name = outcome.error?.name ?? '';
      if (RETRYABLE.has(name) && attempt < MAX_ATTEMPTS && !signal.aborted) {
        const waitMs = backoffMs(attempt);
        emit({
          type: 'retry',
          call: index,
          attempt,
          waitMs,
          error: { name, message: outcome.error!.message },
        });
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
        continue;
      }
      if (name === 'Stopped') return false;
      emit({ type: 'result', call: index, record: recorded });
      return true;
    }
  };

  // One queue per model, so a slow or throttled model never holds up another's calls.
  const queues = new Map<string, number[]>();
  grid.calls.forEach((c, i) => {
    const modelId = grid.requests[c.request]!.request.modelId;
    const queue = queues.get(modelId);
    if (queue) queue.push(i);
    else queues.set(modelId, [i]);
  });
  let finished = 0;
  await Promise.all(
    [...queues.values()].flatMap((queue) =>
      Array.from({ length: Math.min(grid.concurrency, queue.length) }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          if (signal.aborted) return;
          if (await runCall(next)) finished++;
        }
      }),
    ),
  );
  emit({ type: 'end', stopped: signal.aborted, finished });
  res.end();
}

/** Asks each model-graded check's grader for its verdict on an answer, through Converse. */
async function grade(
  grid: GridRequest,
  variables: Record<string, string>,
  answer: string,
  call: (request: CompiledRequest) => Promise<RunOutcome>,
  slotsOf: (modelId: string) => Slots,
  signal: AbortSignal,
): Promise<Grade[]> {
  const grades: Grade[] = [];
  for (const { key, model, rubric } of rubricsOf(grid.checks, variables)) {
    const input = gradingRequest(model, rubric, answer);
    let outcome: RunOutcome | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && !signal.aborted; attempt++) {
      const slot = slotsOf(model);
      await slot.take();
      try {
        outcome = await call({ api: 'converse', modelId: model, input });
      } finally {
        slot.give();
      }
      if (!RETRYABLE.has(outcome.error?.name ?? '')) break;
      await sleep(backoffMs(attempt), undefined, { signal }).catch(() => undefined);
    }
    if (!outcome || signal.aborted) break;
    const verdict = readVerdict(outcome.text);
    grades.push({
      key,
      ...verdict,
      reply: outcome.text,
      usage: outcome.usage,
      ...(outcome.error
        ? { error: { name: outcome.error.name, message: outcome.error.message } }
        : {}),
    });
  }
  return grades;
}
