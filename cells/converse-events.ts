import type { RunEvent } from './events.ts';
import { count, isRecord } from './models/shared.ts';

/**
 * Converse and ConverseStream results as normalized run events. The SDK's shapes are typed
 * structurally here so the domain stays free of the AWS SDK.
 */

/** The parts of a ConverseStream output event the playground reads (one member is set). */
export interface ConverseStreamEventLike {
  messageStart?: { role?: string };
  contentBlockDelta?: { contentBlockIndex?: number; delta?: { text?: string } };
  contentBlockStop?: { contentBlockIndex?: number };
  messageStop?: { stopReason?: string };
  metadata?: {
    usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
    metrics?: { latencyMs?: number };
  };
}

/** The parts of a Converse output the playground reads. */
export interface ConverseOutputLike {
  output?: { message?: { role?: string; content?: { text?: string }[] } };
  stopReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  metrics?: { latencyMs?: number };
}

function usageEvent(usage: unknown): RunEvent[] {
  if (!isRecord(usage)) return [];
  return [
    {
      type: 'usage',
      inputTokens: count(usage.inputTokens) ?? 0,
      outputTokens: count(usage.outputTokens) ?? 0,
    },
  ];
}

/**
 * One ConverseStream event as `text`, `stop` and `usage` events. The service latency in
 * `metadata.metrics.latencyMs` is not an event of its own: the server folds it into the `metrics`
 * event it measures, reading it with `serviceLatencyMs`.
 */
export function converseStreamEventToRunEvents(event: ConverseStreamEventLike): RunEvent[] {
  const events: RunEvent[] = [];
  const text = event.contentBlockDelta?.delta?.text;
  if (typeof text === 'string' && text) events.push({ type: 'text', text });
  const stopReason = event.messageStop?.stopReason;
  if (typeof stopReason === 'string') events.push({ type: 'stop', reason: stopReason });
  if (event.metadata) events.push(...usageEvent(event.metadata.usage));
  return events;
}

/** A Converse response as `text`, `stop` and `usage` events (latency: `serviceLatencyMs`). */
export function converseResponseToRunEvents(output: ConverseOutputLike): RunEvent[] {
  const events: RunEvent[] = [];
  const text = (output.output?.message?.content ?? [])
    .map((block) => (typeof block.text === 'string' ? block.text : ''))
    .join('');
  if (text) events.push({ type: 'text', text });
  if (typeof output.stopReason === 'string') {
    events.push({ type: 'stop', reason: output.stopReason });
  }
  events.push(...usageEvent(output.usage));
  return events;
}

/**
 * The latency the service reported, in milliseconds, from any of: a ConverseStream `metadata`
 * event, a Converse response (`metrics.latencyMs`), or a decoded native stream chunk carrying
 * `amazon-bedrock-invocationMetrics.invocationLatency`. Null when the value has none.
 */
export function serviceLatencyMs(value: unknown): number | null {
  if (!isRecord(value)) return null;
  const metadata = isRecord(value.metadata) ? value.metadata : value;
  const metrics = metadata.metrics;
  if (isRecord(metrics) && typeof metrics.latencyMs === 'number') return metrics.latencyMs;
  const invocation = value['amazon-bedrock-invocationMetrics'];
  if (isRecord(invocation) && typeof invocation.invocationLatency === 'number') {
    return invocation.invocationLatency;
  }
  return null;
}
