import { converseResponseToRunEvents, converseStreamEventToRunEvents } from '../converse-events.ts';
import type { ConverseStreamEventLike } from '../converse-events.ts';
import type { RunEvent } from '../events.ts';
import { converseContent } from '../compile-parts.ts';
import type { ModelFacts } from './types.ts';
import {
  cappedMaxTokens,
  converseLimitWarnings,
  finalUsage,
  isRecord,
  modelName,
  quoted,
} from './shared.ts';
import type { ConversationContext, ModelAdapter, NativeBody, StreamState } from './types.ts';

/** The schema version of Nova's native body. */
export const NOVA_SCHEMA = 'messages-v1';

/** What a Nova body takes besides its messages; Bedrock rejects other keys. */
const EXTRA_FIELDS = new Set(['inferenceConfig', 'toolConfig']);
/** Nova's `inferenceConfig`; the playground's config fills the first four. */
const INFERENCE_FIELDS = new Set(['maxTokens', 'temperature', 'topP', 'stopSequences', 'topK']);

/**
 * Amazon Nova through InvokeModel: the `messages-v1` body, Converse's shapes without the API
 * (`schemaVersion`, `system` and `messages` text blocks, `inferenceConfig`). Its answers and
 * stream chunks are Converse's too, so they are read as Converse events.
 */
export function novaAdapter(model?: ModelFacts): ModelAdapter {
  const name = modelName(model, 'Nova');
  const limit = model?.maxOutputTokens;

  /** Nova takes topK inside inferenceConfig, also through Converse's extra fields. */
  function extrasWarnings(extras: Record<string, unknown>, how: string): string[] {
    const warnings: string[] = [];
    const unknown = Object.keys(extras).filter((key) => !EXTRA_FIELDS.has(key));
    if (unknown.length) {
      warnings.push(
        `${name} has no ${quoted(unknown)} parameter: ${how} (Nova takes topK as {"inferenceConfig": {"topK": N}})`,
      );
    }
    const inference = extras.inferenceConfig;
    if (isRecord(inference)) {
      const odd = Object.keys(inference).filter((key) => !INFERENCE_FIELDS.has(key));
      if (odd.length) {
        warnings.push(`${name}: inferenceConfig has no ${quoted(odd)}; Bedrock rejects it`);
      }
    }
    return warnings;
  }

  return {
    family: 'nova',

    buildNativeBody(ctx: ConversationContext): NativeBody {
      const warnings: string[] = [];
      const body: Record<string, unknown> = { schemaVersion: NOVA_SCHEMA };
      if (ctx.system) body.system = [{ text: ctx.system }];
      // A final assistant turn is a prefill, which Nova continues.
      body.messages = ctx.messages.map((turn) => ({
        role: turn.role,
        content: converseContent(turn),
      }));
      const inference: Record<string, unknown> = {};
      const { maxTokens, temperature, topP, stopSequences } = ctx.config;
      if (maxTokens !== undefined) {
        inference.maxTokens = cappedMaxTokens(name, maxTokens, limit, 'maxTokens', warnings);
      }
      if (temperature !== undefined) inference.temperature = temperature;
      if (topP !== undefined) inference.topP = topP;
      if (stopSequences?.length) inference.stopSequences = stopSequences;
      const extra = ctx.extras.inferenceConfig;
      if (isRecord(extra)) Object.assign(inference, extra);
      if (Object.keys(inference).length) body.inferenceConfig = inference;
      if (ctx.extras.toolConfig !== undefined) body.toolConfig = ctx.extras.toolConfig;
      warnings.push(...extrasWarnings(ctx.extras, 'left out of the body'));
      return { body, warnings };
    },

    converseWarnings(ctx: ConversationContext): string[] {
      return [
        ...converseLimitWarnings(name, ctx.config.maxTokens, limit),
        ...extrasWarnings(
          ctx.extras,
          'Bedrock is likely to reject these additionalModelRequestFields',
        ),
      ];
    },

    parseStreamChunk(chunk: unknown, state: StreamState): RunEvent[] {
      if (!isRecord(chunk)) return [];
      const events: RunEvent[] = converseStreamEventToRunEvents(
        chunk as ConverseStreamEventLike,
      ).filter((e) => e.type !== 'usage');
      const metadata = isRecord(chunk.metadata) ? chunk.metadata : undefined;
      if (metadata && isRecord(metadata.usage)) {
        const usage = converseStreamEventToRunEvents({ metadata }).find((e) => e.type === 'usage');
        if (usage?.type === 'usage') {
          state.inputTokens = usage.inputTokens;
          state.outputTokens = usage.outputTokens;
        }
      }
      // The usage comes once: with Bedrock's invocation metrics, or the metadata chunk's counts.
      if (metadata || isRecord(chunk['amazon-bedrock-invocationMetrics'])) {
        events.push(...finalUsage(chunk, state));
      }
      return events;
    },

    parseResponse(body: unknown): RunEvent[] {
      return isRecord(body) ? converseResponseToRunEvents(body) : [];
    },
  };
}
