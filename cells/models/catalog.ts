import type { Api } from '../notebook.ts';

/** A model family: one prompt template and one native body shape per family. */
export type ModelFamily = 'claude' | 'llama2' | 'llama3';

/** What the playground knows about one Bedrock foundation model. */
export interface ModelInfo {
  /** The Bedrock model id, e.g. `anthropic.claude-3-haiku-20240307-v1:0`. */
  id: string;
  /** What people call it, e.g. "Claude 3 Haiku". */
  name: string;
  provider: 'Anthropic' | 'Meta';
  family: ModelFamily;
  /** The Bedrock Runtime APIs the model answers through. */
  apis: readonly Api[];
  /** The most tokens one answer may have (`max_tokens` / `max_gen_len` ceiling). */
  maxOutputTokens: number;
  /** Prompt plus answer, in tokens. */
  contextWindow: number;
  /** On-demand price in USD per 1,000 tokens, us-east-1. */
  price: { inputPer1k: number; outputPer1k: number };
}

/**
 * The date of the price table below. Source: the on-demand tables of
 * https://aws.amazon.com/bedrock/pricing/ (us-east-1) as published in mid-2024, the period of
 * these model versions. Bedrock prices change (Llama 3 was later made cheaper): treat the cost
 * shown in the UI as an estimate and say so next to it. The Claude 3 rows were checked against
 * public price guides (they equal Anthropic's own list prices); the Claude 2 and Llama rows
 * could not be checked against a stored copy of the table.
 */
export const PRICES_AS_OF = '2024-07-01';

const both: readonly Api[] = ['converse', 'invoke'];

/** The models the playground offers, in the order a picker shows them. */
export const MODELS: readonly ModelInfo[] = [
  {
    id: 'anthropic.claude-instant-v1',
    name: 'Claude Instant',
    provider: 'Anthropic',
    family: 'claude',
    apis: both,
    maxOutputTokens: 4096,
    contextWindow: 100_000,
    price: { inputPer1k: 0.0008, outputPer1k: 0.0024 },
  },
  {
    id: 'anthropic.claude-v2',
    name: 'Claude 2',
    provider: 'Anthropic',
    family: 'claude',
    apis: both,
    maxOutputTokens: 4096,
    contextWindow: 100_000,
    price: { inputPer1k: 0.008, outputPer1k: 0.024 },
  },
  {
    id: 'anthropic.claude-v2:1',
    name: 'Claude 2.1',
    provider: 'Anthropic',
    family: 'claude',
    apis: both,
    maxOutputTokens: 4096,
    contextWindow: 200_000,
    price: { inputPer1k: 0.008, outputPer1k: 0.024 },
  },
  {
    id: 'anthropic.claude-3-haiku-20240307-v1:0',
    name: 'Claude 3 Haiku',
    provider: 'Anthropic',
    family: 'claude',
    apis: both,
    maxOutputTokens: 4096,
    contextWindow: 200_000,
    price: { inputPer1k: 0.00025, outputPer1k: 0.00125 },
  },
  {
    id: 'anthropic.claude-3-sonnet-20240229-v1:0',
    name: 'Claude 3 Sonnet',
    provider: 'Anthropic',
    family: 'claude',
    apis: both,
    maxOutputTokens: 4096,
    contextWindow: 200_000,
    price: { inputPer1k: 0.003, outputPer1k: 0.015 },
  },
  {
    id: 'anthropic.claude-3-opus-20240229-v1:0',
    name: 'Claude 3 Opus',
    provider: 'Anthropic',
    family: 'claude',
    apis: both,
    maxOutputTokens: 4096,
    contextWindow: 200_000,
    price: { inputPer1k: 0.015, outputPer1k: 0.075 },
  },
  {
    id: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    name: 'Claude 3.5 Sonnet',
    provider: 'Anthropic',
    family: 'claude',
    apis: both,
    maxOutputTokens: 4096,
    contextWindow: 200_000,
    price: { inputPer1k: 0.003, outputPer1k: 0.015 },
  },
  {
    id: 'meta.llama2-13b-chat-v1',
    name: 'Llama 2 13B Chat',
    provider: 'Meta',
    family: 'llama2',
    apis: both,
    maxOutputTokens: 2048,
    contextWindow: 4096,
    price: { inputPer1k: 0.00075, outputPer1k: 0.001 },
  },
  {
    id: 'meta.llama2-70b-chat-v1',
    name: 'Llama 2 70B Chat',
    provider: 'Meta',
    family: 'llama2',
    apis: both,
    maxOutputTokens: 2048,
    contextWindow: 4096,
    price: { inputPer1k: 0.00195, outputPer1k: 0.00256 },
  },
  {
    id: 'meta.llama3-8b-instruct-v1:0',
    name: 'Llama 3 8B Instruct',
    provider: 'Meta',
    family: 'llama3',
    apis: both,
    maxOutputTokens: 2048,
    contextWindow: 8192,
    price: { inputPer1k: 0.0003, outputPer1k: 0.0006 },
  },
  {
    id: 'meta.llama3-70b-instruct-v1:0',
    name: 'Llama 3 70B Instruct',
    provider: 'Meta',
    family: 'llama3',
    apis: both,
    maxOutputTokens: 2048,
    contextWindow: 8192,
    price: { inputPer1k: 0.00265, outputPer1k: 0.0035 },
  },
];

const FOUNDATION_MODEL_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+::foundation-model\/(.+)$/;

/** The bare model id of a model id or foundation-model ARN (other ARNs are returned as is). */
export function bareModelId(modelId: string): string {
  return FOUNDATION_MODEL_ARN.exec(modelId)?.[1] ?? modelId;
}

/** The catalog entry for a model id or `arn:aws:bedrock:<region>::foundation-model/<id>`. */
export function findModel(modelId: string): ModelInfo | undefined {
  const id = bareModelId(modelId);
  return MODELS.find((m) => m.id === id);
}

/**
 * The family of any model id, including ones not in the catalog: newer versions, and
 * cross-region inference profiles such as `us.anthropic.claude-…` or `us.meta.llama3-1-…`.
 */
export function familyOf(modelId: string): ModelFamily | undefined {
  const known = findModel(modelId);
  if (known) return known.family;
  const id = bareModelId(modelId);
  if (/(^|[./])anthropic\.claude-/.test(id)) return 'claude';
  if (/(^|[./])meta\.llama2-/.test(id)) return 'llama2';
  // Llama 3.1, 3.2 and 3.3 keep the Llama 3 prompt format.
  if (/(^|[./])meta\.llama3-/.test(id)) return 'llama3';
  return undefined;
}

/** On-demand cost in USD of one call, or undefined for a model without a known price. */
export function estimateCost(
  modelId: string,
  inputTokens: number,
  outputTokens: number,
): number | undefined {
  const model = findModel(modelId);
  if (!model) return undefined;
  return (
    (inputTokens / 1000) * model.price.inputPer1k + (outputTokens / 1000) * model.price.outputPer1k
  );
}
