import type { RunEvent } from '../events.ts';
import type { InferenceConfig } from '../notebook.ts';
import type { ModelFamily } from './catalog.ts';

/** One turn of a conversation as the adapters see it. */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

/** Everything above a prompt cell that shapes its request, before any API or template. */
export interface ConversationContext {
  system?: string;
  /**
   * Alternating turns, user first. A final assistant turn is a prefill: the opening words the
   * model must continue.
   */
  messages: Turn[];
  config: InferenceConfig;
  /** Model-specific fields for this target (the config cell's `extras[target.id]`). */
  extras: Record<string, unknown>;
}

/** A native InvokeModel body plus what the model could not be told. */
export interface NativeBody {
  body: Record<string, unknown>;
  warnings: string[];
}

/**
 * What a stream parser remembers between chunks. Every field is optional so a caller may start
 * with `{}`; treat it as opaque.
 */
export interface StreamState {
  inputTokens?: number;
  outputTokens?: number;
  usageSent?: boolean;
}

/** One model family: its native body, its Converse caveats, and its native response shapes. */
export interface ModelAdapter {
  family: ModelFamily;
  /** The InvokeModel body for this context (prompt template, parameter names, limits). */
  buildNativeBody(ctx: ConversationContext): NativeBody;
  /** What Converse will not honour for this family, said plainly. */
  converseWarnings(ctx: ConversationContext): string[];
  /**
   * One decoded InvokeModelWithResponseStream chunk (the JSON inside `chunk.bytes`) as normalized
   * `text`, `stop` and `usage` events. Usage comes once, with the last chunk.
   */
  parseStreamChunk(chunk: unknown, state: StreamState): RunEvent[];
  /** A non-streaming InvokeModel response body as `text`, `stop` and `usage` events. */
  parseResponse(body: unknown): RunEvent[];
}
