import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import {
  HAIKU,
  LLAMA2,
  LLAMA3,
  converseInput,
  converseStreamAll,
  converseText,
  invokeJson,
  runtimeClient,
} from './helpers.ts';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

const QUESTION = 'How do volcanoes form along tectonic plate boundaries?';

describe('answers', () => {
  it('are the same for the same request and differ between models', async () => {
    const client = runtimeClient(emulator);
    const models = [
      'anthropic.claude-instant-v1',
      'anthropic.claude-v2',
      'anthropic.claude-v2:1',
      HAIKU,
      'anthropic.claude-3-sonnet-20240229-v1:0',
      'anthropic.claude-3-opus-20240229-v1:0',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      LLAMA2,
      'meta.llama2-70b-chat-v1',
      LLAMA3,
      'meta.llama3-70b-instruct-v1:0',
    ];
    const texts: string[] = [];
    for (const modelId of models) {
      const first = await converseText(client, converseInput(modelId, QUESTION));
      expect(await converseText(client, converseInput(modelId, QUESTION))).toBe(first);
      texts.push(first);
    }
    expect(new Set(texts).size).toBe(models.length);
    client.destroy();
  });

  it('quote the user message and acknowledge the system prompt', async () => {
    const client = runtimeClient(emulator);
    const text = await converseText(
      client,
      converseInput(HAIKU, QUESTION, { system: [{ text: 'Answer like a geology professor.' }] }),
    );
    expect(text).toContain('How do volcanoes form');
    expect(text).toContain('Answer like a geology professor.');
    const pirate = await converseText(
      client,
      converseInput(LLAMA3, QUESTION, { system: [{ text: 'You are a pirate.' }] }),
    );
    expect(pirate).toMatch(/^Arr, matey!/);
    client.destroy();
  });

  it('leave fault directives out of the quoted text', async () => {
    const client = runtimeClient(emulator);
    const text = await converseText(
      client,
      converseInput(HAIKU, 'Tell me about owls [[fault:slow:ms=1]]'),
    );
    expect(text).toContain('Tell me about owls');
    expect(text).not.toContain('[[fault');
    client.destroy();
  });

  it('stop at maxTokens with stop reason max_tokens and exact usage', async () => {
    const client = runtimeClient(emulator);
    const full = await converseText(client, converseInput(HAIKU, QUESTION));
    const input = converseInput(HAIKU, QUESTION, { inferenceConfig: { maxTokens: 12 } });
    const streamed = await converseStreamAll(client, input);
    expect(streamed.stopReason).toBe('max_tokens');
    expect(streamed.deltas).toBe(12);
    expect(streamed.usage?.outputTokens).toBe(12);
    expect(full.startsWith(streamed.text)).toBe(true);
    const llama = await invokeJson(client, LLAMA2, { prompt: QUESTION, max_gen_len: 9 });
    expect(llama).toMatchObject({ stop_reason: 'length', generation_token_count: 9 });
    client.destroy();
  });

  it('stop just before a stop sequence with stop reason stop_sequence', async () => {
    const client = runtimeClient(emulator);
    const full = await converseText(client, converseInput(HAIKU, QUESTION));
    const out = await client.send(
      new ConverseCommand(
        converseInput(HAIKU, QUESTION, {
          inferenceConfig: { stopSequences: ['volcanoes'] },
          additionalModelResponseFieldPaths: ['/stop_sequence'],
        }),
      ),
    );
    const text = out.output?.message?.content?.[0]?.text ?? '';
    expect(out.stopReason).toBe('stop_sequence');
    expect(text).toBe(full.slice(0, full.indexOf('volcanoes')));
    expect(out.additionalModelResponseFields).toEqual({ stop_sequence: 'volcanoes' });
    const native = await invokeJson(client, HAIKU, {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 400,
      messages: [{ role: 'user', content: QUESTION }],
      stop_sequences: ['volcanoes'],
    });
    expect(native).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'volcanoes' });
    client.destroy();
  });

  it('are the same through Converse and the native body of the same conversation', async () => {
    const client = runtimeClient(emulator);
    const viaConverse = await converseText(client, converseInput(LLAMA3, QUESTION));
    const native = await invokeJson(client, LLAMA3, {
      prompt: `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${QUESTION}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
    });
    expect(native.generation).toBe(viaConverse);
    const claudeNative = await invokeJson(client, HAIKU, {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 1000,
      messages: [{ role: 'user', content: [{ type: 'text', text: QUESTION }] }],
    });
    const content = claudeNative.content as { text: string }[];
    expect(content[0]?.text).toBe(await converseText(client, converseInput(HAIKU, QUESTION)));
    client.destroy();
  });

  it('answer the legacy text-completions body of Claude v2', async () => {
    const client = runtimeClient(emulator);
    const out = await invokeJson(client, 'anthropic.claude-v2', {
      prompt: `\n\nHuman: ${QUESTION}\n\nAssistant:`,
      max_tokens_to_sample: 300,
    });
    expect(out.completion).toContain('How do volcanoes form');
    expect(out).toMatchObject({ stop_reason: 'stop_sequence', stop: '\n\nHuman:' });
    client.destroy();
  });

  it('accept foundation-model ARNs as model ids', async () => {
    const client = runtimeClient(emulator);
    const arn = `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`;
    expect(await converseText(client, converseInput(arn, QUESTION))).toBe(
      await converseText(client, converseInput(HAIKU, QUESTION)),
    );
    client.destroy();
  });
});
