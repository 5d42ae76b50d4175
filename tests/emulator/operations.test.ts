import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountTokensCommand, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import {
  HAIKU,
  LLAMA2,
  LLAMA3,
  chunkText,
  converseInput,
  converseStreamAll,
  converseText,
  invokeJson,
  invokeStreamChunks,
  runtimeClient,
} from './helpers.ts';

let emulator: Emulator;
const protocols: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
  emulator.events.on('connection', (protocol: string) => protocols.push(protocol));
});
afterAll(() => emulator.close());

const claudeBody = (text: string) => ({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 512,
  system: 'You are a patient physics teacher.',
  messages: [{ role: 'user', content: text }],
});

describe.each([
  { transport: 'the default HTTP/2 handler', http1: false, protocol: 'h2' },
  { transport: 'NodeHttpHandler over HTTP/1.1', http1: true, protocol: 'http/1.1' },
])('the runtime SDK over $transport', ({ http1, protocol }) => {
  it('streams the same Converse text it returns unstreamed, for Claude and Llama', async () => {
    const client = runtimeClient(emulator, { http1 });
    protocols.length = 0;
    for (const modelId of [HAIKU, LLAMA2, LLAMA3]) {
      const input = converseInput(modelId, 'Why is the sky blue at noon but red at sunset?', {
        system: [{ text: 'You are a patient physics teacher.' }],
      });
      const whole = await client.send(new ConverseCommand(input));
      const streamed = await converseStreamAll(client, input);
      const text = whole.output?.message?.content?.[0]?.text ?? '';
      expect(text).toContain('sky blue');
      expect(streamed.text).toBe(text);
      expect(whole.stopReason).toBe('end_turn');
      expect(streamed.events[0]).toBe('messageStart');
      expect(streamed.events.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
      expect(streamed.usage).toEqual(whole.usage);
      expect(whole.usage?.outputTokens).toBe(streamed.deltas);
    }
    expect(protocols).toContain(protocol);
    expect(protocols.every((seen) => seen === protocol)).toBe(true);
    client.destroy();
  });

  it('answers Claude native Messages bodies, streamed and not, with the same text', async () => {
    const client = runtimeClient(emulator, { http1 });
    const body = claudeBody('What makes a rainbow appear after rain?');
    const whole = await invokeJson(client, HAIKU, body);
    const chunks = await invokeStreamChunks(client, HAIKU, body);
    const content = whole.content as { type: string; text: string }[];
    expect(whole).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn' });
    expect(chunks.map((chunk) => chunk.type).slice(0, 2)).toEqual([
      'message_start',
      'content_block_start',
    ]);
    expect(chunks.map((chunk) => chunk.type).slice(-3)).toEqual([
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(chunks.at(-1)?.['amazon-bedrock-invocationMetrics']).toMatchObject({
      outputTokenCount: (whole.usage as { output_tokens: number }).output_tokens,
    });
    expect(chunkText(chunks)).toBe(content[0]?.text);
    client.destroy();
  });

  it('answers Llama native prompts, streamed and not, with the same text', async () => {
    const client = runtimeClient(emulator, { http1 });
    const body = { prompt: '<s>[INST] Name three uses of copper wire. [/INST]', max_gen_len: 300 };
    const whole = await invokeJson(client, LLAMA2, body);
    const chunks = await invokeStreamChunks(client, LLAMA2, body);
    expect(whole).toMatchObject({ stop_reason: 'stop' });
    expect(chunkText(chunks)).toBe(whole.generation);
    expect(chunks.length).toBe(whole.generation_token_count);
    expect(chunks.at(-1)).toMatchObject({
      stop_reason: 'stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: whole.prompt_token_count,
        outputTokenCount: whole.generation_token_count,
      },
    });
    client.destroy();
  });
});

describe('CountTokens', () => {
  it('agrees with the input tokens a Converse run reports', async () => {
    const client = runtimeClient(emulator);
    for (const modelId of [HAIKU, 'anthropic.claude-3-5-sonnet-20240620-v1:0']) {
      const input = converseInput(modelId, 'Summarise the plot of Hamlet in two lines.', {
        system: [{ text: 'You are terse.' }],
      });
      const run = await client.send(new ConverseCommand(input));
      const counted = await client.send(
        new CountTokensCommand({
          modelId,
          input: { converse: { messages: input.messages, system: input.system } },
        }),
      );
      expect(counted.inputTokens).toBe(run.usage?.inputTokens);
    }
    client.destroy();
  });

  it('agrees with the input tokens an InvokeModel run reports', async () => {
    const client = runtimeClient(emulator);
    const body = claudeBody('Explain recursion to a child.');
    const run = await invokeJson(client, HAIKU, body);
    const counted = await client.send(
      new CountTokensCommand({
        modelId: HAIKU,
        input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(body)) } },
      }),
    );
    expect(counted.inputTokens).toBe((run.usage as { input_tokens: number }).input_tokens);
    client.destroy();
  });
});

it('answers a Converse request for Claude and for Llama', async () => {
  const client = runtimeClient(emulator);
  expect(await converseText(client, converseInput(HAIKU, 'hello there'))).not.toBe('');
  client.destroy();
});
