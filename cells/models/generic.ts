import { REDACTED_REASONING } from '../converse-events.ts';
import type { RunEvent } from '../events.ts';
import { closingEvents, firstRecord, isRecord } from './shared.ts';
import type { NativeReader, StreamState } from './types.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The text, reasoning and stop reason of a native answer or chunk whose family the playground
 * does not know, from the shapes Bedrock's models use: OpenAI-style `choices` (gpt-oss,
 * DeepSeek), `outputs`, `generation`, `completion`, `results` (Titan), Converse-style events.
 */
function read(value: Record<string, unknown>): { text: string; reasoning: string; stop: unknown } {
  const choice = firstRecord(value.choices);
  if (choice) {
    const message = isRecord(choice.message)
      ? choice.message
      : isRecord(choice.delta)
        ? choice.delta
        : {};
    return {
      text: text(message.content) || text(choice.text),
      reasoning: text(message.reasoning_content) || text(message.reasoning),
      stop: choice.finish_reason ?? choice.stop_reason,
    };
  }
  const output = firstRecord(value.outputs) ?? firstRecord(value.results);
  if (output) {
    return {
      text: text(output.text) || text(output.outputText),
      reasoning: '',
      stop: output.stop_reason ?? output.completionReason,
    };
  }
  const delta = isRecord(value.contentBlockDelta) ? value.contentBlockDelta.delta : value.delta;
  const block = isRecord(delta) ? delta : {};
  const reasoning = isRecord(block.reasoningContent) ? block.reasoningContent : {};
  return {
    text:
      text(value.generation) ||
      text(value.completion) ||
      text(value.outputText) ||
      text(block.text),
    reasoning:
      text(reasoning.text) ||
      text(block.thinking) ||
      (reasoning.redactedContent !== undefined ? REDACTED_REASONING : ''),
    stop:
      value.stop_reason ??
      value.completionReason ??
      (isRecord(value.messageStop) ? value.messageStop.stopReason : undefined),
  };
}

function textEvents(found: ReturnType<typeof read>): RunEvent[] {
  const list: RunEvent[] = [];
  if (found.reasoning) list.push({ type: 'reasoning', text: found.reasoning });
  if (found.text) list.push({ type: 'text', text: found.text });
  return list;
}

/**
 * A best-effort reader for native cells of models without an adapter: the answer shows as it
 * comes whatever the family, and the raw chunks stay in the wire view.
 */
export const genericReader: NativeReader = {
  parseStreamChunk(chunk: unknown, state: StreamState): RunEvent[] {
    if (!isRecord(chunk)) return [];
    const found = read(chunk);
    return [...textEvents(found), ...closingEvents(chunk, found.stop, state)];
  },
  parseResponse(body: unknown): RunEvent[] {
    if (!isRecord(body)) return [];
    const found = read(body);
    const stop: RunEvent[] =
      typeof found.stop === 'string' ? [{ type: 'stop', reason: found.stop }] : [];
    return [...textEvents(found), ...stop];
  },
};
