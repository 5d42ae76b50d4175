import { BedrockClient } from '@aws-sdk/client-bedrock';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseNotebook } from '../../cells/format.ts';
import { PROJECT_ROOT } from '../../server/app.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogModel, CatalogSchema } from '../../cells/models/listing.ts';
import { CatalogService } from '../../server/catalog.ts';
import { EMULATOR_CREDENTIALS, startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';

const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const OPUS3 = 'anthropic.claude-3-opus-20240229-v1:0';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ speed: 0, deny: [OPUS3] });
});
afterAll(() => emulator.close());

/** A control plane client as the backend makes one, counting the calls it sends. */
function client(
  region = 'us-east-1',
  credentials: { accessKeyId: string; secretAccessKey: string } = EMULATOR_CREDENTIALS,
  url = emulator.url,
) {
  const bedrock = new BedrockClient({
    region,
    endpoint: url,
    credentials,
    authSchemePreference: ['sigv4'],
    maxAttempts: 1,
  });
  const calls: string[] = [];
  bedrock.middlewareStack.add(
    (next, context) => (args) => {
      calls.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize' },
  );
  return { bedrock, calls };
}

describe('the live catalog', () => {
  it('lists the Region’s text models with their profiles, access and the project’s prices', async () => {
    const { bedrock } = client();
    const catalog = CatalogSchema.parse(
      await new CatalogService({ client: bedrock, region: 'us-east-1' }).get(),
    );
    expect(catalog).toMatchObject({ source: 'live', region: 'us-east-1' });
    expect(catalog.note).toMatch(/^Bedrock's own list for us-east-1/);
    expect(catalogModel(catalog, SONNET4)).toMatchObject({
      name: 'Claude Sonnet 4',
      inferenceTypes: ['INFERENCE_PROFILE'],
      profiles: expect.arrayContaining([`us.${SONNET4}`, `global.${SONNET4}`]) as string[],
      preferred: `us.${SONNET4}`,
      access: 'granted',
      features: { reasoning: true },
      price: { inputPer1k: 0.003, outputPer1k: 0.015 },
    });
    expect(catalogModel(catalog, HAIKU)?.inferenceTypes).toEqual([
      'ON_DEMAND',
      'INFERENCE_PROFILE',
    ]);
    expect(catalogModel(catalog, 'meta.llama2-13b-chat-v1')?.preferred).toBe(
      'meta.llama2-13b-chat-v1',
    );
    expect(catalogModel(catalog, OPUS3)?.access).toBe('not-granted');
    expect(catalog.profiles.every((p) => /^(us|global)\./.test(p.id))).toBe(true);
    expect(catalog.profiles.find((p) => p.id === `us.${SONNET4}`)).toMatchObject({
      name: 'US Anthropic Claude Sonnet 4',
      regions: ['us-east-1', 'us-east-2', 'us-west-2'],
      modelIds: [SONNET4],
    });
  });

  it('offers the EU profiles to a client in Ireland', async () => {
    const { bedrock } = client('eu-west-1');
    const catalog = await new CatalogService({ client: bedrock, region: 'eu-west-1' }).get();
    expect(catalogModel(catalog, SONNET4)?.preferred).toBe(`eu.${SONNET4}`);
    expect(catalog.profiles.some((p) => p.id.startsWith('us.'))).toBe(false);
  });

  it('is read once and cached, and read again on refresh', async () => {
    const { bedrock, calls } = client();
    const service = new CatalogService({ client: bedrock, region: 'us-east-1' });
    const first = await service.get();
    await service.get();
    const lists = () => calls.filter((name) => name === 'ListFoundationModelsCommand').length;
    expect(lists()).toBe(1);
    expect(calls.filter((name) => name === 'GetFoundationModelAvailabilityCommand').length).toBe(
      first.models.length,
    );
    await service.refresh();
    expect(lists()).toBe(2);
  });
});

describe('the seed notebooks', () => {
  it('keep calling their models by the ids they were written with, on demand, from us-east-1', async () => {
    const { bedrock } = client();
    const catalog = await new CatalogService({ client: bedrock, region: 'us-east-1' }).get();
    const folder = path.join(PROJECT_ROOT, 'notebooks');
    const uses: { modelId: string; api: string }[] = [];
    for (const file of (await readdir(folder)).filter((f) => f.endsWith('.md'))) {
      const notebook = parseNotebook(await readFile(path.join(folder, file), 'utf8'));
      uses.push(...notebook.targets);
      for (const cell of notebook.cells) {
        if (cell.kind === 'native') uses.push({ modelId: cell.modelId, api: 'invoke' });
      }
    }
    expect(uses.length).toBeGreaterThan(3);
    for (const { modelId, api } of uses) {
      const model = catalogModel(catalog, modelId);
      expect(model?.id, modelId).toBe(modelId);
      expect(model?.inferenceTypes, modelId).toContain('ON_DEMAND');
      expect(model?.apis, modelId).toContain(api);
    }
  });
});

describe('without the control plane', () => {
  it('falls back to the static list and says why', async () => {
    const { bedrock } = client('us-east-1', { accessKeyId: 'AKIDWRONG', secretAccessKey: 'nope' });
    const lines: string[] = [];
    const catalog = await new CatalogService({
      client: bedrock,
      region: 'us-east-1',
      log: (line) => lines.push(line),
    }).get();
    expect(catalog.source).toBe('static');
    expect(catalog.note).toMatch(
      /^The playground's own list \(prices of \d{4}-\d{2}-\d{2}\), not Bedrock's: Bedrock's control plane could not be read \(UnrecognizedClientException: /,
    );
    expect(catalogModel(catalog, SONNET4)?.preferred).toBe(`us.${SONNET4}`);
    expect(lines).toHaveLength(1);
  });

  it('keeps the last list read when a refresh fails, saying so', async () => {
    const other = await startEmulator({ speed: 0 });
    const { bedrock } = client('us-east-1', EMULATOR_CREDENTIALS, other.url);
    const service = new CatalogService({ client: bedrock, region: 'us-east-1' });
    const live = await service.get();
    await other.close();
    const again = await service.refresh();
    expect(again.source).toBe('live');
    expect(again.models).toEqual(live.models);
    expect(again.note).toContain(`Reading it again failed (`);
    expect(again.note).toContain(`this is the list of ${live.fetchedAt}`);
  });
});
