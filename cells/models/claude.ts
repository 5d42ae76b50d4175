import type { RunEvent } from '../events.ts';
import type { ModelInfo } from './catalog.ts';
import { count, finalUsage, isRecord, overLimit, quoted } from './shared.ts';
import type { ConversationContext, ModelAdapter, NativeBody, StreamState } from './types.ts';

/** The Messages API version Bedrock requires in every Claude body. */
export const ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/** `max_tokens` is required in a native body; Converse leaves it to the model when unset. */
export const CLAUDE_DEFAULT_MAX_TOKENS = 1024;

/** Fields the body is built from; an extra may not replace them. */
const RESERVED = new Set(['anthropic_version', 'system', 'messages']);

/** Messages API fields people set through extras (top_k is the common one). */
const KNOWN_EXTRAS = new Set([
  'top_k',
  'max_tokens',
  'temperature',
  'top_p',
  'stop_sequences',
  'anthropic_beta',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
]);

/** Claude on Bedrock: the Anthropic Messages body, and its stream of typed chunks. */
export function claudeAdapter(model?: ModelInfo): ModelAdapter {
  const name = model?.name ?? 'Claude';
  const limit = model?.maxOutputTokens;

  function extrasWarnings(extras: Record<string, unknown>, how: string): string[] {
    const reserved = Object.keys(extras).filter((k) => RESERVED.has(k));
    const unknown = Object.keys(extras).filter((k) => !RESERVED.has(k) && !KNOWN_EXTRAS.has(k));
    const warnings: string[] = [];
    if (reserved.length) {
      warnings.push(
        `${name}: extras ${quoted(reserved)} are built from the notebook's cells, so the extras are ignored`,
      );
    }
    if (unknown.length) {
      warnings.push(
        `${name}: ${quoted(unknown)} ${unknown.length === 1 ? 'is' : 'are'} not a Messages API field the playground knows; ${how}`,
      );
    }
    return warnings;
  }

  return {
    family: 'claude',

    buildNativeBody(ctx: ConversationContext): NativeBody {
      const warnings: string[] = [];
      let maxTokens = ctx.config.maxTokens ?? CLAUDE_DEFAULT_MAX_TOKENS;
      if (limit !== undefined && maxTokens > limit) {
        warnings.push(
          `${overLimit(name, 'maxTokens', maxTokens, limit)}; max_tokens was lowered to ${limit}`,
        );
        maxTokens = limit;
      }
      const messages = ctx.messages.map((turn, index) => {
        let text = turn.text;
        // The Messages API rejects a prefill that ends in whitespace.
        if (index === ctx.messages.length - 1 && turn.role === 'assistant' && /\s$/.test(text)) {
          text = text.trimEnd();
          warnings.push(
            `${name} rejects a prefill that ends in whitespace: the trailing whitespace of the last assistant turn was removed`,
          );
        }
        return { role: turn.role, content: [{ type: 'text', text }] };
      });
      const body: Record<string, unknown> = {
        anthropic_version: ANTHROPIC_VERSION,
        max_tokens: maxTokens,
      };
      if (ctx.system) body.system = ctx.system;
      body.messages = messages;
      if (ctx.config.temperature !== undefined) body.temperature = ctx.config.temperature;
      if (ctx.config.topP !== undefined) body.top_p = ctx.config.topP;
      if (ctx.config.stopSequences?.length) body.stop_sequences = ctx.config.stopSequences;
      for (const [key, value] of Object.entries(ctx.extras)) {
        if (!RESERVED.has(key)) body[key] = value;
      }
      warnings.push(...extrasWarnings(ctx.extras, 'it is sent as is'));
      return { body, warnings };
    },

    converseWarnings(ctx: ConversationContext): string[] {
      const warnings: string[] = [];
      const over =
        limit === undefined ? undefined : overLimit(name, 'maxTokens', ctx.config.maxTokens, limit);
      if (over) warnings.push(`${over}; Bedrock will reject the request`);
      warnings.push(
        ...extrasWarnings(ctx.extras, 'it is passed in additionalModelRequestFields as is'),
      );
      return warnings;
    },

    parseStreamChunk(chunk: unknown, state: StreamState): RunEvent[] {
      if (!isRecord(chunk)) return [];
      const events: RunEvent[] = [];
      switch (chunk.type) {
        case 'message_start': {
          const usage = isRecord(chunk.message) ? chunk.message.usage : undefined;
          if (isRecord(usage)) {
            state.inputTokens = count(usage.input_tokens) ?? state.inputTokens;
            state.outputTokens = count(usage.output_tokens) ?? state.outputTokens;
          }
          break;
        }
        case 'content_block_delta': {
          const delta = chunk.delta;
          if (isRecord(delta) && delta.type === 'text_delta' && typeof delta.text === 'string') {
            if (delta.text) events.push({ type: 'text', text: delta.text });
          }
          break;
        }
        case 'message_delta': {
          const delta = chunk.delta;
          if (isRecord(delta) && typeof delta.stop_reason === 'string') {
            events.push({ type: 'stop', reason: delta.stop_reason });
          }
          if (isRecord(chunk.usage)) {
            state.outputTokens = count(chunk.usage.output_tokens) ?? state.outputTokens;
          }
          break;
        }
        case 'message_stop':
          events.push(...finalUsage(chunk, state));
          break;
        default:
          // content_block_start, content_block_stop and ping carry nothing to show.
          break;
      }
      return events;
    },

    parseResponse(body: unknown): RunEvent[] {
      if (!isRecord(body)) return [];
      const events: RunEvent[] = [];
      const text = Array.isArray(body.content)
        ? body.content
            .filter(isRecord)
            .filter((block) => block.type === 'text' && typeof block.text === 'string')
            .map((block) => block.text as string)
            .join('')
        : '';
      if (text) events.push({ type: 'text', text });
      if (typeof body.stop_reason === 'string') {
        events.push({ type: 'stop', reason: body.stop_reason });
      }
      if (isRecord(body.usage)) {
        events.push({
          type: 'usage',
          inputTokens: count(body.usage.input_tokens) ?? 0,
          outputTokens: count(body.usage.output_tokens) ?? 0,
        });
      }
      return events;
    },
  };
}
