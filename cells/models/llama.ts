import type { RunEvent } from '../events.ts';
import type { ModelFacts } from './types.ts';
import {
  closingEvents,
  converseLimitWarnings,
  count,
  isRecord,
  modelName,
  overLimit,
  quoted,
  unknownExtrasWarnings,
} from './shared.ts';
import type { ConversationContext, ModelAdapter, NativeBody, StreamState, Turn } from './types.ts';

/**
 * The longest answer a Llama native body may ask for (`max_gen_len`, every version): Converse may
 * ask a newer model for more.
 */
export const LLAMA_MAX_GEN_LEN = 2048;

/** The fields of a Llama native body; Bedrock rejects any other ("extraneous key"). */
const BODY_FIELDS = new Set(['prompt', 'temperature', 'top_p', 'max_gen_len']);

/** Splits turns into finished user/answer pairs, the open user turn and an optional prefill. */
export function splitTurns(messages: readonly Turn[]): {
  pairs: [user: string, answer: string][];
  open: string;
  prefill: string | undefined;
} {
  messages.forEach((turn, index) => {
    const expected = index % 2 === 0 ? 'user' : 'assistant';
    if (turn.role !== expected) {
      throw new Error(`turn ${index + 1} is from the ${turn.role}, expected the ${expected}`);
    }
  });
  const prefill = messages.length % 2 === 0 ? messages.at(-1)?.text : undefined;
  const rest = prefill === undefined ? messages : messages.slice(0, -1);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    pairs.push([rest[i]!.text, rest[i + 1]!.text]);
  }
  return { pairs, open: rest.at(-1)?.text ?? '', prefill };
}

const FAMILY_NAMES = { llama2: 'Llama 2', llama3: 'Llama 3', llama4: 'Llama 4' } as const;

/**
 * Every Llama shares one native body and one response shape; only the prompt template differs
 * (Llama 2, Llama 3.x, Llama 4).
 */
export function llamaAdapter(
  family: keyof typeof FAMILY_NAMES,
  render: (system: string | undefined, messages: readonly Turn[]) => string,
  model?: ModelFacts,
): ModelAdapter {
  const name = modelName(model, FAMILY_NAMES[family]);
  const converseLimit = model?.maxOutputTokens ?? LLAMA_MAX_GEN_LEN;
  const limit = Math.min(converseLimit, LLAMA_MAX_GEN_LEN);

  return {
    family,

    buildNativeBody(ctx: ConversationContext): NativeBody {
      const warnings: string[] = [];
      // Field order follows AWS's own examples: prompt, max_gen_len, temperature, top_p.
      const body: Record<string, unknown> = { prompt: render(ctx.system, ctx.messages) };
      const maxTokens = ctx.config.maxTokens;
      if (maxTokens !== undefined) {
        const over = overLimit(name, 'maxTokens', maxTokens, limit);
        if (over) warnings.push(`${over}; max_gen_len was lowered to ${limit}`);
        body.max_gen_len = Math.min(maxTokens, limit);
      }
      if (ctx.config.temperature !== undefined) body.temperature = ctx.config.temperature;
      if (ctx.config.topP !== undefined) body.top_p = ctx.config.topP;
      if (ctx.config.stopSequences?.length) {
        warnings.push(
          `${name} ignores stopSequences ${quoted(ctx.config.stopSequences)}: its native body has no stop sequences field`,
        );
      }
      const dropped: string[] = [];
      for (const [key, value] of Object.entries(ctx.extras)) {
        if (key === 'prompt') {
          warnings.push(
            `${name}: the extra "prompt" is ignored; the prompt is built from the cells`,
          );
        } else if (BODY_FIELDS.has(key)) {
          body[key] = value;
        } else {
          dropped.push(key);
        }
      }
      if (dropped.length) {
        warnings.push(
          `${name} has no ${quoted(dropped)} parameter: left out of the body (Bedrock rejects unknown fields; Llama takes only prompt, max_gen_len, temperature and top_p)`,
        );
      }
      return { body, warnings };
    },

    converseWarnings(ctx: ConversationContext): string[] {
      return [
        ...converseLimitWarnings(name, ctx.config.maxTokens, converseLimit),
        ...unknownExtrasWarnings(
          name,
          Object.keys(ctx.extras).filter((k) => !BODY_FIELDS.has(k) || k === 'prompt'),
        ),
      ];
    },

    parseStreamChunk(chunk: unknown, state: StreamState): RunEvent[] {
      if (!isRecord(chunk)) return [];
      const events: RunEvent[] = [];
      if (typeof chunk.generation === 'string' && chunk.generation) {
        events.push({ type: 'text', text: chunk.generation });
      }
      // prompt_token_count is set in the first chunk only; generation_token_count is cumulative.
      state.inputTokens = count(chunk.prompt_token_count) ?? state.inputTokens;
      state.outputTokens = count(chunk.generation_token_count) ?? state.outputTokens;
      events.push(...closingEvents(chunk, chunk.stop_reason, state));
      return events;
    },

    parseResponse(body: unknown): RunEvent[] {
      if (!isRecord(body)) return [];
      const events: RunEvent[] = [];
      if (typeof body.generation === 'string' && body.generation) {
        events.push({ type: 'text', text: body.generation });
      }
      if (typeof body.stop_reason === 'string') {
        events.push({ type: 'stop', reason: body.stop_reason });
      }
      const inputTokens = count(body.prompt_token_count);
      const outputTokens = count(body.generation_token_count);
      if (inputTokens !== undefined || outputTokens !== undefined) {
        events.push({
          type: 'usage',
          inputTokens: inputTokens ?? 0,
          outputTokens: outputTokens ?? 0,
        });
      }
      return events;
    },
  };
}
