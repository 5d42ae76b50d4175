import { z } from 'zod';
import { ApiSchema } from '../notebook.ts';
import { adapterFamilyOf, baseModelId, findModel, MODEL_FACTS, PRICES_AS_OF } from './catalog.ts';
import type { AdapterFamily, Geography, ModelFacts } from './types.ts';
import { geographyOf } from './regions.ts';

/**
 * The model catalog the page shows: Bedrock's own list for the backend's Region (foundation
 * models, system inference profiles, access), joined with the project's facts; or, when the
 * control plane cannot be read, the facts alone, saying so. Shared by the server, which builds
 * it, and the page, which parses it.
 */

export const CatalogProfileSchema = z.object({
  /** `us.anthropic.claude-sonnet-4-20250514-v1:0` */
  id: z.string(),
  arn: z.string().nullable(),
  /** "US Anthropic Claude Sonnet 4" */
  name: z.string(),
  /** The id's prefix: `us`, `eu`, `apac`, `global` … */
  prefix: z.string(),
  /** Where it routes requests (empty when unknown). */
  regions: z.array(z.string()),
  /** The foundation models it contains. */
  modelIds: z.array(z.string()),
});
export type CatalogProfile = z.infer<typeof CatalogProfileSchema>;

const PriceSchema = z.object({
  inputPer1k: z.number(),
  outputPer1k: z.number(),
  checked: z.boolean(),
  geographyPremium: z.number().optional(),
});

export const CatalogModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  /** The native body family, or null: the model runs through Converse only. */
  family: z.string().nullable(),
  apis: z.array(ApiSchema).min(1),
  lifecycle: z.string(),
  inputModalities: z.array(z.string()),
  outputModalities: z.array(z.string()),
  streaming: z.boolean(),
  /** In the catalog's Region: `ON_DEMAND` (the base id answers), `INFERENCE_PROFILE`. */
  inferenceTypes: z.array(z.string()),
  /** Whether this account may call the model here; `unknown` when Bedrock could not say. */
  access: z.enum(['granted', 'not-granted', 'unknown']),
  features: z
    .object({
      reasoning: z.boolean(),
      toolUse: z.boolean(),
      documents: z.boolean(),
      systemPrompt: z.boolean(),
    })
    .nullable(),
  maxOutputTokens: z.number().nullable(),
  contextWindow: z.number().nullable(),
  price: PriceSchema.nullable(),
  /** The ids of the profiles that contain the model and this Region may call. */
  profiles: z.array(z.string()),
  /** What a target invokes when the model is picked: see `preferredModelId`. */
  preferred: z.string(),
});
export type CatalogModel = z.infer<typeof CatalogModelSchema>;

export const CatalogSchema = z.object({
  /** `live`: from the backend's control plane; `static`: the project's facts only. */
  source: z.enum(['live', 'static']),
  region: z.string(),
  /** When the live catalog was read (ISO 8601); null for the static one. */
  fetchedAt: z.string().nullable(),
  /** One sentence on where the list comes from, and why it is the static one when it is. */
  note: z.string(),
  pricesAsOf: z.string(),
  models: z.array(CatalogModelSchema),
  profiles: z.array(CatalogProfileSchema),
});
export type Catalog = z.infer<typeof CatalogSchema>;

/** The parts of a ListFoundationModels summary the catalog reads (the SDK's shape). */
export interface FoundationModelLike {
  modelId?: string;
  modelName?: string;
  providerName?: string;
  inputModalities?: string[];
  outputModalities?: string[];
  responseStreamingSupported?: boolean;
  inferenceTypesSupported?: string[];
  modelLifecycle?: { status?: string };
}

/** The parts of a ListInferenceProfiles summary the catalog reads. */
export interface InferenceProfileLike {
  inferenceProfileId?: string;
  inferenceProfileArn?: string;
  inferenceProfileName?: string;
  models?: { modelArn?: string }[];
}

const GEOGRAPHY_NAMES: Record<Geography, string> = {
  us: 'US',
  eu: 'EU',
  apac: 'APAC',
  global: 'Global',
};

/**
 * What a target calls when a model is picked: the system profile of the Region's own geography
 * (`us.` from us-east-1), else its global profile, else the base id when the Region serves it on
 * demand, else any profile that contains it. A geography profile spreads load over its Regions
 * at the on-demand price, and it is the only way to call the models AWS offers through profiles
 * alone.
 */
export function preferredModelId(
  modelId: string,
  profileIds: readonly string[],
  onDemand: boolean,
  region: string,
): string {
  const geography = geographyOf(region);
  const own = geography && profileIds.find((id) => id.startsWith(`${geography}.`));
  const global = profileIds.find((id) => id.startsWith('global.'));
  return own ?? global ?? (onDemand ? modelId : (profileIds[0] ?? modelId));
}

function apisOf(family: AdapterFamily | undefined | null): CatalogModel['apis'] {
  return family ? ['converse', 'invoke'] : ['converse'];
}

function factsFields(facts: ModelFacts | undefined) {
  return {
    family: facts?.family ?? null,
    features: facts ? { ...facts.features } : null,
    maxOutputTokens: facts?.maxOutputTokens ?? null,
    contextWindow: facts?.contextWindow ?? null,
    price: facts ? { ...facts.price } : null,
  };
}

/** Providers in the order the facts list them; others after, by name. */
const PROVIDER_ORDER = [...new Set(MODEL_FACTS.map((m) => m.provider))];
const FACT_ORDER = new Map(MODEL_FACTS.map((m, index) => [m.id, index]));

function byProviderThenFacts(a: CatalogModel, b: CatalogModel): number {
  const rank = (p: string) => {
    const index = PROVIDER_ORDER.indexOf(p);
    return index < 0 ? PROVIDER_ORDER.length : index;
  };
  return (
    rank(a.provider) - rank(b.provider) ||
    a.provider.localeCompare(b.provider) ||
    (FACT_ORDER.get(a.id) ?? Infinity) - (FACT_ORDER.get(b.id) ?? Infinity) ||
    a.name.localeCompare(b.name)
  );
}

const FOUNDATION_MODEL_ARN = /:foundation-model\/(.+)$/;

/**
 * Joins the control plane's answers for one Region into the catalog: the text models it serves
 * on demand or through a profile, each with the project's facts (by id, so newer versions
 * still get a family), the profiles that contain it and whether access was granted.
 */
export function joinCatalog(input: {
  region: string;
  fetchedAt: string;
  foundationModels: readonly FoundationModelLike[];
  profiles: readonly InferenceProfileLike[];
  access: ReadonlyMap<string, CatalogModel['access']>;
}): Catalog {
  const profiles: CatalogProfile[] = input.profiles.flatMap((p) => {
    if (!p.inferenceProfileId) return [];
    const modelIds = [
      ...new Set(
        (p.models ?? []).flatMap(
          (m) => FOUNDATION_MODEL_ARN.exec(m.modelArn ?? '')?.slice(1) ?? [],
        ),
      ),
    ];
    const regions = (p.models ?? []).flatMap(
      (m) => /^arn:[^:]+:bedrock:([^:]+):/.exec(m.modelArn ?? '')?.slice(1) ?? [],
    );
    return [
      {
        id: p.inferenceProfileId,
        arn: p.inferenceProfileArn ?? null,
        name: p.inferenceProfileName ?? p.inferenceProfileId,
        prefix: p.inferenceProfileId.split('.')[0] ?? '',
        regions: [...new Set(regions)],
        modelIds,
      },
    ];
  });
  const models = input.foundationModels.flatMap((summary): CatalogModel[] => {
    const id = summary.modelId;
    const types = summary.inferenceTypesSupported ?? [];
    const serves = types.includes('ON_DEMAND') || types.includes('INFERENCE_PROFILE');
    if (!id || !serves || !(summary.outputModalities ?? []).includes('TEXT')) return [];
    const facts = findModel(id);
    const fields = factsFields(facts);
    const family = adapterFamilyOf(id);
    const containing = profiles.filter((p) => p.modelIds.includes(id)).map((p) => p.id);
    return [
      {
        id,
        name: summary.modelName ?? facts?.name ?? id,
        provider: summary.providerName ?? facts?.provider ?? id.split('.')[0] ?? '',
        ...fields,
        family: family ?? null,
        apis: apisOf(family),
        lifecycle: summary.modelLifecycle?.status ?? facts?.lifecycle ?? 'ACTIVE',
        inputModalities: summary.inputModalities ?? [],
        outputModalities: summary.outputModalities ?? [],
        streaming: summary.responseStreamingSupported ?? true,
        inferenceTypes: types,
        access: input.access.get(id) ?? 'unknown',
        profiles: containing,
        preferred: preferredModelId(id, containing, types.includes('ON_DEMAND'), input.region),
      },
    ];
  });
  return {
    source: 'live',
    region: input.region,
    fetchedAt: input.fetchedAt,
    note: `Bedrock's own list for ${input.region}: ${models.length} text models and ${profiles.length} inference profiles, with the project's prices of ${PRICES_AS_OF}.`,
    pricesAsOf: PRICES_AS_OF,
    models: models.sort(byProviderThenFacts),
    profiles,
  };
}

/**
 * The catalog from the project's facts alone, for a Region: used when the control plane cannot
 * be read. Profiles are the system ones of the Region's geography and `global.`, as the facts
 * list them; access is unknown.
 */
export function staticCatalog(region: string, reason: string): Catalog {
  const geography = geographyOf(region);
  const profiles: CatalogProfile[] = [];
  const models = MODEL_FACTS.map((facts): CatalogModel => {
    const ids = facts.geographies
      .filter((g) => g === geography || g === 'global')
      .map((g) => {
        const id = `${g}.${facts.id}`;
        profiles.push({
          id,
          arn: null,
          name: `${GEOGRAPHY_NAMES[g]} ${facts.provider} ${facts.name}`,
          prefix: g,
          regions: [],
          modelIds: [facts.id],
        });
        return id;
      });
    const types = [
      ...(facts.profileOnly ? [] : ['ON_DEMAND']),
      ...(ids.length ? ['INFERENCE_PROFILE'] : []),
    ];
    return {
      id: facts.id,
      name: facts.name,
      provider: facts.provider,
      ...factsFields(facts),
      apis: apisOf(facts.family),
      lifecycle: facts.lifecycle,
      inputModalities: [...facts.inputModalities],
      outputModalities: ['TEXT'],
      streaming: true,
      inferenceTypes: types,
      access: 'unknown',
      profiles: ids,
      preferred: preferredModelId(facts.id, ids, !facts.profileOnly, region),
    };
  });
  return {
    source: 'static',
    region,
    fetchedAt: null,
    note: `The playground's own list (prices of ${PRICES_AS_OF}), not Bedrock's: ${reason}`,
    pricesAsOf: PRICES_AS_OF,
    models,
    profiles,
  };
}

/** The catalog entry for any identifier: a model id, a profile id, an ARN. */
export function catalogModel(catalog: Catalog, modelId: string): CatalogModel | undefined {
  const profile = catalog.profiles.find((p) => p.id === modelId || p.arn === modelId);
  const id = profile?.modelIds[0] ?? baseModelId(modelId);
  return catalog.models.find((m) => m.id === id);
}

/** Bedrock's answer when a model offered only through profiles is called by its base id. */
const ON_DEMAND_ERROR = /Invocation of model ID (\S+) with on-demand throughput isn[’']t supported/;

/**
 * For Bedrock's on-demand ValidationException, the inference profile to call instead: the one
 * the catalog would pick for the model, or without a catalog the Region's geography profile as
 * AWS names them (`us.` + the model id). Undefined for any other message.
 */
export function profileForOnDemandError(
  message: string,
  region: string,
  catalog?: Catalog,
): string | undefined {
  const modelId = ON_DEMAND_ERROR.exec(message)?.[1];
  if (!modelId) return undefined;
  const model = catalog && catalogModel(catalog, modelId);
  if (model && model.preferred !== model.id) return model.preferred;
  const geography = geographyOf(region);
  const geographies = findModel(modelId)?.geographies ?? [];
  if (geography && geographies.includes(geography)) return `${geography}.${modelId}`;
  if (geographies.includes('global')) return `global.${modelId}`;
  return geography ? `${geography}.${modelId}` : undefined;
}
