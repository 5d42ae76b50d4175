import type { RunEvent } from '../events.ts';
import type { StreamState } from './types.ts';

/** Narrows an unknown JSON value to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
