import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import type { ConverseStreamCommandInput } from '@aws-sdk/client-bedrock-runtime';
import {
  converseResponseToRunEvents,
  converseStreamEventToRunEvents,
} from '../../cells/converse-events.ts';
import type { RunEvent } from '../../cells/events.ts';
import { adapterFor, newStreamState } from '../../cells/models/index.ts';
import type { ConversationContext } from '../../cells/models/index.ts';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import { invokeJson, invokeStreamChunks, runtimeClient } from '../emulator/helpers.ts';

// Each adapter's native body, sent through the real SDK to the emulator over HTTP, must be
// accepted, and its answers, whole and streamed, must read back as the same run events.

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

const ctx: ConversationContext = {
  system: 'You answer like a patient teacher.',
  messages: [
    { role: 'user', text: 'What is a prime number?' },
    { role: 'assistant', text: 'A number with exactly two divisors.' },
    { role: 'user', text: 'Name the first three.' },
  ],
  config: { maxTokens: 300, temperature: 0.5 },
  extras: {},
};

/** The text of the `text` events, and which other kinds came. */
function summary(events: RunEvent[]) {
  return {
    text: events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join(''),
    reasoning: events.flatMap((e) => (e.type === 'reasoning' ? [e.text] : [])).join(''),
    stop: events.find((e) => e.type === 'stop'),
    usage: events.filter((e) => e.type === 'usage'),
  };
}

// A model of each family and body, called as a us-east-1 client may call it.
const cases: [family: string, modelId: string][] = [
  ['Claude Messages', 'anthropic.claude-3-haiku-20240307-v1:0'],
  ['Claude Messages through a profile', 'us.anthropic.claude-sonnet-4-20250514-v1:0'],
  ['Llama 2', 'meta.llama2-13b-chat-v1'],
  ['Llama 3', 'meta.llama3-8b-instruct-v1:0'],
  ['Llama 3.3 through a profile', 'us.meta.llama3-3-70b-instruct-v1:0'],
  ['Llama 4 through a profile', 'us.meta.llama4-scout-17b-instruct-v1:0'],
  ['Amazon Nova', 'amazon.nova-pro-v1:0'],
  ['Amazon Nova Premier through a profile', 'us.amazon.nova-premier-v1:0'],
  ['Mistral text completion', 'mistral.mistral-7b-instruct-v0:2'],
  ['Mistral chat completion', 'mistral.mistral-large-2402-v1:0'],
  ['Pixtral chat completion through a profile', 'us.mistral.pixtral-large-2502-v1:0'],
];

describe('native bodies against the emulator', () => {
  it.each(cases)(
    '%s (%s): the body is accepted and both answers read alike',
    async (_, modelId) => {
      const adapter = adapterFor(modelId);
      const { body, warnings } = adapter.buildNativeBody(ctx);
      expect(warnings).toEqual([]);
      const client = runtimeClient(emulator);
      const whole = summary(adapter.parseResponse(await invokeJson(client, modelId, body)));
      const state = newStreamState();
      const chunks = await invokeStreamChunks(client, modelId, body);
      const streamed = summary(chunks.flatMap((chunk) => adapter.parseStreamChunk(chunk, state)));
      expect(whole.text.length).toBeGreaterThan(0);
      expect(streamed.text).toBe(whole.text);
      expect(streamed.stop).toEqual(whole.stop);
      expect(streamed.stop).toBeDefined();
      expect(streamed.usage).toHaveLength(1);
      expect(streamed.usage[0]).toMatchObject({ inputTokens: expect.any(Number) as number });
    },
  );

  it('reads the thinking of Claude Sonnet 4 as reasoning before the text, whole and streamed', async () => {
    const modelId = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
    const adapter = adapterFor(modelId);
    const { body, warnings } = adapter.buildNativeBody({
      ...ctx,
      config: { maxTokens: 3000 },
      extras: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    });
    expect(warnings).toEqual([]);
    const client = runtimeClient(emulator);
    const whole = adapter.parseResponse(await invokeJson(client, modelId, body));
    expect(whole[0]?.type).toBe('reasoning');
    const state = newStreamState();
    const chunks = await invokeStreamChunks(client, modelId, body);
    const streamed = chunks.flatMap((chunk) => adapter.parseStreamChunk(chunk, state));
    const firstText = streamed.findIndex((e) => e.type === 'text');
    const lastReasoning = streamed.map((e) => e.type).lastIndexOf('reasoning');
    expect(lastReasoning).toBeGreaterThanOrEqual(0);
    expect(lastReasoning).toBeLessThan(firstText);
    expect(summary(streamed).reasoning).toBe(summary(whole).reasoning);
  });
});

describe('Converse reasoning against the emulator', () => {
  const input: ConverseStreamCommandInput = {
    modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
    messages: [{ role: 'user', content: [{ text: 'Why is the sky blue?' }] }],
    inferenceConfig: { maxTokens: 2000 },
    additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
  };

  it('streams reasoning events before the text, the same as the whole answer', async () => {
    const client = runtimeClient(emulator);
    const out = await client.send(new ConverseStreamCommand(input));
    const streamed: RunEvent[] = [];
    for await (const event of out.stream ?? [])
      streamed.push(...converseStreamEventToRunEvents(event));
    const kinds = streamed.map((e) => e.type);
    expect(kinds[0]).toBe('reasoning');
    expect(kinds.lastIndexOf('reasoning')).toBeLessThan(kinds.indexOf('text'));
    const whole = converseResponseToRunEvents(await client.send(new ConverseCommand(input)));
    expect(summary(streamed).reasoning).toBe(summary(whole).reasoning);
    expect(summary(streamed).text).toBe(summary(whole).text);
  });
});
