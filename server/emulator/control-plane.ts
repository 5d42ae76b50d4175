import { BedrockError } from './errors.ts';
import { findModel, MODELS, modelArn } from './models.ts';
import type { ModelSpec } from './models.ts';

/** The FoundationModelSummary shape @aws-sdk/client-bedrock reads. */
function summary(model: ModelSpec, region: string): Record<string, unknown> {
  return {
    modelArn: modelArn(model, region),
    modelId: model.id,
    modelName: model.name,
    providerName: model.provider,
    inputModalities: model.images ? ['TEXT', 'IMAGE'] : ['TEXT'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    customizationsSupported: [],
    inferenceTypesSupported: ['ON_DEMAND'],
    modelLifecycle: { status: model.lifecycle },
  };
}

const first = (value: string | null): string | undefined => value ?? undefined;

/** ListFoundationModels, with the filters the console and SDK use. */
export function listFoundationModels(query: URLSearchParams, region: string): unknown {
  const provider = first(query.get('byProvider'))?.toLowerCase();
  const outputModality = first(query.get('byOutputModality'))?.toUpperCase();
  const inferenceType = first(query.get('byInferenceType'))?.toUpperCase();
  const customization = first(query.get('byCustomizationType'));
  const models = MODELS.filter(
    (model) =>
      (!provider || model.provider.toLowerCase() === provider) &&
      (!outputModality || outputModality === 'TEXT') &&
      (!inferenceType || inferenceType === 'ON_DEMAND') &&
      !customization,
  );
  return { modelSummaries: models.map((model) => summary(model, region)) };
}

/** GetFoundationModel for one id or ARN. */
export function getFoundationModel(identifier: string, region: string): unknown {
  const model = findModel(identifier);
  if (!model) {
    throw new BedrockError('ValidationException', 'The provided model identifier is invalid.');
  }
  return { modelDetails: summary(model, region) };
}
