import type { Api } from '../notebook.ts';
import { MODEL_FACTS } from './facts.ts';
import type { AdapterFamily, ModelFacts } from './types.ts';

export { MODEL_FACTS, PRICES_AS_OF } from './facts.ts';
export type { AdapterFamily, Features, Geography, ModelFacts, Price } from './types.ts';

/**
 * The native families the exporters write and read (InvokeModel bodies rebuilt at run time,
 * answers parsed): the adapters know more (`adapterFamilyOf`); the exporters refuse the others
 * with a message that says to use Converse.
 */
export type ModelFamily = Extract<AdapterFamily, 'claude' | 'llama2' | 'llama3'>;

/** A model the playground can call through both APIs, with its facts. */
export interface ModelInfo extends ModelFacts {
  family: AdapterFamily;
  /** The Bedrock Runtime APIs the playground calls it through. */
  apis: readonly Api[];
}

const BOTH: readonly Api[] = ['converse', 'invoke'];

/**
 * The models with a native adapter, in the order a picker lists them: the fixed list the page
 * falls back on (the live catalog also offers models without an adapter, through Converse).
 */
export const MODELS: readonly ModelInfo[] = MODEL_FACTS.flatMap((model) =>
  model.family ? [{ ...model, family: model.family, apis: BOTH }] : [],
);

/**
 * Prefixes of system-defined inference profiles: the geographies (`us.`, `eu.`, `apac.`), the
 * newer country profiles (`jp.`, `au.`, `ca.`, `in.`), GovCloud's and `global.`.
 */
const PROFILE_PREFIX = /^(us|eu|apac|global|jp|au|ca|in|us-gov)\.(?=[a-z0-9-]+\.)/;
const FOUNDATION_MODEL_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+::foundation-model\/(.+)$/;
const PROFILE_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d*:inference-profile\/(.+)$/;

/** The bare model id of a model id or foundation-model ARN (other ARNs are returned as is). */
export function bareModelId(modelId: string): string {
  return FOUNDATION_MODEL_ARN.exec(modelId)?.[1] ?? modelId;
}

/**
 * The foundation model behind any identifier: a model id, a foundation-model ARN, a system
 * inference profile id (`us.anthropic.…`) or its ARN. An application profile's ARN names no model
 * and is returned as is.
 */
export function baseModelId(modelId: string): string {
  const id = PROFILE_ARN.exec(modelId)?.[1] ?? bareModelId(modelId);
  return id.replace(PROFILE_PREFIX, '');
}

/** The prefix of a system-defined profile id or ARN (`us`, `global` …), or undefined. */
export function profilePrefix(modelId: string): string | undefined {
  const id = PROFILE_ARN.exec(modelId)?.[1] ?? modelId;
  return PROFILE_PREFIX.exec(id)?.[1];
}

const BY_ID = new Map(MODEL_FACTS.map((model) => [model.id, model]));

/** The facts of the model behind a model id, ARN or inference profile id. */
export function findModel(modelId: string): ModelFacts | undefined {
  return BY_ID.get(baseModelId(modelId));
}

/** Id patterns for models newer than the facts: a family keeps its body across versions. */
const FAMILY_PATTERNS: readonly [RegExp, AdapterFamily][] = [
  [/^anthropic\.claude-/, 'claude'],
  [/^meta\.llama2-/, 'llama2'],
  // Llama 3.1, 3.2 and 3.3 keep the Llama 3 prompt format.
  [/^meta\.llama3-/, 'llama3'],
  [/^meta\.llama4-/, 'llama4'],
  // Nova's understanding models take messages-v1; Canvas, Reel and Sonic are not text models.
  [/^amazon\.nova-(?!canvas|reel|sonic)/, 'nova'],
  [/^mistral\./, 'mistral'],
];

/**
 * The native family of any model id, including versions newer than the facts and inference
 * profiles (`us.meta.llama3-1-…`); undefined when the playground has no native body for it.
 */
export function adapterFamilyOf(modelId: string): AdapterFamily | undefined {
  const known = findModel(modelId);
  if (known) return known.family;
  const id = baseModelId(modelId);
  return FAMILY_PATTERNS.find(([pattern]) => pattern.test(id))?.[1];
}

/** The family of a model when the exporters can write its native calls (see `ModelFamily`). */
export function familyOf(modelId: string): ModelFamily | undefined {
  const family = adapterFamilyOf(modelId);
  return family === 'claude' || family === 'llama2' || family === 'llama3' ? family : undefined;
}

/**
 * On-demand cost in USD of one call, or undefined for a model without a known price. A
 * geography profile costs the model's geography premium more where AWS charges one.
 */
export function estimateCost(
  modelId: string,
  inputTokens: number,
  outputTokens: number,
): number | undefined {
  const model = findModel(modelId);
  if (!model) return undefined;
  const prefix = profilePrefix(modelId);
  const premium = prefix && prefix !== 'global' ? (model.price.geographyPremium ?? 0) : 0;
  const cost =
    (inputTokens / 1000) * model.price.inputPer1k + (outputTokens / 1000) * model.price.outputPer1k;
  return cost * (1 + premium);
}
