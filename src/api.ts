import { z } from 'zod';
import { ApiSchema, toNotebook } from '../cells/notebook.ts';
import type { Notebook, Target } from '../cells/notebook.ts';
import type { CompiledRequest } from '../cells/request.ts';
import { RunEventSchema } from '../cells/events.ts';
import type { RunEvent } from '../cells/events.ts';

/**
 * The browser's side of the local server's HTTP API. Every response is parsed at this boundary,
 * so the elements only ever see well-formed values.
 */

export const StatusSchema = z.object({
  backend: z.enum(['aws', 'emulator']),
  region: z.string(),
  profile: z.string().nullable(),
  synthetic: z.boolean(),
});
/** Which backend the server talks to; shown in the status bar at all times. */
export type Status = z.infer<typeof StatusSchema>;

export const ModelInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  family: z.string(),
  apis: z.array(ApiSchema).min(1),
  maxOutputTokens: z.number().optional(),
  contextWindow: z.number().optional(),
  price: z.object({ inputPer1k: z.number(), outputPer1k: z.number() }).optional(),
});
/** A model the targets bar offers, as `GET /api/models` lists it. */
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

const ModelsSchema = z.object({ models: z.array(ModelInfoSchema) });
const NotebookListSchema = z.object({
  notebooks: z.array(z.object({ name: z.string(), title: z.string() })),
});
/** One notebook the server can open. */
export type NotebookEntry = z.infer<typeof NotebookListSchema>['notebooks'][number];
const NotebookFileSchema = z.object({ name: z.string(), text: z.string(), notebook: z.unknown() });

/** A failure of the API itself (not of a model run), with what the server said about it. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly hint = '',
  ) {
    super(message);
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = text || response.statusText || `HTTP ${response.status}`;
  let hint = '';
  try {
    const body = z
      .object({
        error: z
          .union([
            z.string(),
            z.object({ message: z.string().optional(), hint: z.string().optional() }),
          ])
          .optional(),
        message: z.string().optional(),
        hint: z.string().optional(),
      })
      .parse(JSON.parse(text));
    const error = body.error;
    if (typeof error === 'string') message = error;
    else if (error?.message) message = error.message;
    else if (body.message) message = body.message;
    hint = (typeof error === 'object' ? error.hint : undefined) ?? body.hint ?? '';
  } catch {
    // Not JSON: the text itself is the message.
  }
  return new ApiError(message, response.status, hint);
}

async function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    signal: signal ?? null,
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw await errorFrom(response);
  return schema.parse(await response.json());
}

export function getStatus(signal?: AbortSignal): Promise<Status> {
  return getJson('/api/status', StatusSchema, signal);
}

export async function getModels(signal?: AbortSignal): Promise<ModelInfo[]> {
  return (await getJson('/api/models', ModelsSchema, signal)).models;
}

export async function listNotebooks(signal?: AbortSignal): Promise<NotebookEntry[]> {
  return (await getJson('/api/notebooks', NotebookListSchema, signal)).notebooks;
}

/** Opens a stored notebook; throws a ZodError naming the field if the notebook is invalid. */
export async function getNotebook(
  name: string,
  signal?: AbortSignal,
): Promise<{ name: string; notebook: Notebook }> {
  const file = await getJson(
    `/api/notebooks/${encodeURIComponent(name)}`,
    NotebookFileSchema,
    signal,
  );
  return { name: file.name, notebook: toNotebook(file.notebook) };
}

/**
 * Sends one compiled request and calls `onEvent` for each NDJSON line as it arrives. Resolves when
 * the stream ends; rejects with an AbortError when `signal` aborts (the server then aborts the
 * Bedrock call), or with an ApiError when the server refuses the request.
 */
export async function runRequest(
  target: Pick<Target, 'modelId' | 'api'>,
  request: CompiledRequest,
  onEvent: (event: RunEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch('/api/run', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
    body: JSON.stringify({ target: { modelId: target.modelId, api: target.api }, request }),
    signal,
  });
  if (!response.ok || !response.body) throw await errorFrom(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  const emit = (line: string): void => {
    if (!line.trim()) return;
    const parsed = RunEventSchema.safeParse(JSON.parse(line));
    if (parsed.success) onEvent(parsed.data);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += value;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      emit(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  }
  emit(buffered);
}
