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
import type { WireRecorder } from './wire-log.ts';

/** What the browser posts to `/api/run`: the compiled request for one target. */
export const RunRequestSchema = z.object({
  target: z.object({ modelId: z.string().min(1), api: z.enum(['converse', 'invoke']) }),
  request: CompiledRequestSchema,
  /**
   * Also stream Bedrock's events, as `raw` lines (the page asks while its wire view is open).
   * Otherwise they are only kept on the server, for `GET /api/run/ID/wire`.
   */
  wire: z.boolean().optional(),
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

/** What a call gives its run record: what was called, where, and what came back. */
export function callRecord(request: CompiledRequest, backend: LiveBackend, outcome: RunOutcome) {
  return {
    modelId: request.modelId,
    api: request.api,
    request,
    backend: backend.kind,
    region: backend.region,
    ...outcome,
  };
}

/** How long a stream may go without an event before it is ended with `StreamTimeout`. */
export const DEFAULT_STREAM_TIMEOUT_MS = 60_000;

/** Where Bedrock's events of a run go besides the normalized ones. */
export interface WireOptions {
  /** Keeps them for the wire view to fetch; the `start` event names the run it keeps. */
  recorder?: WireRecorder;
  /** Streams each one as a `raw` line too. */
  live?: boolean;
}

/**
 * Streams one run as newline-delimited JSON, one normalized event per line, written as soon as it
 * arrives (the lines of one turn of the event loop in one write). Closing the response (the
 * browser aborting its fetch) aborts the Bedrock call.
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
  wire: WireOptions = {},
): Promise<void> {
  // The `start` line leaves with the headers, so the page knows at once that the run started.
  startNdjson(res, false);
  const { emit, flush } = batchedLines(res);
  const outcome = await runOnce(
    request,
    backend,
    signal,
    (event) => {
      emit(event);
      if (event.type === 'start') flush();
    },
    idleTimeoutMs,
    wire,
  );
  await finish(outcome);
  flush();
  res.end();
}

/** Starts a newline-delimited JSON answer; its headers are sent at once unless told otherwise. */
export function startNdjson(res: ServerResponse, flushHeaders = true): void {
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (flushHeaders) res.flushHeaders();
}

/**
 * JSON lines that arrive together (a network read often carries several events) leave in one
 * write: a write per event costs a system call and a chunk for the browser to read, each.
 */
function batchedLines(res: ServerResponse) {
  let lines = '';
  const flush = () => {
    if (lines && !res.writableEnded && !res.destroyed) res.write(lines);
    lines = '';
  };
  const emit = (event: RunEvent) => {
    if (!lines) setImmediate(flush);
    lines += `${JSON.stringify(event)}\n`;
  };
  return { emit, flush };
}

/** Writes one JSON line, unless the answer has ended (the browser left). */
export function writeLine(res: ServerResponse, value: unknown): void {
  if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(value)}\n`);
}

/**
 * Makes one Bedrock call and hands each normalized event to `emit` as it arrives (`start` first,
 * `metrics` last); resolves to what the run produced, for its record. Never throws: a failed or
 * stopped call is an outcome with its `error`.
 */
export async function runOnce(
  request: CompiledRequest,
  backend: LiveBackend,
  /** Aborted when whoever asked for the run leaves; aborts the Bedrock call. */
  signal: AbortSignal,
  emit: (event: RunEvent) => void,
  idleTimeoutMs = DEFAULT_STREAM_TIMEOUT_MS,
  { recorder, live = false }: WireOptions = {},
): Promise<RunOutcome> {
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
  const received = (event: unknown) => {
    recorder?.push(event);
    if (live) emit({ type: 'raw', event });
  };

  // The call is aborted when the browser leaves or when Bedrock stalls (one controller for both:
  // cheaper than AbortSignal.any). A stalled upstream would otherwise be waited on for ever:
  // every event restarts the clock, by a time stamp that the one timer checks when it fires.
  const call = new AbortController();
  let timedOut = false;
  let lastEvent = performance.now();
  const alive = () => void (lastEvent = performance.now());
  const check = () => {
    const quiet = performance.now() - lastEvent;
    if (quiet >= idleTimeoutMs) {
      timedOut = true;
      call.abort();
    } else timer = setTimeout(check, idleTimeoutMs - quiet);
  };
  let timer = setTimeout(check, idleTimeoutMs);
  const leave = () => call.abort();
  signal.addEventListener('abort', leave, { once: true });
  const abortSignal = call.signal;

  emit({
    type: 'start',
    modelId: request.modelId,
    api: request.api,
    ...(recorder ? { runId: recorder.runId } : {}),
  });
  try {
    signal.throwIfAborted(); // the browser left before the call was made
    if (request.api === 'converse') {
      // The zod schema is a strict subset of the SDK's input (its extras are JSON documents).
      const input = request.input as ConverseStreamCommandInput;
      const output = await backend.client.send(new ConverseStreamCommand(input), { abortSignal });
      for await (const event of output.stream ?? []) {
        alive();
        received(event);
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
        received({ chunk });
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
      const { name, message } = timedOut
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
    signal.removeEventListener('abort', leave);
    recorder?.end();
  }
  // An aborted call's stream may simply end, without an error: it is still a stopped run.
  if (signal.aborted && outcome.stopReason === null) outcome.error ??= STOPPED;
  const metrics = {
    timeToFirstTokenMs: firstText === null ? null : round(firstText - started),
    totalMs: round(performance.now() - started),
    latencyMs,
  };
  emit({ type: 'metrics', ...metrics });
  return { ...outcome, metrics, startedAt };
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
