import { BedrockClient } from '@aws-sdk/client-bedrock';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { EMULATOR_CREDENTIALS } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';

export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const LLAMA2 = 'meta.llama2-13b-chat-v1';
export const LLAMA3 = 'meta.llama3-8b-instruct-v1:0';
export const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
export const NOVA_PRO = 'amazon.nova-pro-v1:0';

interface ClientOptions {
  /** The client's Region; default us-east-1. */
  region?: string;
  http1?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  /** Milliseconds the client's clock is off by when it signs. */
  systemClockOffset?: number;
}

const common = (emulator: Emulator, options: ClientOptions) => ({
  region: options.region ?? 'us-east-1',
  endpoint: emulator.url,
  credentials: options.credentials ?? EMULATOR_CREDENTIALS,
  // AWS_BEARER_TOKEN_BEDROCK in the environment would switch the SDK to bearer auth.
  authSchemePreference: ['sigv4'],
  maxAttempts: options.maxAttempts ?? 1,
  ...(options.systemClockOffset ? { systemClockOffset: options.systemClockOffset } : {}),
  ...(options.http1 ? { requestHandler: new NodeHttpHandler() } : {}),
});

/** The real runtime client: its default HTTP/2 handler unless `http1` is set. */
export function runtimeClient(
  emulator: Emulator,
  options: ClientOptions = {},
): BedrockRuntimeClient {
  return new BedrockRuntimeClient(common(emulator, options));
}

export function controlClient(emulator: Emulator, options: ClientOptions = {}): BedrockClient {
  return new BedrockClient(common(emulator, options));
}

/** The rejection of a promise, or a failure if it resolved. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

export function converseInput(
  modelId: string,
  text: string,
  extra: Partial<ConverseCommandInput> = {},
): ConverseCommandInput {
  return { modelId, messages: [{ role: 'user', content: [{ text }] }], ...extra };
}

export async function converseText(
  client: BedrockRuntimeClient,
  input: ConverseCommandInput,
): Promise<string> {
  const out = await client.send(new ConverseCommand(input));
  return out.output?.message?.content?.map((block) => block.text ?? '').join('') ?? '';
}

/** Collects a ConverseStream: the text, and every event name in order. */
export async function converseStreamAll(client: BedrockRuntimeClient, input: ConverseCommandInput) {
  const out = await client.send(new ConverseStreamCommand(input));
  let text = '';
  let deltas = 0;
  const events: string[] = [];
  let stopReason: string | undefined;
  let usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number } | undefined;
  for await (const event of out.stream ?? []) {
    const name = Object.keys(event).find(
      (key) => (event as unknown as Record<string, unknown>)[key] !== undefined,
    );
    events.push(name ?? '?');
    if (event.contentBlockDelta?.delta?.text !== undefined) {
      text += event.contentBlockDelta.delta.text;
      deltas += 1;
    }
    if (event.messageStop) stopReason = event.messageStop.stopReason;
    if (event.metadata) usage = event.metadata.usage;
  }
  return { text, deltas, events, stopReason, usage };
}

export const decodeJson = (bytes: Uint8Array | undefined): Record<string, unknown> =>
  JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;

export async function invokeJson(client: BedrockRuntimeClient, modelId: string, body: unknown) {
  const out = await client.send(
    new InvokeModelCommand({
      modelId,
      contentType: 'application/json',
      body: JSON.stringify(body),
    }),
  );
  return decodeJson(out.body);
}

/** Collects InvokeModelWithResponseStream: every decoded native chunk. */
export async function invokeStreamChunks(
  client: BedrockRuntimeClient,
  modelId: string,
  body: unknown,
) {
  const out = await client.send(
    new InvokeModelWithResponseStreamCommand({
      modelId,
      contentType: 'application/json',
      body: JSON.stringify(body),
    }),
  );
  const chunks: Record<string, unknown>[] = [];
  for await (const event of out.body ?? []) {
    if (event.chunk?.bytes) chunks.push(decodeJson(event.chunk.bytes));
  }
  return chunks;
}

/** The text of native stream chunks, whichever family produced them. */
export function chunkText(chunks: Record<string, unknown>[]): string {
  return chunks
    .map((chunk) => {
      if (typeof chunk.generation === 'string') return chunk.generation;
      if (typeof chunk.completion === 'string') return chunk.completion;
      const delta = chunk.delta as { text?: string } | undefined;
      return chunk.type === 'content_block_delta' ? (delta?.text ?? '') : '';
    })
    .join('');
}
