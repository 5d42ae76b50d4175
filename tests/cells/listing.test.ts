import { describe, expect, it } from 'vitest';
import {
  catalogModel,
  CatalogSchema,
  joinCatalog,
  preferredModelId,
  profileForOnDemandError,
  staticCatalog,
} from '../../cells/models/index.ts';
import { searchModels } from '../../cells/models/search.ts';

const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const ON_DEMAND = (id: string) =>
  `Invocation of model ID ${id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;

describe('the model a pick invokes', () => {
  const profiles = [`global.${SONNET4}`, `eu.${SONNET4}`, `us.${SONNET4}`];

  it("is the profile of the Region's geography, else the global one", () => {
    expect(preferredModelId(SONNET4, profiles, false, 'us-east-2')).toBe(`us.${SONNET4}`);
    expect(preferredModelId(SONNET4, profiles, false, 'eu-west-3')).toBe(`eu.${SONNET4}`);
    expect(preferredModelId(SONNET4, profiles, false, 'ap-south-1')).toBe(`global.${SONNET4}`);
  });

  it('is the base id when no profile serves the Region and the model answers on demand', () => {
    expect(preferredModelId(HAIKU, [], true, 'us-east-1')).toBe(HAIKU);
    expect(preferredModelId(HAIKU, [`apac.${HAIKU}`], true, 'sa-east-1')).toBe(HAIKU);
  });
});

describe('the static catalog', () => {
  it('says it is not Bedrock’s list, and why', () => {
    const catalog = CatalogSchema.parse(staticCatalog('us-east-1', 'the control plane refused.'));
    expect(catalog.source).toBe('static');
    expect(catalog.note).toMatch(/not Bedrock's: the control plane refused\.$/);
  });

  it('offers the US profile of a profile-only model from us-east-1 and the EU one from Ireland', () => {
    expect(catalogModel(staticCatalog('us-east-1', ''), SONNET4)).toMatchObject({
      preferred: `us.${SONNET4}`,
      inferenceTypes: ['INFERENCE_PROFILE'],
      profiles: [`us.${SONNET4}`, `global.${SONNET4}`],
      access: 'unknown',
    });
    expect(catalogModel(staticCatalog('eu-west-1', ''), SONNET4)?.preferred).toBe(`eu.${SONNET4}`);
  });

  it('keeps the base id of a model without profiles, and Converse only without an adapter', () => {
    const catalog = staticCatalog('us-east-1', '');
    expect(catalogModel(catalog, 'meta.llama2-13b-chat-v1')).toMatchObject({
      preferred: 'meta.llama2-13b-chat-v1',
      apis: ['converse', 'invoke'],
    });
    expect(catalogModel(catalog, 'deepseek.r1-v1:0')).toMatchObject({
      apis: ['converse'],
      family: null,
    });
  });

  it('finds a model by the id of a profile that contains it', () => {
    expect(catalogModel(staticCatalog('us-east-1', ''), `us.${SONNET4}`)?.name).toBe(
      'Claude Sonnet 4',
    );
  });
});

describe('joining the control plane’s answers', () => {
  const catalog = joinCatalog({
    region: 'us-east-1',
    fetchedAt: '2026-12-01T00:00:00.000Z',
    foundationModels: [
      {
        modelId: SONNET4,
        modelName: 'Claude Sonnet 4',
        providerName: 'Anthropic',
        inputModalities: ['TEXT', 'IMAGE'],
        outputModalities: ['TEXT'],
        responseStreamingSupported: true,
        inferenceTypesSupported: ['INFERENCE_PROFILE'],
        modelLifecycle: { status: 'ACTIVE' },
      },
      {
        modelId: 'openai.gpt-oss-999b-1:0',
        modelName: 'gpt-oss-999b',
        providerName: 'OpenAI',
        outputModalities: ['TEXT'],
        inferenceTypesSupported: ['ON_DEMAND'],
      },
      {
        modelId: 'amazon.titan-embed-text-v2:0',
        outputModalities: ['EMBEDDING'],
        inferenceTypesSupported: ['ON_DEMAND'],
      },
      {
        modelId: 'meta.llama3-70b-instruct-v1:0',
        outputModalities: ['TEXT'],
        inferenceTypesSupported: ['PROVISIONED'],
      },
    ],
    profiles: [
      {
        inferenceProfileId: `us.${SONNET4}`,
        inferenceProfileName: 'US Anthropic Claude Sonnet 4',
        inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET4}`,
        models: ['us-east-1', 'us-east-2', 'us-west-2'].map((r) => ({
          modelArn: `arn:aws:bedrock:${r}::foundation-model/${SONNET4}`,
        })),
      },
    ],
    access: new Map([[SONNET4, 'granted' as const]]),
  });

  it('keeps the text models the Region serves, with facts, profiles and access', () => {
    expect(catalog.models.map((m) => m.id)).toEqual([SONNET4, 'openai.gpt-oss-999b-1:0']);
    expect(catalog.models[0]).toMatchObject({
      preferred: `us.${SONNET4}`,
      access: 'granted',
      family: 'claude',
      features: { reasoning: true },
      price: { inputPer1k: 0.003 },
    });
    expect(catalog.profiles[0]).toMatchObject({
      prefix: 'us',
      regions: ['us-east-1', 'us-east-2', 'us-west-2'],
    });
  });

  it('lists a model the facts do not know, through Converse, without a price', () => {
    expect(catalog.models[1]).toMatchObject({
      apis: ['converse'],
      price: null,
      access: 'unknown',
      preferred: 'openai.gpt-oss-999b-1:0',
    });
  });
});

describe('the on-demand error', () => {
  it('names the profile to call instead, from the catalog or the Region', () => {
    const live = staticCatalog('eu-west-1', '');
    expect(profileForOnDemandError(ON_DEMAND(SONNET4), 'eu-west-1', live)).toBe(`eu.${SONNET4}`);
    expect(profileForOnDemandError(ON_DEMAND(SONNET4), 'us-east-1')).toBe(`us.${SONNET4}`);
    expect(profileForOnDemandError('The provided model identifier is invalid.', 'us-east-1')).toBe(
      undefined,
    );
  });
});

describe('searching the catalog', () => {
  const models = staticCatalog('us-east-1', '').models;
  const names = (query: string) => searchModels(models, query).map((m) => m.name);

  it('puts the model named by every word first', () => {
    expect(names('sonnet 4').slice(0, 2)).toEqual(['Claude Sonnet 4', 'Claude Sonnet 4.5']);
    expect(names('nova pro')[0]).toBe('Nova Pro');
    expect(names('llama 3.1 70')[0]).toBe('Llama 3.1 70B Instruct');
  });

  it('puts active models before legacy ones among equal matches', () => {
    expect(names('sonnet').slice(0, 2)).toEqual(['Claude Sonnet 4', 'Claude Sonnet 4.5']);
    expect(names('sonnet').at(-1)).toBe('Claude 3.7 Sonnet');
  });

  it('matches ids and providers, and nothing when a word is nowhere', () => {
    expect(names('mistral-large-2407')).toEqual(['Mistral Large (24.07)']);
    expect(names('meta scout')).toEqual(['Llama 4 Scout 17B Instruct']);
    expect(names('sonnet gpt')).toEqual([]);
    expect(names('')).toHaveLength(models.length);
  });
});
