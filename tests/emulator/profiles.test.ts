import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConverseCommand,
  CountTokensCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import {
  HAIKU,
  NOVA_PRO,
  SONNET4,
  converseInput,
  converseText,
  invokeJson,
  rejection,
  runtimeClient,
} from './helpers.ts';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

const QUESTION = 'What makes a good cup of tea?';
const ON_DEMAND = (id: string): string =>
  `Invocation of model ID ${id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;

describe('model identifiers from a us-east-1 client', () => {
  it('answers through the us. profiles of Claude Sonnet 4 and Nova Pro, by id and by ARN', async () => {
    const client = runtimeClient(emulator);
    for (const model of [SONNET4, NOVA_PRO]) {
      const id = `us.${model}`;
      const text = await converseText(client, converseInput(id, QUESTION));
      expect(text).toContain(QUESTION);
      const arn = `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${id}`;
      expect(await converseText(client, converseInput(arn, QUESTION))).toBe(text);
    }
    // A global profile serves every commercial Region.
    expect(await converseText(client, converseInput(`global.${SONNET4}`, QUESTION))).toContain(
      QUESTION,
    );
    client.destroy();
  });

  it('refuses the base id of a profile-only model with the on-demand ValidationException, word for word', async () => {
    const client = runtimeClient(emulator);
    for (const id of [
      SONNET4,
      'anthropic.claude-3-7-sonnet-20250219-v1:0',
      'amazon.nova-premier-v1:0',
    ]) {
      const error = await rejection(client.send(new ConverseCommand(converseInput(id, QUESTION))));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(error.message).toBe(ON_DEMAND(id));
    }
    // InvokeModel applies the same rule.
    const native = await rejection(
      invokeJson(client, SONNET4, {
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 100,
        messages: [{ role: 'user', content: QUESTION }],
      }),
    );
    expect(native.message).toBe(ON_DEMAND(SONNET4));
    client.destroy();
  });

  it('refuses a profile of another geography as an invalid model identifier', async () => {
    const client = runtimeClient(emulator);
    for (const id of [`eu.${SONNET4}`, `apac.${SONNET4}`, `eu.${NOVA_PRO}`]) {
      const error = await rejection(client.send(new ConverseCommand(converseInput(id, QUESTION))));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toBe('The provided model identifier is invalid.');
    }
    client.destroy();
  });

  it('answers an unknown id, a made-up profile and another Region’s ARN in AWS’s words', async () => {
    const client = runtimeClient(emulator);
    for (const id of [
      'acme.rocket-v1:0',
      'us.acme.rocket-v1:0',
      `arn:aws:bedrock:eu-west-1::foundation-model/${HAIKU}`,
    ]) {
      const error = await rejection(client.send(new ConverseCommand(converseInput(id, QUESTION))));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toBe('The provided model identifier is invalid.');
    }
    client.destroy();
  });
});

describe('model identifiers from other Regions', () => {
  it('lets an eu-west-1 client call eu. profiles and refuses it the us. ones', async () => {
    const client = runtimeClient(emulator, { region: 'eu-west-1' });
    expect(await converseText(client, converseInput(`eu.${SONNET4}`, QUESTION))).toContain(
      QUESTION,
    );
    const error = await rejection(
      client.send(new ConverseCommand(converseInput(`us.${SONNET4}`, QUESTION))),
    );
    expect(error.message).toBe('The provided model identifier is invalid.');
    client.destroy();
  });

  it('serves Claude 3.5 Sonnet v2 on demand in us-west-2 but only through a profile in us-east-1', async () => {
    const v2 = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
    const west = runtimeClient(emulator, { region: 'us-west-2' });
    expect(await converseText(west, converseInput(v2, QUESTION))).toContain(QUESTION);
    west.destroy();
    const east = runtimeClient(emulator);
    const error = await rejection(east.send(new ConverseCommand(converseInput(v2, QUESTION))));
    expect(error.message).toBe(ON_DEMAND(v2));
    east.destroy();
  });
});

describe('each call', () => {
  it('gets its own message id and request id while the text stays the same', async () => {
    const client = runtimeClient(emulator);
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 200,
      messages: [{ role: 'user', content: QUESTION }],
    };
    const first = await invokeJson(client, HAIKU, body);
    const second = await invokeJson(client, HAIKU, body);
    expect(first.id).toMatch(/^msg_bdrk_[A-Za-z0-9]{24}$/);
    expect(second.id).not.toBe(first.id);
    expect(second.content).toEqual(first.content);
    const runs = await Promise.all(
      [1, 2].map(() => client.send(new ConverseCommand(converseInput(HAIKU, QUESTION)))),
    );
    expect(runs[0]?.$metadata.requestId).not.toBe(runs[1]?.$metadata.requestId);
    expect(runs[0]?.output).toEqual(runs[1]?.output);
    client.destroy();
  });
});

describe('CountTokens', () => {
  const input = {
    converse: { messages: [{ role: 'user' as const, content: [{ text: QUESTION }] }] },
  };

  it('counts for models that support it, by base id even when they are profile-only', async () => {
    const client = runtimeClient(emulator);
    const counted = await client.send(new CountTokensCommand({ modelId: SONNET4, input }));
    expect(counted.inputTokens).toBeGreaterThan(0);
    const run = await client.send(new ConverseCommand(converseInput(`us.${SONNET4}`, QUESTION)));
    expect(counted.inputTokens).toBe(run.usage?.inputTokens);
    client.destroy();
  });

  it('refuses models without token counting, and inference profiles', async () => {
    const client = runtimeClient(emulator);
    for (const modelId of ['meta.llama3-8b-instruct-v1:0', NOVA_PRO]) {
      const error = await rejection(client.send(new CountTokensCommand({ modelId, input })));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toBe("The provided model doesn't support counting tokens.");
    }
    const profile = await rejection(
      client.send(new CountTokensCommand({ modelId: `us.${SONNET4}`, input })),
    );
    expect(profile.message).toBe('The provided model identifier is invalid.');
    client.destroy();
  });
});
