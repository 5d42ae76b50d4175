import { CATALOG } from './catalog.ts';
import type { ModelSpec } from './catalog.ts';
import { BedrockError, validationError } from './errors.ts';
import { MODELS, findModel, isOnDemand, offeredIn, resolveFoundationModel } from './models.ts';
import {
  findProfile,
  foundationModelArn,
  profileArn,
  profileDescription,
  profileName,
  profilesFor,
  servesRegion,
} from './profiles.ts';
import type { SystemProfile } from './profiles.ts';

// The control plane (service `bedrock`, 2023-04-20) as the caller's Region sees it: the models
// that Region offers, with the inference types it offers them through, and the system-defined
// profiles a client there may call.

const CREATED = `${CATALOG.readOn}T00:00:00Z`;

/** The inference types of a model in a Region: ON_DEMAND and/or INFERENCE_PROFILE. */
function inferenceTypes(model: ModelSpec, region: string): string[] {
  const types: string[] = [];
  if (isOnDemand(model, region)) types.push('ON_DEMAND');
  if (profilesFor(region).some((profile) => profile.model === model)) {
    types.push('INFERENCE_PROFILE');
  }
  return types;
}

/** The FoundationModelSummary / FoundationModelDetails shape. */
function summary(model: ModelSpec, region: string): Record<string, unknown> {
  return {
    modelArn: foundationModelArn(model, region),
    modelId: model.id,
    modelName: model.name,
    providerName: model.provider,
    inputModalities: model.inputModalities,
    outputModalities: model.outputModalities,
    responseStreamingSupported: model.streaming,
    customizationsSupported: [],
    inferenceTypesSupported: inferenceTypes(model, region),
    modelLifecycle: { status: model.lifecycle },
  };
}

/** Smithy's message for a query value outside its enum. */
function checkEnum(query: URLSearchParams, name: string, values: readonly string[]): string | null {
  const value = query.get(name);
  if (value !== null && !values.includes(value)) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return value;
}

/** ListFoundationModels: the models the caller's Region offers, with the console's filters. */
export function listFoundationModels(query: URLSearchParams, region: string): unknown {
  const provider = query.get('byProvider')?.toLowerCase();
  const output = checkEnum(query, 'byOutputModality', ['TEXT', 'IMAGE', 'EMBEDDING']);
  const inference = checkEnum(query, 'byInferenceType', ['ON_DEMAND', 'PROVISIONED']);
  const customization = checkEnum(query, 'byCustomizationType', [
    'FINE_TUNING',
    'CONTINUED_PRE_TRAINING',
    'DISTILLATION',
  ]);
  const models = MODELS.filter(
    (model) =>
      offeredIn(model, region) &&
      (!provider || model.provider.toLowerCase() === provider) &&
      (!output || model.outputModalities.includes(output)) &&
      (!inference || inferenceTypes(model, region).includes(inference)) &&
      !customization,
  );
  return { modelSummaries: models.map((model) => summary(model, region)) };
}

const NOT_FOUND = 'Could not resolve the foundation model from the provided model identifier.';

/** GetFoundationModel for a model id or foundation-model ARN the Region offers. */
export function getFoundationModel(identifier: string, region: string): unknown {
  const model = resolveFoundationModel(identifier, region);
  if (!model) throw new BedrockError('ResourceNotFoundException', NOT_FOUND);
  return { modelDetails: summary(model, region) };
}

/**
 * GetFoundationModelAvailability: whether the caller may use the model in its Region. Models on
 * the deny list are the ones whose access was not granted.
 */
export function getFoundationModelAvailability(
  modelId: string,
  region: string,
  deny: ReadonlySet<string>,
): unknown {
  const model = findModel(modelId);
  if (!model) throw new BedrockError('ResourceNotFoundException', NOT_FOUND);
  const granted = !deny.has(model.id);
  return {
    modelId: model.id,
    agreementAvailability: { status: 'AVAILABLE' },
    authorizationStatus: granted ? 'AUTHORIZED' : 'NOT_AUTHORIZED',
    entitlementAvailability: granted ? 'AVAILABLE' : 'NOT_AVAILABLE',
    regionAvailability: offeredIn(model, region) ? 'AVAILABLE' : 'NOT_AVAILABLE',
  };
}

/** The InferenceProfileSummary / GetInferenceProfile shape of a system-defined profile. */
function profileSummary(profile: SystemProfile, region: string): Record<string, unknown> {
  return {
    inferenceProfileName: profileName(profile),
    description: profileDescription(profile),
    createdAt: CREATED,
    updatedAt: CREATED,
    inferenceProfileArn: profileArn(profile, region),
    models: profile.regions.map((destination) => ({
      modelArn: foundationModelArn(profile.model, destination),
    })),
    inferenceProfileId: profile.id,
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
  };
}

const MAX_RESULTS = 1000;

/** The opaque nextToken: where the next page starts. */
const encodeToken = (offset: number): string =>
  Buffer.from(JSON.stringify({ offset })).toString('base64url');

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      offset?: unknown;
    };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // reported below
  }
  throw validationError(
    'The nextToken is not valid. Try again with the token a previous response returned.',
  );
}

function pageSize(query: URLSearchParams): number {
  const raw = query.get('maxResults');
  if (raw === null) return MAX_RESULTS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_RESULTS) {
    const bound = value < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_RESULTS}`;
    throw validationError(
      `1 validation error detected: Value '${raw}' at 'maxResults' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
  return value;
}

/** ListInferenceProfiles: the system-defined profiles a client in `region` may call, by pages. */
export function listInferenceProfiles(query: URLSearchParams, region: string): unknown {
  const type = checkEnum(query, 'type', ['SYSTEM_DEFINED', 'APPLICATION']);
  const all = type === 'APPLICATION' ? [] : profilesFor(region);
  const token = query.get('nextToken');
  const start = token === null ? 0 : decodeToken(token);
  const end = start + pageSize(query);
  return {
    inferenceProfileSummaries: all
      .slice(start, end)
      .map((profile) => profileSummary(profile, region)),
    ...(end < all.length ? { nextToken: encodeToken(end) } : {}),
  };
}

/** GetInferenceProfile by id or ARN; a profile of another geography does not exist here. */
export function getInferenceProfile(identifier: string, region: string): unknown {
  const arn = /^arn:aws:bedrock:([a-z0-9-]*):\d*:inference-profile\/(.+)$/.exec(identifier);
  const profile = findProfile(arn?.[2] ?? identifier);
  if (!profile || !servesRegion(profile, region) || (arn && arn[1] !== region)) {
    throw new BedrockError(
      'ResourceNotFoundException',
      `Inference profile ${identifier} does not exist in ${region}.`,
    );
  }
  return profileSummary(profile, region);
}
