import type { RunEvent } from '../events.ts';
import type { StreamState } from './types.ts';

/** Narrows an unknown JSON value to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first element of an array when it is a plain object (`choices[0]`, `outputs[0]`). */
export function firstRecord(value: unknown): Record<string, unknown> | undefined {
  const [item] = Array.isArray(value) ? (value as unknown[]) : [];
  return isRecord(item) ? item : undefined;
}

/** A non-negative integer field, or undefined. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Bedrock adds `amazon-bedrock-invocationMetrics` to the last chunk of every native stream. Its
 * token counts are what Bedrock bills, so they win over the model's own.
 */
export function invocationMetricsUsage(chunk: Record<string, unknown>): RunEvent | undefined {
  const metrics = chunk['amazon-bedrock-invocationMetrics'];
  if (!isRecord(metrics)) return undefined;
  const inputTokens = count(metrics.inputTokenCount);
  const outputTokens = count(metrics.outputTokenCount);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  return { type: 'usage', inputTokens, outputTokens };
}

/** The usage event once per stream: from invocation metrics, else from the counts gathered. */
export function finalUsage(chunk: Record<string, unknown>, state: StreamState): RunEvent[] {
  if (state.usageSent) return [];
  const usage = invocationMetricsUsage(chunk) ?? {
    type: 'usage' as const,
    inputTokens: state.inputTokens ?? 0,
    outputTokens: state.outputTokens ?? 0,
  };
  state.usageSent = true;
  return [usage];
}

/** A quoted list for warnings: `"a", "b"`. */
export function quoted(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}

/** "maxTokens 5000 is over the model's limit of 4096", or undefined when within it. */
export function overLimit(
  modelName: string,
  field: string,
  value: number | undefined,
  limit: number,
): string | undefined {
  if (value === undefined || value <= limit) return undefined;
  return `${modelName} answers at most ${limit} tokens: ${field} ${value} is over that limit`;
}

/** The name a warning uses for a model: its own, or its family's when the facts lack it. */
export function modelName(model: { name: string } | undefined, family: string): string {
  return model?.name ?? family;
}

/** The Converse warning for a system prompt on a model that takes none, or nothing. */
export function systemPromptWarnings(
  name: string,
  model: { features: { systemPrompt: boolean } } | undefined,
  system: string | undefined,
): string[] {
  if (system === undefined || !model || model.features.systemPrompt) return [];
  return [
    `${name} takes no system prompt through Converse: Bedrock will reject the request (leave the system cell empty, or put the instruction in the prompt)`,
  ];
}

/** The Converse warning for maxTokens over the model's limit, or nothing. */
export function converseLimitWarnings(
  name: string,
  maxTokens: number | undefined,
  limit: number | undefined,
): string[] {
  const over = limit === undefined ? undefined : overLimit(name, 'maxTokens', maxTokens, limit);
  return over ? [`${over}; Bedrock will reject the request`] : [];
}

/** maxTokens lowered to the model's limit for a native body, with a warning when it was. */
export function cappedMaxTokens(
  name: string,
  maxTokens: number,
  limit: number | undefined,
  field: string,
  warnings: string[],
): number {
  const capped = Math.min(maxTokens, limit ?? maxTokens);
  const over = overLimit(name, 'maxTokens', maxTokens, capped);
  if (over) warnings.push(`${over}; ${field} was lowered to ${capped}`);
  return capped;
}

/** The Converse warning for extras a model has no parameter for, or nothing. */
export function unknownExtrasWarnings(name: string, keys: readonly string[]): string[] {
  return keys.length
    ? [
        `${name} has no ${quoted(keys)} parameter: Bedrock is likely to reject these additionalModelRequestFields`,
      ]
    : [];
}

/**
 * The end of a native stream: a chunk with a stop reason gives the stop and the usage; a chunk
 * with only Bedrock's invocation metrics gives the usage.
 */
export function closingEvents(
  chunk: Record<string, unknown>,
  stopReason: unknown,
  state: StreamState,
): RunEvent[] {
  if (typeof stopReason === 'string') {
    return [{ type: 'stop', reason: stopReason }, ...finalUsage(chunk, state)];
  }
  return invocationMetricsUsage(chunk) ? finalUsage(chunk, state) : [];
}
