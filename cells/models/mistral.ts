import type { RunEvent } from '../events.ts';
import type { ModelFacts } from './types.ts';
import { splitTurns } from './llama.ts';
import {
  cappedMaxTokens,
  closingEvents,
  converseLimitWarnings,
  firstRecord,
  isRecord,
  modelName,
  quoted,
  systemPromptWarnings,
  unknownExtrasWarnings,
} from './shared.ts';
import type { ConversationContext, ModelAdapter, NativeBody, StreamState, Turn } from './types.ts';

/** What each Mistral body takes besides the prompt or messages; Bedrock rejects other keys. */
const TEXT_FIELDS = new Set(['max_tokens', 'stop', 'temperature', 'top_p', 'top_k']);
const CHAT_FIELDS = new Set(['max_tokens', 'temperature', 'top_p', 'tools', 'tool_choice']);

/**
 * Mistral's instruct prompt as AWS documents it for the text completion body:
 * `<s>[INST] {user} [/INST] {answer}</s> [INST] {user} [/INST]`. Mistral has no system role;
 * as in Mistral's reference tokenizer, the system text goes before the last user message. A
 * prefill is appended after the last `[/INST]`, where the answer starts.
 */
export function renderMistralPrompt(system: string | undefined, messages: readonly Turn[]): string {
  const { pairs, open, prefill } = splitTurns(messages);
  let prompt = '<s>';
  pairs.forEach(([user, answer], index) => {
    prompt += `${index > 0 ? ' ' : ''}[INST] ${user.trim()} [/INST] ${answer.trim()}</s>`;
  });
  const last = system ? `${system.trim()}\n\n${open.trim()}` : open.trim();
  prompt += `${pairs.length ? ' ' : ''}[INST] ${last} [/INST]`;
  if (prefill !== undefined) prompt += ` ${prefill.trim()}`;
  return prompt;
}

/** The first choice or output of a Mistral answer: `{text, stop}` from either body's shape. */
function firstOutput(value: Record<string, unknown>): { text: string; stop: unknown } | undefined {
  const choice = firstRecord(value.choices);
  if (choice) {
    const message = isRecord(choice.message) ? choice.message : choice.delta;
    const text = isRecord(message) && typeof message.content === 'string' ? message.content : '';
    return { text, stop: choice.stop_reason ?? choice.finish_reason };
  }
  const output = firstRecord(value.outputs);
  if (output) {
    return { text: typeof output.text === 'string' ? output.text : '', stop: output.stop_reason };
  }
  return undefined;
}

/**
 * Mistral through InvokeModel: the chat completion body (`messages`) where AWS documents it for
 * the model (Mistral Large, Pixtral Large), otherwise the `<s>[INST]` text completion body. Both
 * answer with one choice or output per chunk; Bedrock's invocation metrics carry the usage.
 */
export function mistralAdapter(model?: ModelFacts): ModelAdapter {
  const name = modelName(model, 'Mistral');
  const limit = model?.maxOutputTokens;
  const chat = model?.chat ?? false;
  const fields = chat ? CHAT_FIELDS : TEXT_FIELDS;

  return {
    family: 'mistral',

    buildNativeBody(ctx: ConversationContext): NativeBody {
      const warnings: string[] = [];
      const body: Record<string, unknown> = {};
      if (chat) {
        const messages: { role: string; content: string }[] = [];
        if (ctx.system) messages.push({ role: 'system', content: ctx.system });
        for (const turn of ctx.messages) messages.push({ role: turn.role, content: turn.text });
        body.messages = messages;
      } else {
        body.prompt = renderMistralPrompt(ctx.system, ctx.messages);
      }
      const { maxTokens, temperature, topP, stopSequences } = ctx.config;
      if (maxTokens !== undefined) {
        body.max_tokens = cappedMaxTokens(name, maxTokens, limit, 'max_tokens', warnings);
      }
      if (temperature !== undefined) body.temperature = temperature;
      if (topP !== undefined) body.top_p = topP;
      if (stopSequences?.length) {
        if (chat) {
          warnings.push(
            `${name} ignores stopSequences ${quoted(stopSequences)}: its chat body has no stop field`,
          );
        } else {
          body.stop = stopSequences;
        }
      }
      const dropped: string[] = [];
      for (const [key, value] of Object.entries(ctx.extras)) {
        if (fields.has(key)) body[key] = value;
        else dropped.push(key);
      }
      if (dropped.length) {
        warnings.push(
          `${name} has no ${quoted(dropped)} parameter: left out of the body (its ${chat ? 'chat' : 'text'} body takes ${quoted([...fields])})`,
        );
      }
      return { body, warnings };
    },

    converseWarnings(ctx: ConversationContext): string[] {
      return [
        ...converseLimitWarnings(name, ctx.config.maxTokens, limit),
        ...systemPromptWarnings(name, model, ctx.system),
        ...unknownExtrasWarnings(
          name,
          Object.keys(ctx.extras).filter((key) => key !== 'top_k'),
        ),
      ];
    },

    parseStreamChunk(chunk: unknown, state: StreamState): RunEvent[] {
      if (!isRecord(chunk)) return [];
      const events: RunEvent[] = [];
      const output = firstOutput(chunk);
      if (output?.text) events.push({ type: 'text', text: output.text });
      events.push(...closingEvents(chunk, output?.stop, state));
      return events;
    },

    parseResponse(body: unknown): RunEvent[] {
      if (!isRecord(body)) return [];
      const output = firstOutput(body);
      const events: RunEvent[] = [];
      if (output?.text) events.push({ type: 'text', text: output.text });
      if (typeof output?.stop === 'string') events.push({ type: 'stop', reason: output.stop });
      return events;
    },
  };
}
