import type { Attachment, Conversation, Turn } from './conversation.ts';
import {
  lastUserText,
  llama2Prompt,
  llama3Prompt,
  parseHumanAssistantPrompt,
  parseLlamaPrompt,
} from './conversation.ts';
import { validationError } from './errors.ts';
import type { ModelSpec } from './models.ts';
import { countConversationTokens, countPromptTokens } from './tokens.ts';
import {
  claudeMessagesBody,
  claudeTextBody,
  converseBody,
  countTokensBody,
  jsonTypeOf,
  llamaBody,
  malformedInput,
  parseWith,
} from './validate.ts';
import type { ClaudeMessagesBody, ContentBlock, ConverseBody } from './validate.ts';

/** One inference request, whatever its wire format, reduced to what generation needs. */
export interface Job {
  model: ModelSpec;
  /** The conversation the answer is composed from. */
  conversation: Conversation;
  /** The raw last user message, where fault directives are read. */
  faultText: string;
  inputTokens: number;
  maxTokens: number;
  stopSequences: string[];
}

/** Which native body an InvokeModel request carried. */
export type NativeFlavor = 'claude-messages' | 'claude-text' | 'llama';

const MAX_IMAGES = 20;
const MAX_IMAGE_BYTES = 3.75 * 1024 * 1024;
const MAX_DOCUMENTS = 5;
const MAX_DOCUMENT_BYTES = 4.5 * 1024 * 1024;
const DOCUMENT_NAME = /^(?:[A-Za-z0-9()[\]-]|(?<! ) )+$/;

const base64Length = (data: string | undefined): number =>
  data ? Buffer.byteLength(data, 'base64') : 0;

const tooManyTokens = (limit: number): Error =>
  validationError(
    `The maximum tokens you requested exceeds the model limit of ${limit}. Try again with a maximum tokens value that is lower than ${limit}.`,
  );

function converseTurns(model: ModelSpec, list: ConverseBody['messages']): Turn[] {
  const first = list[0];
  if (!first || first.role !== 'user') {
    throw validationError(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  let images = 0;
  let documents = 0;
  const turns = list.map((message, index): Turn => {
    const previous = list[index - 1];
    if (previous && previous.role === message.role) {
      throw validationError(
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    if (message.content.length === 0) {
      throw validationError(
        `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`,
      );
    }
    const texts: string[] = [];
    const attachments: Attachment[] = [];
    message.content.forEach((block: ContentBlock, blockIndex) => {
      if (block.text !== undefined) {
        if (!block.text.trim()) {
          throw validationError(
            `The text field in the ContentBlock object at messages.${index}.content.${blockIndex} is blank. Add text to the text field, and try again.`,
          );
        }
        texts.push(block.text);
      }
      if (block.image) {
        if (!model.images) {
          throw validationError(
            "This model doesn't support the image content block that you provided. Try again with a supported content block.",
          );
        }
        const bytes = base64Length(block.image.source.bytes);
        if (bytes > MAX_IMAGE_BYTES) {
          throw validationError(
            `The image at messages.${index}.content.${blockIndex} is ${bytes} bytes, above the maximum of 3.75 MB. Reduce the image size and try again.`,
          );
        }
        images += 1;
        attachments.push({ kind: 'image', format: block.image.format, bytes });
      }
      if (block.document) {
        const { name, format, source } = block.document;
        if (!DOCUMENT_NAME.test(name)) {
          throw validationError(
            "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.",
          );
        }
        const bytes = source.bytes
          ? base64Length(source.bytes)
          : Buffer.byteLength(source.text ?? '');
        if (bytes > MAX_DOCUMENT_BYTES) {
          throw validationError(
            `The document "${name}" is ${bytes} bytes, above the maximum of 4.5 MB. Reduce the document size and try again.`,
          );
        }
        documents += 1;
        attachments.push({ kind: 'document', format: format ?? 'txt', name, bytes });
      }
    });
    return { role: message.role, text: texts.join('\n'), attachments };
  });
  if (images > MAX_IMAGES) {
    throw validationError(
      `The request contains ${images} images. You can include up to ${MAX_IMAGES} images in a request. Remove some images and try again.`,
    );
  }
  if (documents > MAX_DOCUMENTS) {
    throw validationError(
      `The request contains ${documents} documents. You can include up to ${MAX_DOCUMENTS} documents in a request. Remove some documents and try again.`,
    );
  }
  return turns;
}

const systemText = (blocks: { text?: string | undefined }[] | undefined): string =>
  (blocks ?? [])
    .map((block) => block.text ?? '')
    .filter(Boolean)
    .join('\n');

/** Llama sees a templated prompt; Bedrock applies the template to Converse requests itself. */
function llamaFromConversation(model: ModelSpec, conversation: Conversation): string {
  return model.family === 'llama2' ? llama2Prompt(conversation) : llama3Prompt(conversation);
}

function checkAdditionalFields(
  model: ModelSpec,
  fields: Record<string, unknown> | undefined,
): void {
  const allowed = model.family === 'claude' ? new Set(['top_k']) : new Set<string>();
  for (const key of Object.keys(fields ?? {})) {
    if (!allowed.has(key)) throw malformedInput(`#: extraneous key [${key}] is not permitted`);
  }
}

/** A Converse / ConverseStream request body as a job. */
export function converseJob(model: ModelSpec, raw: unknown): Job {
  const body = parseWith(converseBody, raw, 'smithy');
  const config = body.inferenceConfig ?? {};
  if (config.maxTokens !== undefined && config.maxTokens > model.maxOutputTokens) {
    throw tooManyTokens(model.maxOutputTokens);
  }
  checkAdditionalFields(model, body.additionalModelRequestFields);
  const conversation = converseConversation(model, body);
  return {
    ...conversationJob(model, conversation),
    maxTokens: config.maxTokens ?? model.defaultMaxTokens,
    stopSequences: config.stopSequences ?? [],
  };
}

function converseConversation(
  model: ModelSpec,
  body: Pick<ConverseBody, 'messages' | 'system'>,
): Conversation {
  return { system: systemText(body.system), turns: converseTurns(model, body.messages) };
}

/** Input side of a job: what the model reads and how many tokens that is. */
function conversationJob(
  model: ModelSpec,
  conversation: Conversation,
): Pick<Job, 'model' | 'conversation' | 'faultText' | 'inputTokens'> {
  if (model.family === 'claude') {
    return {
      model,
      conversation,
      faultText: lastUserText(conversation),
      inputTokens: countConversationTokens(conversation),
    };
  }
  return llamaPromptJob(model, llamaFromConversation(model, conversation));
}

function llamaPromptJob(
  model: ModelSpec,
  prompt: string,
): Pick<Job, 'model' | 'conversation' | 'faultText' | 'inputTokens'> {
  const conversation = parseLlamaPrompt(prompt);
  return {
    model,
    conversation,
    faultText: lastUserText(conversation),
    inputTokens: countPromptTokens(prompt),
  };
}

function claudeMessagesConversation(body: ClaudeMessagesBody): Conversation {
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
    for (const block of message.content) {
      if (block.type === 'text') texts.push(block.text ?? '');
      if (block.type === 'image') {
        attachments.push({
          kind: 'image',
          format: (block.source?.media_type ?? 'image/png').replace('image/', ''),
          bytes: base64Length(block.source?.data),
        });
      }
    }
    return { role: message.role, text: texts.join('\n'), attachments };
  });
  return { system, turns };
}

/** An InvokeModel body in the model's native format as a job. */
export function nativeJob(model: ModelSpec, raw: unknown): { job: Job; flavor: NativeFlavor } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw malformedInput(`#: expected type: JSONObject, found: ${jsonTypeOf(raw)}`);
  }
  if (model.family !== 'claude') {
    const body = parseWith(llamaBody, raw, 'schema');
    return {
      flavor: 'llama',
      job: {
        ...llamaPromptJob(model, body.prompt),
        maxTokens: body.max_gen_len ?? model.defaultMaxTokens,
        stopSequences: [],
      },
    };
  }
  if ('prompt' in raw) {
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
      flavor: 'claude-text',
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
  const body = parseWith(claudeMessagesBody, raw, 'schema');
  if (body.anthropic_version !== 'bedrock-2023-05-31') {
    throw validationError('invalid anthropic_version: use "bedrock-2023-05-31"');
  }
  if (body.max_tokens > model.maxOutputTokens) {
    throw validationError(
      `max_tokens: ${body.max_tokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.nativeName}`,
    );
  }
  const conversation = claudeMessagesConversation(body);
  return {
    flavor: 'claude-messages',
    job: {
      ...conversationJob(model, conversation),
      maxTokens: body.max_tokens,
      stopSequences: body.stop_sequences ?? [],
    },
  };
}

const COUNT_TOKENS_MEMBERS = ['converse', 'invokeModel'] as const;

const countTokensUnionError = (set: number): Error =>
  validationError(
    `The input field is a CountTokensInput union: set exactly one of its members (converse, invokeModel), but ${set === 0 ? 'none is' : `${set} are`} set.`,
  );

/**
 * CountTokensInput is a union: exactly one member may be set, JSON null counting as unset as in
 * smithy's JSON protocols. Checked before the members' constraints, as a deserializer would.
 */
function checkCountTokensUnion(raw: unknown): void {
  const input = (raw as { input?: unknown } | null)?.input;
  if (typeof input !== 'object' || input === null) return; // the schema reports it
  const set = COUNT_TOKENS_MEMBERS.filter(
    (member) => (input as Record<string, unknown>)[member] != null,
  ).length;
  if (set !== 1) throw countTokensUnionError(set);
}

/** CountTokens: the input tokens the same request would report when run. */
export function countInputTokens(model: ModelSpec, raw: unknown): number {
  checkCountTokensUnion(raw);
  const { input } = parseWith(countTokensBody, raw, 'smithy');
  if (input.converse)
    return conversationJob(model, converseConversation(model, input.converse)).inputTokens;
  if (!input.invokeModel) throw countTokensUnionError(0);
  let native: unknown;
  try {
    native = JSON.parse(Buffer.from(input.invokeModel.body, 'base64').toString('utf8'));
  } catch {
    throw malformedInput('#: expected type: JSONObject, found: String');
  }
  return nativeJob(model, native).job.inputTokens;
}
