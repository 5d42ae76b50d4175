/** The page's side of a run: posting it and reading its events as they stream. */
import { RunEventSchema } from '../cells/events.ts';
import type { RunEvent } from '../cells/events.ts';
import { describeZodError } from '../cells/notebook.ts';
import type { Target } from '../cells/notebook.ts';
import type { CompiledRequest } from '../cells/request.ts';
import { errorFrom, whenSignedIn, xsrfHeader } from './api.ts';

/** Which notebook cell and target a run belongs to, so the server records it in the run log. */
export interface RunRecordRef {
  notebook: string;
  cellId: string;
  targetId: string;
}

/**
 * The lines of a JSON-lines answer as they arrive, without their newlines; a last line that
 * never got its newline (the answer was cut) comes with `complete: false`.
 */
export async function* ndjsonLines(
  body: NonNullable<Response['body']>,
): AsyncGenerator<{ line: string; complete: boolean }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      yield { line: buffered.slice(0, newline), complete: true };
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  if (buffered) yield { line: buffered, complete: false };
}

/** Posts JSON to a route that answers a stream of JSON lines; throws what the server refused. */
export async function postNdjson(
  path: string,
  body: unknown,
  signal: AbortSignal,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  await whenSignedIn();
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/x-ndjson',
      ...xsrfHeader(),
    },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok || !response.body) throw await errorFrom(response);
  return response as Response & { body: ReadableStream<Uint8Array> };
}

/** The message of a stream that ended with neither a stop reason nor an error. */
export const CUT_MESSAGE =
  'The answer ended without a stop reason: the connection was probably cut.';
export const CUT_HINT = 'The text so far is kept; run the cell again for a complete answer.';

/** How much of a line that is not a run event an error quotes. */
const QUOTED_CHARS = 200;

/** The error event that stands for a line of the stream that is not a valid run event. */
function unexpectedEvent(line: string, problem: string): RunEvent {
  const quoted = line.length > QUOTED_CHARS ? `${line.slice(0, QUOTED_CHARS)}…` : line;
  return {
    type: 'error',
    name: 'UnexpectedEvent',
    message: `Unexpected event from the server: ${problem}\n${quoted}`,
    hint: 'The page and the server may be of different versions: reload the page, or restart the server.',
  };
}

/**
 * Sends one compiled request and calls `onEvent` for each NDJSON line as it arrives (with `record`,
 * the server appends the run to that notebook's run log when the stream ends). A line that is not
 * a valid run event arrives as an `UnexpectedEvent` error, and a stream that ends with neither a
 * stop reason nor an error (a connection cut) ends with a `StreamCut` error: every answer that
 * resolves has ended in a `stop` or an `error`. With `wire`, Bedrock's events come too, as `raw`
 * events. Rejects with an AbortError when `signal` aborts
 * (the server then aborts the Bedrock call), or with an ApiError when the server refuses the
 * request.
 */
export async function runRequest(
  target: Pick<Target, 'modelId' | 'api'>,
  request: CompiledRequest,
  onEvent: (event: RunEvent) => void,
  signal: AbortSignal,
  record?: RunRecordRef,
  wire = false,
): Promise<void> {
  const response = await postNdjson(
    '/api/run',
    {
      target: { modelId: target.modelId, api: target.api },
      request,
      ...(record ? { record } : {}),
      ...(wire ? { wire } : {}),
    },
    signal,
  );
  let ended = false;
  const emit = (line: string, complete: boolean): void => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      // A last line without its newline was cut mid-way: the missing stop reason says so.
      if (complete) onEvent(unexpectedEvent(line, `not JSON (${(error as Error).message})`));
      return;
    }
    const parsed = RunEventSchema.safeParse(json);
    if (!parsed.success) {
      onEvent(unexpectedEvent(line, describeZodError(parsed.error).replace(/\n/g, '; ')));
      return;
    }
    if (parsed.data.type === 'stop' || parsed.data.type === 'error') ended = true;
    onEvent(parsed.data);
  };
  for await (const { line, complete } of ndjsonLines(response.body)) emit(line, complete);
  signal.throwIfAborted();
  if (!ended) onEvent({ type: 'error', name: 'StreamCut', message: CUT_MESSAGE, hint: CUT_HINT });
}
