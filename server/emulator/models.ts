import { ACCESS_DENIED_MESSAGE, BedrockError, INVALID_MODEL_MESSAGE } from './errors.ts';

/** How a model's native InvokeModel body looks and how its prompt is templated. */
export type Family = 'claude' | 'llama2' | 'llama3';

/** One foundation model the emulator serves. */
export interface ModelSpec {
  id: string;
  name: string;
  provider: 'Anthropic' | 'Meta';
  family: Family;
  /** The `model` field of Claude's native responses. */
  nativeName: string;
  /** Upper bound of maxTokens / max_tokens / max_gen_len. */
  maxOutputTokens: number;
  /** Output budget when the request names none (Converse) or its native default. */
  defaultMaxTokens: number;
  /** Time to first token at speed 1, in milliseconds. */
  firstTokenMs: number;
  tokensPerSecond: number;
  /** Typical answer length in tokens, before any maxTokens truncation. */
  answerTokens: readonly [number, number];
  /** Claude v2 / Instant also accept the legacy `prompt` / `completion` body. */
  textCompletions: boolean;
  images: boolean;
  lifecycle: 'ACTIVE' | 'LEGACY';
}

const claude = (
  spec: Omit<ModelSpec, 'provider' | 'family' | 'maxOutputTokens' | 'defaultMaxTokens'>,
): ModelSpec => ({
  provider: 'Anthropic',
  family: 'claude',
  maxOutputTokens: 4096,
  defaultMaxTokens: 4096,
  ...spec,
});

const llama = (
  spec: Omit<
    ModelSpec,
    | 'provider'
    | 'maxOutputTokens'
    | 'defaultMaxTokens'
    | 'textCompletions'
    | 'images'
    | 'nativeName'
  >,
): ModelSpec => ({
  provider: 'Meta',
  maxOutputTokens: 2048,
  defaultMaxTokens: 512,
  textCompletions: false,
  images: false,
  nativeName: spec.id,
  ...spec,
});

// Pace figures are rough public measurements of these models on Bedrock: what matters is their
// order (Haiku quick, Opus slow, 70B slower than 13B), so side-by-side runs look believable.
export const MODELS: readonly ModelSpec[] = [
  claude({
    id: 'anthropic.claude-instant-v1',
    name: 'Claude Instant',
    nativeName: 'claude-instant-1.2',
    firstTokenMs: 420,
    tokensPerSecond: 95,
    answerTokens: [70, 110],
    textCompletions: true,
    images: false,
    lifecycle: 'LEGACY',
  }),
  claude({
    id: 'anthropic.claude-v2',
    name: 'Claude',
    nativeName: 'claude-2.0',
    firstTokenMs: 950,
    tokensPerSecond: 34,
    answerTokens: [120, 180],
    textCompletions: true,
    images: false,
    lifecycle: 'LEGACY',
  }),
  claude({
    id: 'anthropic.claude-v2:1',
    name: 'Claude',
    nativeName: 'claude-2.1',
    firstTokenMs: 1050,
    tokensPerSecond: 31,
    answerTokens: [130, 190],
    textCompletions: true,
    images: false,
    lifecycle: 'LEGACY',
  }),
  claude({
    id: 'anthropic.claude-3-haiku-20240307-v1:0',
    name: 'Claude 3 Haiku',
    nativeName: 'claude-3-haiku-20240307',
    firstTokenMs: 340,
    tokensPerSecond: 125,
    answerTokens: [80, 120],
    textCompletions: false,
    images: true,
    lifecycle: 'ACTIVE',
  }),
  claude({
    id: 'anthropic.claude-3-sonnet-20240229-v1:0',
    name: 'Claude 3 Sonnet',
    nativeName: 'claude-3-sonnet-20240229',
    firstTokenMs: 720,
    tokensPerSecond: 62,
    answerTokens: [130, 190],
    textCompletions: false,
    images: true,
    lifecycle: 'ACTIVE',
  }),
  claude({
    id: 'anthropic.claude-3-opus-20240229-v1:0',
    name: 'Claude 3 Opus',
    nativeName: 'claude-3-opus-20240229',
    firstTokenMs: 1700,
    tokensPerSecond: 26,
    answerTokens: [180, 250],
    textCompletions: false,
    images: true,
    lifecycle: 'ACTIVE',
  }),
  claude({
    id: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    name: 'Claude 3.5 Sonnet',
    nativeName: 'claude-3-5-sonnet-20240620',
    firstTokenMs: 640,
    tokensPerSecond: 78,
    answerTokens: [140, 210],
    textCompletions: false,
    images: true,
    lifecycle: 'ACTIVE',
  }),
  llama({
    id: 'meta.llama2-13b-chat-v1',
    name: 'Llama 2 Chat 13B',
    family: 'llama2',
    firstTokenMs: 380,
    tokensPerSecond: 58,
    answerTokens: [110, 170],
    lifecycle: 'LEGACY',
  }),
  llama({
    id: 'meta.llama2-70b-chat-v1',
    name: 'Llama 2 Chat 70B',
    family: 'llama2',
    firstTokenMs: 650,
    tokensPerSecond: 29,
    answerTokens: [140, 210],
    lifecycle: 'LEGACY',
  }),
  llama({
    id: 'meta.llama3-8b-instruct-v1:0',
    name: 'Llama 3 8B Instruct',
    family: 'llama3',
    firstTokenMs: 260,
    tokensPerSecond: 92,
    answerTokens: [90, 140],
    lifecycle: 'ACTIVE',
  }),
  llama({
    id: 'meta.llama3-70b-instruct-v1:0',
    name: 'Llama 3 70B Instruct',
    family: 'llama3',
    firstTokenMs: 520,
    tokensPerSecond: 41,
    answerTokens: [150, 230],
    lifecycle: 'ACTIVE',
  }),
];

const BY_ID = new Map(MODELS.map((model) => [model.id, model]));

export const modelArn = (model: ModelSpec, region = 'us-east-1'): string =>
  `arn:aws:bedrock:${region}::foundation-model/${model.id}`;

/**
 * Finds the model a path segment names: a model id, a foundation-model ARN, or a cross-region
 * inference profile id (`us.anthropic…`), which routes to the same model.
 */
export function findModel(identifier: string): ModelSpec | undefined {
  const arn =
    /^arn:aws(?:-[a-z-]+)?:bedrock:[a-z0-9-]*:\d*:(?:foundation-model|inference-profile)\/(.+)$/.exec(
      identifier,
    );
  const id = (arn?.[1] ?? identifier).replace(/^(?:us|eu|apac|us-gov)\./, '');
  return BY_ID.get(id);
}

/** Resolves the model of a runtime call, applying the deny list. */
export function resolveModel(identifier: string, deny: ReadonlySet<string>): ModelSpec {
  const model = findModel(identifier);
  if (!model) throw new BedrockError('ValidationException', INVALID_MODEL_MESSAGE);
  if (deny.has(model.id) || deny.has(identifier)) {
    throw new BedrockError('AccessDeniedException', ACCESS_DENIED_MESSAGE);
  }
  return model;
}

/** Milliseconds before the first token and between tokens, scaled by the emulator's speed. */
export function pacing(
  model: ModelSpec,
  speed: number,
): { firstTokenMs: number; intervalMs: number } {
  return {
    firstTokenMs: model.firstTokenMs * speed,
    intervalMs: (1000 / model.tokensPerSecond) * speed,
  };
}
