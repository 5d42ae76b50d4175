import type { ModelSpec } from './catalog.ts';
import type { Attachment, Conversation, Turn } from './conversation.ts';
import { lastUserText, parseHumanAssistantPrompt } from './conversation.ts';
import { checkDocumentNames, imageAttachment } from './converse-request.ts';
import { validationError } from './errors.ts';
import { conversationInput } from './job.ts';
import { chunk, closedByLastToken, invocationMetrics, messageId } from './native-shared.ts';
import type { NativeFormat, NativeRequest } from './native-shared.ts';
import { readThinking } from './reasoning.ts';
import type { Plan, StreamFormat, Timing } from './run.ts';
import { countPromptTokens } from './tokens.ts';
import { claudeMessagesBody, claudeTextBody, parseWith } from './validate.ts';
import type { ClaudeMessagesBody } from './validate.ts';

const HUMAN_TURN = '\n\nHuman:';

function messagesConversation(body: ClaudeMessagesBody): Conversation {
  const system =
    typeof body.system === 'string'
      ? body.system
      : (body.system ?? []).map((b) => b.text).join('\n');
  const first = body.messages[0];
  if (!first) throw validationError('messages: at least one message is required');
  if (first.role !== 'user')
    throw validationError('messages: first message must use the "user" role');
  const turns = body.messages.map((message, index): Turn => {
    const previous = body.messages[index - 1];
    if (previous?.role === message.role) {
      throw validationError(
        `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`,
      );
    }
    // Only a final assistant message (a prefill) may be empty.
    const final = index === body.messages.length - 1 && message.role === 'assistant';
    if (message.content.length === 0 && !final) {
      throw validationError(
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
    if (typeof message.content === 'string') {
      return { role: message.role, text: message.content, attachments: [] };
    }
    const texts: string[] = [];
    const attachments: Attachment[] = [];
    // `thinking` blocks of earlier answers are accepted and not read again, as by Claude.
    message.content.forEach((block, blockIndex) => {
      if (block.type === 'text') texts.push(block.text ?? '');
      const format = (block.source?.media_type ?? '').replace(/^(image|application)\//, '');
      if (block.type === 'image') {
        const at = `messages.${index}.content.${blockIndex}`;
        attachments.push(imageAttachment(format, block.source?.data, at));
      }
      if (block.type === 'document') {
        const data = Buffer.from(block.source?.data ?? '', 'base64');
        const title = (block as { title?: unknown }).title;
        const name = typeof title === 'string' ? title : 'document';
        attachments.push({ kind: 'document', format, name, bytes: data.length, data });
      }
    });
    return { role: message.role, text: texts.join('\n'), attachments };
  });
  checkDocumentNames(turns);
  return { system, turns };
}

function messagesResponse(plan: Plan): Record<string, unknown> {
  const { answer, job, reasoning } = plan;
  const thinking = reasoning
    ? [{ type: 'thinking', thinking: reasoning.text, signature: reasoning.signature }]
    : [];
  return {
    id: messageId(),
    type: 'message',
    role: 'assistant',
    model: job.model.nativeName,
    content: [...thinking, { type: 'text', text: answer.text }],
    stop_reason: answer.stopReason,
    stop_sequence: answer.stopSequence ?? null,
    usage: { input_tokens: job.inputTokens, output_tokens: plan.pieces.length },
  };
}

/**
 * Anthropic's stream: a thinking block (thinking_delta, then its signature_delta) before the text
 * block when thinking is on, each opened and closed with content_block_start / _stop.
 */
function messagesStream(plan: Plan): StreamFormat {
  const { answer, job, reasoning } = plan;
  const textIndex = reasoning ? 1 : 0;
  let textOpen = false;
  const openText = (): Uint8Array[] => {
    if (textOpen) return [];
    textOpen = true;
    const closeThinking = reasoning
      ? [
          chunk({
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'signature_delta', signature: reasoning.signature },
          }),
          chunk({ type: 'content_block_stop', index: 0 }),
        ]
      : [];
    return [
      ...closeThinking,
      chunk({
        type: 'content_block_start',
        index: textIndex,
        content_block: { type: 'text', text: '' },
      }),
    ];
  };
  return {
    start: () => [
      chunk({
        type: 'message_start',
        message: {
          id: messageId(),
          type: 'message',
          role: 'assistant',
          model: job.model.nativeName,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: job.inputTokens, output_tokens: 1 },
        },
      }),
      ...(reasoning
        ? [
            chunk({
              type: 'content_block_start',
              index: 0,
              content_block: { type: 'thinking', thinking: '', signature: '' },
            }),
          ]
        : openText()),
    ],
    token: (piece) =>
      piece.kind === 'reasoning'
        ? [
            chunk({
              type: 'content_block_delta',
              index: 0,
              delta: { type: 'thinking_delta', thinking: piece.text },
            }),
          ]
        : [
            ...openText(),
            chunk({
              type: 'content_block_delta',
              index: textIndex,
              delta: { type: 'text_delta', text: piece.text },
            }),
          ],
    finish: (timing) => [
      ...openText(),
      chunk({ type: 'content_block_stop', index: textIndex }),
      chunk({
        type: 'message_delta',
        delta: { stop_reason: answer.stopReason, stop_sequence: answer.stopSequence ?? null },
        usage: { output_tokens: plan.pieces.length },
      }),
      chunk({
        type: 'message_stop',
        'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing),
      }),
    ],
  };
}

const MESSAGES: NativeFormat = { response: messagesResponse, stream: messagesStream };

/** Claude v2's text completions: `stop_sequence` with the `\n\nHuman:` it stopped at. */
function textClosing(plan: Plan): Record<string, unknown> {
  const truncated = plan.answer.stopReason === 'max_tokens';
  return {
    stop_reason: truncated ? 'max_tokens' : 'stop_sequence',
    stop: truncated ? null : (plan.answer.stopSequence ?? HUMAN_TURN),
  };
}

const TEXT: NativeFormat = {
  response: (plan) => ({ type: 'completion', completion: plan.answer.text, ...textClosing(plan) }),
  stream: (plan) => {
    const final = (timing: Timing): Record<string, unknown> => ({
      ...textClosing(plan),
      'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing),
    });
    return closedByLastToken(
      (completion, _index, timing) => ({
        type: 'completion',
        completion,
        stop_reason: null,
        stop: null,
        ...(timing ? final(timing) : {}),
      }),
      (timing) => ({ type: 'completion', completion: '', ...final(timing) }),
    );
  },
};

function textRequest(model: ModelSpec, raw: object): NativeRequest {
  if (!model.textCompletions) {
    throw validationError(
      `"${model.nativeName}" is not supported on this API. Please use the Messages API instead.`,
    );
  }
  const body = parseWith(claudeTextBody, raw, 'schema');
  if (!/^[\s\S]*?\n\nHuman:/.test(body.prompt)) {
    throw validationError(
      'prompt must start with "\n\nHuman:" turn after an optional system prompt',
    );
  }
  if (!/\n\nAssistant:\s*$/.test(body.prompt)) {
    throw validationError('prompt must end with "\n\nAssistant:" turn');
  }
  const conversation = parseHumanAssistantPrompt(body.prompt);
  return {
    format: TEXT,
    job: {
      model,
      conversation,
      faultText: lastUserText(conversation),
      inputTokens: countPromptTokens(body.prompt),
      maxTokens: Math.min(body.max_tokens_to_sample, model.maxOutputTokens),
      stopSequences: body.stop_sequences ?? [],
    },
  };
}

/** A Claude InvokeModel body: the Messages API, or Claude v2's legacy text completions. */
export function claudeRequest(model: ModelSpec, raw: object): NativeRequest {
  if ('prompt' in raw) return textRequest(model, raw);
  const body = parseWith(claudeMessagesBody, raw, 'schema');
  if (body.anthropic_version !== 'bedrock-2023-05-31') {
    throw validationError('invalid anthropic_version: use "bedrock-2023-05-31"');
  }
  if (body.max_tokens > model.maxOutputTokens) {
    throw validationError(
      `max_tokens: ${body.max_tokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.nativeName}`,
    );
  }
  const thinking = readThinking(model, body.thinking, {
    maxTokens: body.max_tokens,
    temperature: body.temperature,
    topP: body.top_p,
    topK: body.top_k,
  });
  return {
    format: MESSAGES,
    job: {
      ...conversationInput(model, messagesConversation(body)),
      maxTokens: body.max_tokens,
      stopSequences: body.stop_sequences ?? [],
      thinking,
    },
  };
}
