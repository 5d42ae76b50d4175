import type { ModelSpec } from './catalog.ts';
import type { Attachment, Conversation, Turn } from './conversation.ts';
import { unreachable, validationError } from './errors.ts';
import { conversationInput } from './job.ts';
import type { Job } from './job.ts';
import { readThinking } from './reasoning.ts';
import { readImageHeader } from './media.ts';
import { converseBody, malformedInput, parseWith } from './validate.ts';
import type { ContentBlock, ConverseBody } from './validate.ts';

const MAX_IMAGES = 20;
/** 3.75 MB of image is 5 MB once base64-encoded: the limit the model checks. */
const MAX_IMAGE_BASE64 = 5 * 1024 * 1024;
const MAX_DOCUMENTS = 5;
const MAX_DOCUMENT_BYTES = 4.5 * 1024 * 1024;
const DOCUMENT_NAME = /^(?:[A-Za-z0-9()[\]-]|(?<! ) )+$/;

/** How Bedrock prefixes an error the model itself returned to a Converse request. */
export const MODEL_ERRORS = 'The model returned the following errors: ';

export const base64Length = (data: string | undefined): number =>
  data ? Buffer.byteLength(data, 'base64') : 0;

/**
 * An image's bytes checked as Bedrock checks them: the header must say the declared format,
 * and the base64 the model receives may be at most 5 MB (so 3.75 MB of image).
 */
export function imageAttachment(
  format: string,
  base64: string | undefined,
  at: string,
): Attachment {
  const encoded = base64?.length ?? 0;
  if (encoded > MAX_IMAGE_BASE64) {
    throw validationError(
      `${MODEL_ERRORS}${at}.image.source: image exceeds 5 MB maximum: ${encoded} bytes > ${MAX_IMAGE_BASE64} bytes`,
    );
  }
  const data = Buffer.from(base64 ?? '', 'base64');
  if (readImageHeader(data)?.format !== format) {
    throw validationError(
      `${MODEL_ERRORS}The provided image does not match the specified image format.`,
    );
  }
  return { kind: 'image', format, bytes: data.length, data };
}

/** What Bedrock says of two documents with one name in a request. */
const DUPLICATE_NAMES =
  "Messages can't contain duplicate document names. Rename the document and retry your request.";

/** Refuses a request whose documents (across all its messages) share a name. */
export function checkDocumentNames(turns: readonly Turn[]): void {
  const names = turns.flatMap((turn) => turn.attachments).flatMap((a) => (a.name ? [a.name] : []));
  if (new Set(names).size !== names.length) throw validationError(DUPLICATE_NAMES);
}

const unsupportedBlock = (kind: string): Error =>
  validationError(
    `This model doesn't support the ${kind} content block that you provided. Try again with a supported content block.`,
  );

function checkImage(
  model: ModelSpec,
  image: NonNullable<ContentBlock['image']>,
  at: string,
): Attachment {
  if (!model.features.imageInput) throw unsupportedBlock('image');
  return imageAttachment(image.format, image.source.bytes, at);
}

function checkDocument(
  model: ModelSpec,
  document: NonNullable<ContentBlock['document']>,
): Attachment {
  if (!model.features.documentChat) throw unsupportedBlock('document');
  const { name, format, source } = document;
  if (!DOCUMENT_NAME.test(name)) {
    throw validationError(
      "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.",
    );
  }
  const data = source.bytes
    ? Buffer.from(source.bytes, 'base64')
    : Buffer.from(source.text ?? '', 'utf8');
  if (data.length > MAX_DOCUMENT_BYTES) {
    throw validationError(
      `The document "${name}" is ${data.length} bytes, above the maximum of 4.5 MB. Reduce the document size and try again.`,
    );
  }
  return { kind: 'document', format: format ?? 'txt', name, bytes: data.length, data };
}

function converseTurns(model: ModelSpec, list: ConverseBody['messages']): Turn[] {
  const first = list[0];
  if (!first || first.role !== 'user') {
    throw validationError(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
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
    // Reasoning blocks of earlier answers are accepted and, as by Claude, not read again.
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
        attachments.push(checkImage(model, block.image, `messages.${index}.content.${blockIndex}`));
      }
      if (block.document) attachments.push(checkDocument(model, block.document));
    });
    return { role: message.role, text: texts.join('\n'), attachments };
  });
  const count = (kind: Attachment['kind']): number =>
    turns.flatMap((turn) => turn.attachments).filter((item) => item.kind === kind).length;
  if (count('image') > MAX_IMAGES) {
    throw validationError(
      `The request contains ${count('image')} images. You can include up to ${MAX_IMAGES} images in a request. Remove some images and try again.`,
    );
  }
  if (count('document') > MAX_DOCUMENTS) {
    throw validationError(`You can't include more than ${MAX_DOCUMENTS} documents in a request.`);
  }
  checkDocumentNames(turns);
  return turns;
}

const systemText = (blocks: { text?: string | undefined }[] | undefined): string =>
  (blocks ?? [])
    .map((block) => block.text ?? '')
    .filter(Boolean)
    .join('\n');

/** The messages and system prompt of a Converse-shaped request, checked against the model. */
export function converseConversation(
  model: ModelSpec,
  body: Pick<ConverseBody, 'messages' | 'system'>,
): Conversation {
  const system = systemText(body.system);
  if (system && !model.features.systemPrompt) {
    throw validationError(
      "This model doesn't support system messages. Try again without a system message.",
    );
  }
  return { system, turns: converseTurns(model, body.messages) };
}

/** The `additionalModelRequestFields` each family's native body accepts through Converse. */
function allowedFields(model: ModelSpec): ReadonlySet<string> {
  switch (model.family) {
    case 'claude':
      return new Set(['top_k', 'thinking', 'anthropic_beta']);
    case 'nova':
      return new Set(['inferenceConfig']);
    case 'mistral':
      return new Set(['top_k']);
    case 'llama2':
    case 'llama3':
    case 'llama4':
      return new Set();
    default:
      return unreachable(model.family);
  }
}

/**
 * Extra fields go into the model's native body, so the model's own validator judges them:
 * Anthropic's words for Claude, the JSON-schema wording of the other native bodies.
 */
function checkAdditionalFields(model: ModelSpec, fields: Record<string, unknown>): void {
  const allowed = allowedFields(model);
  for (const key of Object.keys(fields)) {
    if (allowed.has(key)) continue;
    if (model.family === 'claude') {
      throw validationError(`${MODEL_ERRORS}${key}: Extra inputs are not permitted`);
    }
    throw malformedInput(`#: extraneous key [${key}] is not permitted`);
  }
}

const tooManyTokens = (limit: number): Error =>
  validationError(
    `The maximum tokens you requested exceeds the model limit of ${limit}. Try again with a maximum tokens value that is lower than ${limit}.`,
  );

/** A Converse / ConverseStream request body as a job. */
export function converseJob(model: ModelSpec, raw: unknown): Job {
  const body = parseWith(converseBody, raw, 'smithy');
  const config = body.inferenceConfig ?? {};
  if (config.maxTokens !== undefined && config.maxTokens > model.maxOutputTokens) {
    throw tooManyTokens(model.maxOutputTokens);
  }
  const fields = body.additionalModelRequestFields ?? {};
  checkAdditionalFields(model, fields);
  if (body.toolConfig !== undefined && !model.features.toolUse) {
    throw validationError("This model doesn't support tool use.");
  }
  const maxTokens = config.maxTokens ?? model.defaultMaxTokens;
  const topK = fields.top_k;
  const thinking = readThinking(
    model,
    fields.thinking,
    {
      maxTokens,
      temperature: config.temperature,
      topP: config.topP,
      topK: typeof topK === 'number' ? topK : undefined,
    },
    MODEL_ERRORS,
  );
  return {
    ...conversationInput(model, converseConversation(model, body)),
    maxTokens,
    stopSequences: config.stopSequences ?? [],
    thinking,
  };
}
