import type { ModelSpec } from './catalog.ts';
import type { Conversation, Turn } from './conversation.ts';
import { conversationInput, promptInput } from './job.ts';
import { closedByLastToken, invocationMetrics, promptStop } from './native-shared.ts';
import type { NativeFormat, NativeRequest } from './native-shared.ts';
import type { Plan, StreamFormat, Timing } from './run.ts';
import { malformedInput, mistralChatBody, mistralTextBody, parseWith } from './validate.ts';
import type { MistralChatBody } from './validate.ts';

/**
 * Which native bodies a Mistral model takes on Bedrock: AWS documents the text completion
 * (`prompt`) for Mistral 7B, Mixtral, Mistral Large and Small, and the chat completion
 * (`messages`) for Mistral Large; Pixtral Large is taken to speak chat only.
 */
const CHAT = new Set(['mistral-large-2402', 'mistral-large-2407', 'pixtral-large-2502']);
const TEXT = new Set([
  'mistral-7b-instruct',
  'mixtral-8x7b-instruct',
  'mistral-large-2402',
  'mistral-small-2402',
]);

type Shape = (text: string, stop: string | null) => Record<string, unknown>;

/** One closing-aware stream of Mistral chunks, text or chat shaped. */
function mistralStream(plan: Plan, shape: Shape): StreamFormat {
  const stop = promptStop(plan.answer.stopReason);
  const piece = (text: string, _index: number, timing: Timing | undefined): unknown => ({
    ...shape(text, timing ? stop : null),
    ...(timing ? { 'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing) } : {}),
  });
  return closedByLastToken(piece, (timing) => piece('', -1, timing));
}

const textOutput: Shape = (text, stop) => ({
  outputs: [{ text, stop_reason: stop }],
});

const chatOutput: Shape = (content, stop) => ({
  choices: [{ index: 0, message: { role: 'assistant', content }, stop_reason: stop }],
});

const TEXT_FORMAT: NativeFormat = {
  response: (plan) => textOutput(plan.answer.text, promptStop(plan.answer.stopReason)),
  stream: (plan) => mistralStream(plan, textOutput),
};

const CHAT_FORMAT: NativeFormat = {
  response: (plan) => chatOutput(plan.answer.text, promptStop(plan.answer.stopReason)),
  stream: (plan) => mistralStream(plan, chatOutput),
};

function checkMaxTokens(model: ModelSpec, maxTokens: number | undefined): void {
  if (maxTokens !== undefined && maxTokens > model.maxOutputTokens) {
    throw malformedInput(
      `#/max_tokens: ${maxTokens} is not less or equal to ${model.maxOutputTokens}`,
    );
  }
}

function chatConversation(body: MistralChatBody): Conversation {
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const message of body.messages) {
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content
            .map((part) => part.text ?? '')
            .filter(Boolean)
            .join('\n');
    if (message.role === 'system') system.push(text);
    else if (message.role === 'user' || message.role === 'assistant') {
      turns.push({ role: message.role, text, attachments: [] });
    }
  }
  if (!turns.some((turn) => turn.role === 'user')) {
    throw malformedInput('#/messages: a message with the role "user" is required');
  }
  return { system: system.join('\n'), turns };
}

/** A Mistral InvokeModel body: the `<s>[INST] … [/INST]` text completion, or the chat completion. */
export function mistralRequest(model: ModelSpec, raw: object): NativeRequest {
  const chat = CHAT.has(model.nativeName) && (!TEXT.has(model.nativeName) || 'messages' in raw);
  if (chat) {
    const body = parseWith(mistralChatBody, raw, 'schema');
    checkMaxTokens(model, body.max_tokens);
    return {
      format: CHAT_FORMAT,
      job: {
        ...conversationInput(model, chatConversation(body)),
        maxTokens: body.max_tokens ?? model.defaultMaxTokens,
        stopSequences: [],
      },
    };
  }
  const body = parseWith(mistralTextBody, raw, 'schema');
  checkMaxTokens(model, body.max_tokens);
  return {
    format: TEXT_FORMAT,
    job: {
      ...promptInput(model, body.prompt),
      maxTokens: body.max_tokens ?? model.defaultMaxTokens,
      stopSequences: body.stop ?? [],
    },
  };
}
