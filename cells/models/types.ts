import type { RunEvent } from '../events.ts';
import type { InferenceConfig, PromptPart } from '../notebook.ts';

/** One turn of a conversation as the adapters see it. */
export interface Turn {
  role: 'user' | 'assistant';
  /** The turn's text; with `parts`, its text parts joined by blank lines. */
  text: string;
  /**
   * A prompt's parts in order, when it has more than one text: images, documents and text. A
   * body that holds only text uses `text`; the compiler has already left out, with a warning,
   * every part the model cannot take.
   */
  parts?: PromptPart[];
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

/** How a model's native answers read as run events; what every adapter has. */
export interface NativeReader {
  /**
   * One decoded InvokeModelWithResponseStream chunk (the JSON inside `chunk.bytes`) as normalized
   * `reasoning`, `text`, `stop` and `usage` events. Usage comes once, with the last chunk.
   */
  parseStreamChunk(chunk: unknown, state: StreamState): RunEvent[];
  /** A non-streaming InvokeModel response body as `reasoning`, `text`, `stop` and `usage` events. */
  parseResponse(body: unknown): RunEvent[];
}

/** One model family: its native body, its Converse caveats, and its native response shapes. */
export interface ModelAdapter extends NativeReader {
  family: AdapterFamily;
  /** The InvokeModel body for this context (prompt template, parameter names, limits). */
  buildNativeBody(ctx: ConversationContext): NativeBody;
  /** What Converse will not honour for this model, said plainly. */
  converseWarnings(ctx: ConversationContext): string[];
}

/** The native InvokeModel body and prompt template of a model. */
export type AdapterFamily = 'claude' | 'llama2' | 'llama3' | 'llama4' | 'nova' | 'mistral';

/** A system-defined inference profile's prefix. */
export type Geography = 'us' | 'eu' | 'apac' | 'global';

/** On-demand price in USD per 1,000 tokens in us-east-1 (a global profile's, where it differs). */
export interface Price {
  inputPer1k: number;
  outputPer1k: number;
  /**
   * False where no source could be read to check the figure (rows of mid-2024 kept from the
   * first price table, rows whose sources disagree): the page says "unchecked".
   */
  checked: boolean;
  /**
   * What a geography profile (`us.`, `eu.` …) costs over the rate above: AWS charges 10 % more
   * for the 4.5 Claude models through a geography than through `global.`.
   */
  geographyPremium?: number;
}

/** The features a picker shows that the control plane has no field for. */
export interface Features {
  /** Extended thinking (Claude's `thinking`, Converse `reasoningContent`). */
  reasoning: boolean;
  toolUse: boolean;
  /** Converse document blocks. */
  documents: boolean;
  /** A system prompt (Converse `system`). */
  systemPrompt: boolean;
}

/** One model's facts. */
export interface ModelFacts {
  id: string;
  name: string;
  provider: string;
  /** Undefined for a model the playground has no native body for: it runs through Converse. */
  family: AdapterFamily | undefined;
  lifecycle: 'ACTIVE' | 'LEGACY';
  inputModalities: readonly ('TEXT' | 'IMAGE')[];
  /** The most tokens one answer may have. */
  maxOutputTokens: number;
  /** Prompt plus answer, in tokens. */
  contextWindow: number;
  price: Price;
  features: Features;
  /** The geographies with a system-defined profile of the model (`us.` + id …). */
  geographies: readonly Geography[];
  /** True where AWS offers the model only through inference profiles (in the US). */
  profileOnly: boolean;
  /** Mistral: the chat completion body (`messages`) rather than the `<s>[INST]` prompt. */
  chat: boolean;
}
