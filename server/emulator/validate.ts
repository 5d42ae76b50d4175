import { z } from 'zod';
import { BedrockError, validationError } from './errors.ts';

// Schemas for the bodies the emulator reads. Types come from them; error wording is Bedrock's:
// smithy constraint messages for Converse, JSON-schema style "Malformed input request" for
// native InvokeModel bodies.

const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'] as const;
const DOCUMENT_FORMATS = ['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md'] as const;

const bytesSource = z.looseObject({ bytes: z.string().optional() });

const contentBlock = z.looseObject({
  text: z.string().optional(),
  image: z.object({ format: z.enum(IMAGE_FORMATS), source: bytesSource }).optional(),
  document: z
    .object({
      format: z.enum(DOCUMENT_FORMATS).optional(),
      name: z.string().min(1).max(200),
      source: z.looseObject({ bytes: z.string().optional(), text: z.string().optional() }),
    })
    .optional(),
});

const message = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.array(contentBlock),
});

const inferenceConfig = z.object({
  maxTokens: z.int().min(1).optional(),
  temperature: z.number().min(0).max(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  stopSequences: z.array(z.string().min(1)).max(2500).optional(),
});

const systemBlocks = z.array(z.looseObject({ text: z.string().min(1).optional() }));

export const converseBody = z.looseObject({
  messages: z.array(message),
  system: systemBlocks.optional(),
  inferenceConfig: inferenceConfig.optional(),
  toolConfig: z.unknown().optional(),
  additionalModelRequestFields: z.record(z.string(), z.unknown()).optional(),
  additionalModelResponseFieldPaths: z.array(z.string()).optional(),
});
export type ConverseBody = z.infer<typeof converseBody>;
export type ContentBlock = z.infer<typeof contentBlock>;

// A union: requests.ts checks that exactly one member is set before this schema runs.
export const countTokensBody = z.object({
  input: z.object({
    converse: z
      .looseObject({ messages: z.array(message), system: systemBlocks.optional() })
      .nullish(),
    invokeModel: z.object({ body: z.string() }).nullish(),
  }),
});

const claudeContent = z.union([
  z.string(),
  z.array(
    z.looseObject({
      type: z.string(),
      text: z.string().optional(),
      source: z
        .looseObject({
          type: z.string(),
          media_type: z.string().optional(),
          data: z.string().optional(),
        })
        .optional(),
    }),
  ),
]);

export const claudeMessagesBody = z.strictObject({
  anthropic_version: z.string(),
  anthropic_beta: z.array(z.string()).optional(),
  max_tokens: z.int().min(1),
  system: z
    .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string() }))])
    .optional(),
  messages: z.array(
    z.strictObject({ role: z.enum(['user', 'assistant']), content: claudeContent }),
  ),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.int().min(0).max(500).optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.unknown().optional(),
  tools: z.unknown().optional(),
  tool_choice: z.unknown().optional(),
  // Checked by readThinking, in Anthropic's words.
  thinking: z.unknown().optional(),
});
export type ClaudeMessagesBody = z.infer<typeof claudeMessagesBody>;

export const claudeTextBody = z.strictObject({
  prompt: z.string(),
  max_tokens_to_sample: z.int().min(1),
  anthropic_version: z.string().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.int().min(0).max(500).optional(),
  stop_sequences: z.array(z.string()).optional(),
});
export type ClaudeTextBody = z.infer<typeof claudeTextBody>;

export const llamaBody = z.strictObject({
  prompt: z.string(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_gen_len: z.int().min(1).max(2048).optional(),
});

/** Llama 3.2 11B/90B and Llama 4 also take base64 images. */
export const llamaVisionBody = llamaBody.extend({ images: z.array(z.string()).optional() });

const unit = z.number().min(0).max(1);

export const novaBody = z.strictObject({
  schemaVersion: z.enum(['messages-v1']).optional(),
  system: z.array(z.strictObject({ text: z.string() })).optional(),
  messages: z.array(
    z.strictObject({
      role: z.enum(['user', 'assistant']),
      content: z.array(
        z.strictObject({
          text: z.string().optional(),
          image: z.object({ format: z.enum(IMAGE_FORMATS), source: bytesSource }).optional(),
          video: z.unknown().optional(),
          toolUse: z.unknown().optional(),
          toolResult: z.unknown().optional(),
          cachePoint: z.unknown().optional(),
          reasoningContent: z.unknown().optional(),
        }),
      ),
    }),
  ),
  inferenceConfig: z
    .strictObject({
      maxTokens: z.int().min(1).optional(),
      max_new_tokens: z.int().min(1).optional(),
      temperature: unit.optional(),
      topP: unit.optional(),
      top_p: unit.optional(),
      topK: z.int().min(0).max(128).optional(),
      top_k: z.int().min(0).max(128).optional(),
      stopSequences: z.array(z.string()).max(4).optional(),
      stop_sequences: z.array(z.string()).max(4).optional(),
    })
    .optional(),
  toolConfig: z.unknown().optional(),
});

export const mistralTextBody = z.strictObject({
  prompt: z.string(),
  max_tokens: z.int().min(1).optional(),
  stop: z.array(z.string()).max(10).optional(),
  temperature: unit.optional(),
  top_p: unit.optional(),
  top_k: z.int().min(1).max(200).optional(),
});

export const mistralChatBody = z.strictObject({
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['system', 'user', 'assistant', 'tool']),
        content: z.union([
          z.string(),
          z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
        ]),
      }),
    )
    .min(1),
  max_tokens: z.int().min(1).optional(),
  temperature: unit.optional(),
  top_p: unit.optional(),
  tools: z.unknown().optional(),
  tool_choice: z.unknown().optional(),
});
export type MistralChatBody = z.infer<typeof mistralChatBody>;

const show = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

function smithyPath(path: readonly PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `${part + 1}.member` : String(part)))
    .join('.')
    .replace(/\.member$/, '');
}

function smithyIssue(issue: z.core.$ZodIssue): string {
  const at = smithyPath(issue.path);
  const value = 'input' in issue && issue.input !== undefined ? `'${show(issue.input)}' ` : '';
  const prefix = `Value ${value}at '${at}' failed to satisfy constraint: Member must`;
  switch (issue.code) {
    case 'invalid_type':
      // JSON null is how smithy's JSON protocols spell an unset member.
      return issue.input === undefined || issue.input === null
        ? `Value null at '${at}' failed to satisfy constraint: Member must not be null`
        : `${prefix} be of type ${issue.expected}`;
    case 'invalid_value':
      return `${prefix} satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    case 'too_big':
      return issue.origin === 'number' || issue.origin === 'int'
        ? `${prefix} have value less than or equal to ${String(issue.maximum)}`
        : `${prefix} have length less than or equal to ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'number' || issue.origin === 'int'
        ? `${prefix} have value greater than or equal to ${String(issue.minimum)}`
        : `${prefix} have length greater than or equal to ${String(issue.minimum)}`;
    default:
      return `${prefix} be valid`;
  }
}

/** Smithy's aggregated constraint message: "1 validation error detected: Value '1.5' at …". */
export function smithyValidationError(issues: readonly z.core.$ZodIssue[]): BedrockError {
  const count = issues.length;
  const noun = count === 1 ? 'error' : 'errors';
  return validationError(
    `${count} validation ${noun} detected: ${issues.map(smithyIssue).join('; ')}`,
  );
}

const JSON_TYPE_NAMES: Record<string, string> = {
  string: 'String',
  number: 'Number',
  int: 'Integer',
  boolean: 'Boolean',
  array: 'JSONArray',
  object: 'JSONObject',
};

/** A JSON value's type as the JSON-schema validator behind native bodies names it. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'Null';
  if (Array.isArray(value)) return 'JSONArray';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'BigDecimal';
  return JSON_TYPE_NAMES[typeof value] ?? 'JSONObject';
}

const pointer = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? '#' : `#/${path.map(String).join('/')}`;

function schemaIssue(issue: z.core.$ZodIssue): string {
  const at = pointer(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (!('input' in issue) || issue.input === undefined) {
        return `${pointer(issue.path.slice(0, -1))}: required key [${String(issue.path.at(-1))}] not found`;
      }
      return `${at}: expected type: ${JSON_TYPE_NAMES[issue.expected] ?? issue.expected}, found: ${jsonTypeOf(issue.input)}`;
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${at}: extraneous key [${key}] is not permitted`).join(', ');
    case 'too_big':
      return `${at}: ${show(issue.input)} is not less or equal to ${String(issue.maximum)}`;
    case 'too_small':
      return `${at}: ${show(issue.input)} is not greater or equal to ${String(issue.minimum)}`;
    case 'invalid_value':
      return `${at}: ${show(issue.input)} is not a valid enum value`;
    default:
      return `${at}: ${issue.message}`;
  }
}

/** The wording Bedrock uses when a native body fails the model's JSON schema. */
export function malformedInput(detail: string): BedrockError {
  return validationError(
    `Malformed input request: ${detail}, please reformat your input and try again.`,
  );
}

export function schemaValidationError(issues: readonly z.core.$ZodIssue[]): BedrockError {
  const [first] = issues;
  if (issues.length === 1 && first) return malformedInput(schemaIssue(first));
  return malformedInput(`${issues.length} schema violations found`);
}

/** Parses with a schema, turning failures into the given Bedrock error style. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, style: 'smithy' | 'schema'): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  throw style === 'smithy' ? smithyValidationError(issues) : schemaValidationError(issues);
}

/** JSON.parse with Bedrock's answer to a body that is not JSON. */
export function parseJson(bytes: Uint8Array, native: boolean): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    if (native) throw malformedInput(`expected a JSON object (${detail})`);
    throw new BedrockError('ValidationException', `The request body is not valid JSON: ${detail}`);
  }
}
