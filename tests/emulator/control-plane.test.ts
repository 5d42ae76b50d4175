import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  ResourceNotFoundException,
  ValidationException,
  paginateListInferenceProfiles,
} from '@aws-sdk/client-bedrock';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import { HAIKU, NOVA_PRO, SONNET4, controlClient, rejection } from './helpers.ts';

const DENIED = 'anthropic.claude-3-opus-20240229-v1:0';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0, deny: [DENIED] });
});
afterAll(() => emulator.close());

describe('ListFoundationModels', () => {
  it('lists the current families with the inference types the Region offers them through', async () => {
    const client = controlClient(emulator);
    const { modelSummaries = [] } = await client.send(new ListFoundationModelsCommand({}));
    const byId = new Map(modelSummaries.map((model) => [model.modelId, model]));
    for (const id of [
      'anthropic.claude-3-5-haiku-20241022-v1:0',
      'anthropic.claude-3-5-sonnet-20241022-v2:0',
      'anthropic.claude-3-7-sonnet-20250219-v1:0',
      SONNET4,
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-opus-4-1-20250805-v1:0',
      'meta.llama3-1-70b-instruct-v1:0',
      'meta.llama3-2-11b-instruct-v1:0',
      'meta.llama3-3-70b-instruct-v1:0',
      'meta.llama4-maverick-17b-instruct-v1:0',
      'amazon.nova-micro-v1:0',
      'amazon.nova-lite-v1:0',
      NOVA_PRO,
      'amazon.nova-premier-v1:0',
      'mistral.mistral-large-2402-v1:0',
      // The seed notebooks' models stay, on demand in us-east-1.
      HAIKU,
      'meta.llama2-13b-chat-v1',
    ]) {
      expect(byId.has(id), id).toBe(true);
    }
    expect(byId.get(SONNET4)).toMatchObject({
      modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${SONNET4}`,
      providerName: 'Anthropic',
      modelName: 'Claude Sonnet 4',
      inputModalities: ['TEXT', 'IMAGE'],
      outputModalities: ['TEXT'],
      responseStreamingSupported: true,
      inferenceTypesSupported: ['INFERENCE_PROFILE'],
      modelLifecycle: { status: 'ACTIVE' },
    });
    expect(byId.get(NOVA_PRO)?.inferenceTypesSupported).toEqual(['ON_DEMAND', 'INFERENCE_PROFILE']);
    expect(byId.get('meta.llama2-13b-chat-v1')).toMatchObject({
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'LEGACY' },
    });
    // Offered on demand in us-west-2 only, and not through any profile a us-east-1 client may call.
    expect(byId.has('meta.llama3-1-405b-instruct-v1:0')).toBe(false);
    client.destroy();
  });

  it('filters by provider, output modality and inference type', async () => {
    const client = controlClient(emulator);
    const nova = await client.send(new ListFoundationModelsCommand({ byProvider: 'amazon' }));
    expect(nova.modelSummaries?.map((model) => model.modelId).sort()).toEqual([
      'amazon.nova-lite-v1:0',
      'amazon.nova-micro-v1:0',
      'amazon.nova-premier-v1:0',
      NOVA_PRO,
    ]);
    const onDemand = await client.send(
      new ListFoundationModelsCommand({ byInferenceType: 'ON_DEMAND' }),
    );
    const ids = onDemand.modelSummaries?.map((model) => model.modelId) ?? [];
    expect(ids).toContain(HAIKU);
    expect(ids).not.toContain(SONNET4);
    const images = await client.send(
      new ListFoundationModelsCommand({ byOutputModality: 'IMAGE' }),
    );
    expect(images.modelSummaries).toEqual([]);
    const error = await rejection(
      client.send(new ListFoundationModelsCommand({ byInferenceType: 'BATCH' as 'ON_DEMAND' })),
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(
      "1 validation error detected: Value 'BATCH' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]",
    );
    client.destroy();
  });

  it('lists what the caller’s Region offers: another Region, other models', async () => {
    const client = controlClient(emulator, { region: 'us-west-2' });
    const { modelSummaries = [] } = await client.send(new ListFoundationModelsCommand({}));
    const v2 = modelSummaries.find(
      (model) => model.modelId === 'anthropic.claude-3-5-sonnet-20241022-v2:0',
    );
    expect(v2?.modelArn).toMatch(/^arn:aws:bedrock:us-west-2::foundation-model\//);
    expect(v2?.inferenceTypesSupported).toEqual(['ON_DEMAND', 'INFERENCE_PROFILE']);
    expect(modelSummaries.map((model) => model.modelId)).toContain(
      'meta.llama3-1-405b-instruct-v1:0',
    );
    client.destroy();
  });

  it('gets one model by id or ARN, and answers ResourceNotFoundException for others', async () => {
    const client = controlClient(emulator);
    for (const modelIdentifier of [
      NOVA_PRO,
      `arn:aws:bedrock:us-east-1::foundation-model/${NOVA_PRO}`,
    ]) {
      const { modelDetails } = await client.send(
        new GetFoundationModelCommand({ modelIdentifier }),
      );
      expect(modelDetails).toMatchObject({ modelId: NOVA_PRO, modelName: 'Nova Pro' });
    }
    const error = await rejection(
      client.send(new GetFoundationModelCommand({ modelIdentifier: 'acme.rocket-v1:0' })),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe(
      'Could not resolve the foundation model from the provided model identifier.',
    );
    client.destroy();
  });
});

describe('inference profiles', () => {
  it('lists the system-defined profiles a us-east-1 client may call, with the Regions they route to', async () => {
    const client = controlClient(emulator);
    const { inferenceProfileSummaries = [], nextToken } = await client.send(
      new ListInferenceProfilesCommand({}),
    );
    expect(nextToken).toBeUndefined();
    const ids = inferenceProfileSummaries.map((profile) => profile.inferenceProfileId);
    expect(ids).toEqual(
      expect.arrayContaining([`us.${SONNET4}`, `global.${SONNET4}`, `us.${NOVA_PRO}`]),
    );
    expect(ids.some((id) => id?.startsWith('eu.') || id?.startsWith('apac.'))).toBe(false);
    const sonnet = inferenceProfileSummaries.find((p) => p.inferenceProfileId === `us.${SONNET4}`);
    expect(sonnet).toMatchObject({
      inferenceProfileName: 'US Anthropic Claude Sonnet 4',
      inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${SONNET4}`,
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
      models: ['us-east-1', 'us-east-2', 'us-west-2'].map((region) => ({
        modelArn: `arn:aws:bedrock:${region}::foundation-model/${SONNET4}`,
      })),
    });
    expect(sonnet?.createdAt).toBeInstanceOf(Date);
    const apps = await client.send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION' }));
    expect(apps.inferenceProfileSummaries).toEqual([]);
    client.destroy();
  });

  it('pages with maxResults and nextToken, as the SDK paginator reads them', async () => {
    const client = controlClient(emulator);
    const all = await client.send(new ListInferenceProfilesCommand({}));
    const paged: string[] = [];
    let pages = 0;
    for await (const page of paginateListInferenceProfiles({ client, pageSize: 7 }, {})) {
      pages += 1;
      expect(page.inferenceProfileSummaries?.length).toBeLessThanOrEqual(7);
      paged.push(...(page.inferenceProfileSummaries ?? []).map((p) => p.inferenceProfileId ?? ''));
    }
    const total = all.inferenceProfileSummaries?.length ?? 0;
    expect(pages).toBe(Math.ceil(total / 7));
    expect(paged).toEqual(all.inferenceProfileSummaries?.map((p) => p.inferenceProfileId));
    const error = await rejection(
      client.send(new ListInferenceProfilesCommand({ maxResults: 1001 })),
    );
    expect(error).toBeInstanceOf(ValidationException);
    client.destroy();
  });

  it('gets a profile by id or ARN, and not one of another geography', async () => {
    const client = controlClient(emulator);
    const arn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${NOVA_PRO}`;
    for (const inferenceProfileIdentifier of [`us.${NOVA_PRO}`, arn]) {
      const profile = await client.send(
        new GetInferenceProfileCommand({ inferenceProfileIdentifier }),
      );
      expect(profile).toMatchObject({
        inferenceProfileId: `us.${NOVA_PRO}`,
        inferenceProfileArn: arn,
      });
    }
    const error = await rejection(
      client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: `eu.${SONNET4}` })),
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const eu = controlClient(emulator, { region: 'eu-west-1' });
    const fromEurope = await eu.send(
      new GetInferenceProfileCommand({ inferenceProfileIdentifier: `eu.${SONNET4}` }),
    );
    expect(fromEurope.inferenceProfileArn).toBe(
      `arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${SONNET4}`,
    );
    eu.destroy();
    client.destroy();
  });
});

describe('GetFoundationModelAvailability', () => {
  it('says whether access is granted and whether the Region offers the model', async () => {
    const client = controlClient(emulator);
    const available = await client.send(
      new GetFoundationModelAvailabilityCommand({ modelId: SONNET4 }),
    );
    expect(available).toMatchObject({
      modelId: SONNET4,
      agreementAvailability: { status: 'AVAILABLE' },
      authorizationStatus: 'AUTHORIZED',
      entitlementAvailability: 'AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
    const denied = await client.send(
      new GetFoundationModelAvailabilityCommand({ modelId: DENIED }),
    );
    expect(denied.authorizationStatus).toBe('NOT_AUTHORIZED');
    const elsewhere = await client.send(
      new GetFoundationModelAvailabilityCommand({ modelId: 'meta.llama3-1-405b-instruct-v1:0' }),
    );
    expect(elsewhere.regionAvailability).toBe('NOT_AVAILABLE');
    client.destroy();
  });
});
