import type { RunEvent } from './events.ts';
import { count, isRecord } from './models/shared.ts';

/**
 * Converse and ConverseStream results as normalized run events. The SDK's shapes are typed
 * structurally here so the domain stays free of the AWS SDK.
 */

/** The parts of a ConverseStream output event the playground reads (one member is set). */
export interface ConverseStreamEventLike {
  messageStart?: { role?: string };
  contentBlockDelta?: {
    contentBlockIndex?: number;
    delta?: {
      text?: string;
      reasoningContent?: { text?: string; signature?: string; redactedContent?: unknown };
    };
  };
  contentBlockStop?: { contentBlockIndex?: number };
  messageStop?: { stopReason?: string };
  metadata?: {
    usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
    metrics?: { latencyMs?: number };
  };
}

/** The parts of a Converse output the playground reads. */
export interface ConverseOutputLike {
  output?: {
    message?: {
      role?: string;
      content?: {
        text?: string;
        reasoningContent?: {
          reasoningText?: { text?: string; signature?: string };
          redactedContent?: unknown;
        };
      }[];
    };
  };
  stopReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  metrics?: { latencyMs?: number };
}

/** Said in place of reasoning the model's provider encrypted: it is billed but not shown. */
export const REDACTED_REASONING = '[Part of the reasoning was redacted by the model provider.]';

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
 * One ConverseStream event as `reasoning`, `text`, `stop` and `usage` events. Reasoning arrives
 * as `reasoningContent.text` deltas of its own block before the answer's block; its signature
 * delta carries nothing to show. The service latency in
 * `metadata.metrics.latencyMs` is not an event of its own: the server folds it into the `metrics`
 * event it measures, reading it with `serviceLatencyMs`.
 */
export function converseStreamEventToRunEvents(event: ConverseStreamEventLike): RunEvent[] {
  const events: RunEvent[] = [];
  const delta = event.contentBlockDelta?.delta;
  const reasoning = delta?.reasoningContent;
  if (typeof reasoning?.text === 'string' && reasoning.text) {
    events.push({ type: 'reasoning', text: reasoning.text });
  }
  if (reasoning?.redactedContent !== undefined) {
    events.push({ type: 'reasoning', text: REDACTED_REASONING });
  }
  const text = delta?.text;
  if (typeof text === 'string' && text) events.push({ type: 'text', text });
  const stopReason = event.messageStop?.stopReason;
  if (typeof stopReason === 'string') events.push({ type: 'stop', reason: stopReason });
  if (event.metadata) events.push(...usageEvent(event.metadata.usage));
  return events;
}

/**
 * A Converse response as `reasoning`, `text`, `stop` and `usage` events (latency:
 * `serviceLatencyMs`).
 */
export function converseResponseToRunEvents(output: ConverseOutputLike): RunEvent[] {
  const events: RunEvent[] = [];
  const content = output.output?.message?.content;
  const blocks = Array.isArray(content) ? content.filter(isRecord) : [];
  const reasoning = blocks
    .map((block) => {
      const content = isRecord(block.reasoningContent) ? block.reasoningContent : {};
      const reasoningText = isRecord(content.reasoningText) ? content.reasoningText : {};
      if (typeof reasoningText.text === 'string') return reasoningText.text;
      return content.redactedContent !== undefined ? REDACTED_REASONING : '';
    })
    .join('');
  if (reasoning) events.push({ type: 'reasoning', text: reasoning });
  const text = blocks.map((block) => (typeof block.text === 'string' ? block.text : '')).join('');
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
