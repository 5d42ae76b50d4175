import {
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
  type ConverseStreamCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { converseStreamEventToRunEvents, serviceLatencyMs } from '../cells/converse-events.ts';
import type { RunEvent, RunFix } from '../cells/events.ts';
import { readerFor } from '../cells/models/index.ts';
import type { StreamState } from '../cells/models/types.ts';
import { describeZodError } from '../cells/notebook.ts';
import { CompiledRequestSchema, type CompiledRequest } from '../cells/request.ts';
import type { LiveBackend } from './backend.ts';
import { adviceFor } from './hints.ts';
import { HttpError, readJson } from './http.ts';

/** What the browser posts to `/api/run`: the compiled request for one target. */
export const RunRequestSchema = z.object({
  target: z.object({ modelId: z.string().min(1), api: z.enum(['converse', 'invoke']) }),
  request: CompiledRequestSchema,
  /** Where to record the run: the server appends a run record when the stream ends. */
  record: z
    .object({ notebook: z.string(), cellId: z.string().min(1), targetId: z.string().min(1) })
    .optional(),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;

/** What a run produced, for its run record. */
export interface RunOutcome {
  text: string;
  /** The model's reasoning, when it showed any. */
  reasoning?: string;
  stopReason: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  metrics: { timeToFirstTokenMs: number | null; totalMs: number; latencyMs: number | null };
  error?: { name: string; message: string; hint?: string; fix?: RunFix };
  startedAt: string;
}

export async function parseRunRequest(req: IncomingMessage): Promise<RunRequest> {
  const parsed = RunRequestSchema.safeParse(await readJson(req));
  if (!parsed.success) {
    throw new HttpError(`Invalid run request:\n${describeZodError(parsed.error)}`, 400);
  }
  const { target, request } = parsed.data;
  if (target.api !== request.api || target.modelId !== request.modelId) {
    throw new HttpError(
      `The request (${request.api} ${request.modelId}) does not match the target (${target.api} ${target.modelId}).`,
      400,
    );
  }
  checkModelIds(request);
  return parsed.data;
}

/**
 * The model a run is recorded under is the model called: a Converse input names its model
 * again, and the two must agree (the SDK would send the inner one).
 */
export function checkModelIds(request: CompiledRequest, recorded = request.modelId): void {
  const inner = request.api === 'converse' ? request.input.modelId : request.modelId;
  if (inner !== request.modelId || recorded !== request.modelId) {
    throw new HttpError(
      `The model ids differ: request.modelId is "${request.modelId}", request.input.modelId "${inner}"${recorded === request.modelId ? '' : `, the record's modelId "${recorded}"`}. A run is recorded under the model it calls, so they must be the same.`,
      400,
    );
  }
}

/** How long a stream may go without an event before it is ended with `StreamTimeout`. */
export const DEFAULT_STREAM_TIMEOUT_MS = 60_000;

/**
 * Streams one run as newline-delimited JSON, one normalized event per line, written as soon as it
 * arrives. Closing the response (the browser aborting its fetch) aborts the Bedrock call.
 */
export async function streamRun(
  request: CompiledRequest,
  backend: LiveBackend,
  res: ServerResponse,
  /** Aborted when the browser closes the request; aborts the Bedrock call. */
  signal: AbortSignal,
  /** Runs after the last event and before the response ends (to record the run). */
  finish: (outcome: RunOutcome) => Promise<void> = async () => {},
  /** How long Bedrock may send nothing (before the answer or within it) before the call is aborted. */
  idleTimeoutMs = DEFAULT_STREAM_TIMEOUT_MS,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.flushHeaders();
  const emit = (event: RunEvent) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(event)}\n`);
  };

  const startedAt = new Date().toISOString();
  const started = performance.now();
  let firstText: number | null = null;
  let latencyMs: number | null = null;
  const outcome: Omit<RunOutcome, 'metrics' | 'startedAt'> = {
    text: '',
    stopReason: null,
    usage: null,
  };
  const forward = (event: RunEvent) => {
    // Reasoning is the model's first output: the first token, whichever kind it is.
    if (event.type === 'text' || event.type === 'reasoning') firstText ??= performance.now();
    if (event.type === 'text') outcome.text += event.text;
    if (event.type === 'reasoning') outcome.reasoning = (outcome.reasoning ?? '') + event.text;
    if (event.type === 'stop') outcome.stopReason = event.reason;
    if (event.type === 'usage')
      outcome.usage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
    emit(event);
  };

  // A stalled upstream would otherwise be waited on for ever: every event restarts the clock.
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), idleTimeoutMs);
  };
  const abortSignal = AbortSignal.any([signal, idle.signal]);

  emit({ type: 'start', modelId: request.modelId, api: request.api });
  alive();
  try {
    signal.throwIfAborted(); // the browser left before the call was made
    if (request.api === 'converse') {
      // The zod schema is a strict subset of the SDK's input (its extras are JSON documents).
      const input = request.input as ConverseStreamCommandInput;
      const output = await backend.client.send(new ConverseStreamCommand(input), { abortSignal });
      for await (const event of output.stream ?? []) {
        alive();
        emit({ type: 'raw', event });
        latencyMs = serviceLatencyMs(event) ?? latencyMs;
        converseStreamEventToRunEvents(event).forEach(forward);
      }
    } else {
      const reader = readerFor(request.modelId);
      const state: StreamState = {};
      const output = await backend.client.send(
        new InvokeModelWithResponseStreamCommand({
          modelId: request.modelId,
          body: JSON.stringify(request.body),
          contentType: 'application/json',
          accept: 'application/json',
        }),
        { abortSignal },
      );
      for await (const event of output.body ?? []) {
        alive();
        if (!event.chunk?.bytes) continue;
        const chunk = JSON.parse(new TextDecoder().decode(event.chunk.bytes)) as unknown;
        emit({ type: 'raw', event: { chunk } });
        latencyMs = serviceLatencyMs(chunk) ?? latencyMs;
        reader.parseStreamChunk(chunk, state).forEach(forward);
      }
    }
    // An aborted call may end the SDK's stream quietly rather than throw.
    abortSignal.throwIfAborted();
  } catch (error) {
    if (signal.aborted) {
      outcome.error = STOPPED;
    } else {
      const { name, message } = idle.signal.aborted
        ? {
            name: 'StreamTimeout',
            message: `Bedrock sent nothing for ${idleTimeoutMs / 1000} s, so the call was aborted.`,
          }
        : describeError(error);
      const { hint, fix } = adviceFor(name, message, {
        modelId: request.modelId,
        region: backend.region,
        backend: backend.kind,
        profile: backend.profile,
        catalog: backend.catalog.peek(),
      });
      outcome.error = { name, message, hint, ...(fix ? { fix } : {}) };
      emit({ type: 'error', name, message, hint, ...(fix ? { fix } : {}) });
    }
  } finally {
    clearTimeout(timer);
  }
  // An aborted call's stream may simply end, without an error: it is still a stopped run.
  if (signal.aborted && outcome.stopReason === null) outcome.error ??= STOPPED;
  const metrics = {
    timeToFirstTokenMs: firstText === null ? null : round(firstText - started),
    totalMs: round(performance.now() - started),
    latencyMs,
  };
  emit({ type: 'metrics', ...metrics });
  await finish({ ...outcome, metrics, startedAt });
  res.end();
}

/** The error a run record carries when the browser stopped the run before it ended. */
const STOPPED = { name: 'Stopped', message: 'Stopped before the answer was complete.' };

/** Codes of a connection that never carried the request: nothing was sent, nothing is owed. */
const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNABORTED)$/;
/** Codes of a connection that broke while the answer was on its way. */
const CUT =
  /^(ECONNRESET|EPIPE|ERR_HTTP2_STREAM_ERROR|ERR_HTTP2_STREAM_CANCEL|ERR_STREAM_PREMATURE_CLOSE)$/;

/**
 * The SDK's service exceptions carry their name. A network failure is an Error with a code,
 * often wrapped: the HTTP/2 handler reports a refused connection as a cancelled stream whose
 * `cause` is the ECONNREFUSED, so the whole cause chain is read, root cause first.
 */
function describeError(error: unknown): { name: string; message: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const chain: Error[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
  const codeOf = (e: Error) => {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? code : '';
  };
  const unreachable = chain.find((e) => UNREACHABLE.test(codeOf(e)));
  if (unreachable) return { name: 'NetworkError', message: unreachable.message };
  const cut = chain.map(codeOf).find((code) => CUT.test(code));
  if (cut) return { name: 'StreamCut', message: `The connection closed mid-answer (${cut}).` };
  return { name: error.name, message: error.message };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
