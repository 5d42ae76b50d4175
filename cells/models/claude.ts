import { REDACTED_REASONING } from '../converse-events.ts';
import type { RunEvent } from '../events.ts';
import { mediaType } from '../attachments.ts';
import { fileRef } from '../compile-parts.ts';
import type { ModelFacts, Turn } from './types.ts';
import {
  converseLimitWarnings,
  count,
  finalUsage,
  isRecord,
  modelName,
  overLimit,
  quoted,
} from './shared.ts';
import type { ConversationContext, ModelAdapter, NativeBody, StreamState } from './types.ts';

/** The Messages API version Bedrock requires in every Claude body. */
export const ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/** `max_tokens` is required in a native body; Converse leaves it to the model when unset. */
export const CLAUDE_DEFAULT_MAX_TOKENS = 1024;

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

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

/**
 * A turn's Messages content blocks: its parts in order (images and PDFs as base64 sources whose
 * data is the file, read when the request is sent), or its text.
 */
function messagesContent(turn: Turn): Record<string, unknown>[] {
  if (!turn.parts) return [{ type: 'text', text: turn.text }];
  return turn.parts.flatMap((part): Record<string, unknown>[] => {
    if (part.kind === 'text') return part.text.trim() ? [{ type: 'text', text: part.text }] : [];
    const source = { type: 'base64', media_type: mediaType(part.format), data: fileRef(part) };
    return part.kind === 'image'
      ? [{ type: 'image', source }]
      : [{ type: 'document', title: part.name, source }];
  });
}

/** The budget of an enabled `thinking` extra (`{type: "enabled", budget_tokens}`), or undefined. */
function thinkingBudget(extras: Record<string, unknown>): number | null | undefined {
  const thinking = extras.thinking;
  if (!isRecord(thinking) || thinking.type !== 'enabled') return undefined;
  return count(thinking.budget_tokens) ?? null;
}

/**
 * Claude on Bedrock, every version: the Anthropic Messages body, with extended thinking where the
 * model has it, and its stream of typed chunks (thinking deltas read as reasoning).
 */
export function claudeAdapter(model?: ModelFacts): ModelAdapter {
  const name = modelName(model, 'Claude');
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

  /** What Anthropic refuses about a `thinking` request, said before Bedrock says it. */
  function thinkingWarnings(ctx: ConversationContext, maxTokens: number | undefined): string[] {
    const budget = thinkingBudget(ctx.extras);
    if (budget === undefined) return [];
    if (model && !model.features.reasoning) {
      return [
        `${name} has no extended thinking: Bedrock will refuse the "thinking" extra (Claude 3.7 Sonnet and the Claude 4 models have it)`,
      ];
    }
    const problems: string[] = [];
    if (budget === null) problems.push('"thinking" needs a whole number budget_tokens');
    else if (budget < MIN_THINKING_BUDGET) {
      problems.push(
        `thinking budget_tokens ${budget} is under the minimum of ${MIN_THINKING_BUDGET}`,
      );
    } else if (maxTokens !== undefined && maxTokens <= budget) {
      problems.push(`maxTokens ${maxTokens} must be greater than thinking budget_tokens ${budget}`);
    }
    const { temperature, topP } = ctx.config;
    if (temperature !== undefined && temperature !== 1) {
      problems.push(`temperature ${temperature} must be 1 or unset when thinking is enabled`);
    }
    if (topP !== undefined && topP < 0.95) {
      problems.push(`topP ${topP} must be at least 0.95 or unset when thinking is enabled`);
    }
    if (ctx.extras.top_k !== undefined)
      problems.push('top_k must be unset when thinking is enabled');
    return problems.map((problem) => `${name}: ${problem}; Bedrock will reject the request`);
  }

  return {
    family: 'claude',

    buildNativeBody(ctx: ConversationContext): NativeBody {
      const warnings: string[] = [];
      const budget = thinkingBudget(ctx.extras);
      // With thinking, an unset max_tokens leaves the answer its usual room beyond the budget.
      let maxTokens =
        ctx.config.maxTokens ??
        (budget ? budget + CLAUDE_DEFAULT_MAX_TOKENS : CLAUDE_DEFAULT_MAX_TOKENS);
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
        return { role: turn.role, content: messagesContent({ ...turn, text }) };
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
      warnings.push(...thinkingWarnings(ctx, maxTokens));
      return { body, warnings };
    },

    converseWarnings(ctx: ConversationContext): string[] {
      return [
        ...converseLimitWarnings(name, ctx.config.maxTokens, limit),
        ...extrasWarnings(ctx.extras, 'it is passed in additionalModelRequestFields as is'),
        ...thinkingWarnings(ctx, ctx.config.maxTokens),
      ];
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
        case 'content_block_start':
          if (isRecord(chunk.content_block) && chunk.content_block.type === 'redacted_thinking') {
            events.push({ type: 'reasoning', text: REDACTED_REASONING });
          }
          break;
        case 'content_block_delta': {
          const delta = chunk.delta;
          if (!isRecord(delta)) break;
          if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text) {
            events.push({ type: 'text', text: delta.text });
          }
          // A signature_delta closes the thinking block: nothing to show.
          if (
            delta.type === 'thinking_delta' &&
            typeof delta.thinking === 'string' &&
            delta.thinking
          ) {
            events.push({ type: 'reasoning', text: delta.thinking });
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
          // content_block_stop and ping carry nothing to show.
          break;
      }
      return events;
    },

    parseResponse(body: unknown): RunEvent[] {
      if (!isRecord(body)) return [];
      const events: RunEvent[] = [];
      const blocks = Array.isArray(body.content) ? body.content.filter(isRecord) : [];
      const join = (read: (block: Record<string, unknown>) => string) => blocks.map(read).join('');
      const reasoning = join((block) =>
        block.type === 'thinking' && typeof block.thinking === 'string'
          ? block.thinking
          : block.type === 'redacted_thinking'
            ? REDACTED_REASONING
            : '',
      );
      if (reasoning) events.push({ type: 'reasoning', text: reasoning });
      const text = join((block) =>
        block.type === 'text' && typeof block.text === 'string' ? block.text : '',
      );
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
