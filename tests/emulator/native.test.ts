import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConverseCommand, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import {
  NOVA_PRO,
  chunkText,
  converseInput,
  converseText,
  invokeJson,
  invokeStreamChunks,
  rejection,
  runtimeClient,
} from './helpers.ts';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

const QUESTION = 'Why do leaves change colour in autumn?';
const MISTRAL_7B = 'mistral.mistral-7b-instruct-v0:2';
const MISTRAL_LARGE = 'mistral.mistral-large-2402-v1:0';

describe('Amazon Nova messages-v1 bodies', () => {
  const body = (maxTokens?: number) => ({
    schemaVersion: 'messages-v1',
    system: [{ text: 'You are a botanist.' }],
    messages: [{ role: 'user', content: [{ text: QUESTION }] }],
    inferenceConfig: { temperature: 0.7, topP: 0.9, topK: 20, ...(maxTokens ? { maxTokens } : {}) },
  });

  it('answers like Converse, streamed as messageStart, contentBlockDelta…, messageStop, metadata', async () => {
    const client = runtimeClient(emulator);
    const whole = await invokeJson(client, NOVA_PRO, body());
    expect(whole).toMatchObject({
      output: { message: { role: 'assistant' } },
      stopReason: 'end_turn',
      usage: { cacheReadInputTokenCount: 0, cacheWriteInputTokenCount: 0 },
    });
    const text = (whole.output as { message: { content: { text: string }[] } }).message.content[0]
      ?.text;
    expect(text).toBe(
      await converseText(
        client,
        converseInput(NOVA_PRO, QUESTION, { system: [{ text: 'You are a botanist.' }] }),
      ),
    );
    const chunks = await invokeStreamChunks(client, NOVA_PRO, body());
    const names = chunks.map((chunk) => Object.keys(chunk)[0]);
    expect(names[0]).toBe('messageStart');
    expect(names.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    const streamed = chunks
      .map(
        (chunk) =>
          (chunk.contentBlockDelta as { delta: { text: string } } | undefined)?.delta.text ?? '',
      )
      .join('');
    expect(streamed).toBe(text);
    const { outputTokens } = whole.usage as { outputTokens: number };
    expect(names.filter((name) => name === 'contentBlockDelta')).toHaveLength(outputTokens);
    expect(chunks.at(-1)).toMatchObject({
      metadata: { usage: { outputTokens } },
      'amazon-bedrock-invocationMetrics': { outputTokenCount: outputTokens },
    });
    client.destroy();
  });

  it('stops at maxTokens and refuses a maxTokens over the model limit in schema wording', async () => {
    const client = runtimeClient(emulator);
    const short = await invokeJson(client, NOVA_PRO, body(7));
    expect(short).toMatchObject({ stopReason: 'max_tokens', usage: { outputTokens: 7 } });
    const error = await rejection(invokeJson(client, NOVA_PRO, body(20000)));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(
      'Malformed input request: #/inferenceConfig/maxTokens: 20000 is not less or equal to 10000, please reformat your input and try again.',
    );
    const document = await rejection(
      invokeJson(client, NOVA_PRO, {
        messages: [
          {
            role: 'user',
            content: [{ document: { format: 'txt', name: 'a', source: { bytes: 'aGk=' } } }],
          },
        ],
      }),
    );
    expect(document.message).toBe(
      'Malformed input request: #/messages/0/content/0: extraneous key [document] is not permitted, please reformat your input and try again.',
    );
    client.destroy();
  });
});

describe('Mistral bodies', () => {
  it('answers the [INST] text completion with outputs[{text, stop_reason}], streamed alike', async () => {
    const client = runtimeClient(emulator);
    const body = {
      prompt: `<s>[INST] ${QUESTION} [/INST]`,
      max_tokens: 400,
      top_k: 50,
      stop: ['\n\n\n'],
    };
    const whole = await invokeJson(client, MISTRAL_7B, body);
    const [output] = whole.outputs as { text: string; stop_reason: string }[];
    expect(output?.stop_reason).toBe('stop');
    expect(output?.text).toContain(QUESTION);
    expect(output?.text).toBe(await converseText(client, converseInput(MISTRAL_7B, QUESTION)));
    const chunks = await invokeStreamChunks(client, MISTRAL_7B, body);
    const texts = chunks.map((chunk) => (chunk.outputs as { text: string }[])[0]?.text ?? '');
    expect(texts.join('')).toBe(output?.text);
    expect(chunks.at(-1)).toMatchObject({
      outputs: [{ stop_reason: 'stop' }],
      'amazon-bedrock-invocationMetrics': { outputTokenCount: chunks.length },
    });
    const cut = await invokeJson(client, MISTRAL_7B, { ...body, max_tokens: 5 });
    expect(cut.outputs).toEqual([{ text: expect.any(String) as string, stop_reason: 'length' }]);
    client.destroy();
  });

  it('answers the chat completion of Mistral Large with choices[{message, stop_reason}]', async () => {
    const client = runtimeClient(emulator);
    const body = {
      messages: [
        { role: 'system', content: 'You are a botanist.' },
        { role: 'user', content: QUESTION },
      ],
      max_tokens: 400,
    };
    const whole = await invokeJson(client, MISTRAL_LARGE, body);
    expect(whole).toMatchObject({
      choices: [{ index: 0, message: { role: 'assistant' }, stop_reason: 'stop' }],
    });
    const chunks = await invokeStreamChunks(client, MISTRAL_LARGE, body);
    const streamed = chunks
      .map((chunk) => (chunk.choices as { message: { content: string } }[])[0]?.message.content)
      .join('');
    expect(streamed).toBe(
      (whole.choices as { message: { content: string } }[])[0]?.message.content,
    );
    client.destroy();
  });

  it('refuses Mistral bodies outside the schema', async () => {
    const client = runtimeClient(emulator);
    const topK = await rejection(invokeJson(client, MISTRAL_7B, { prompt: 'hi', top_k: 500 }));
    expect(topK.message).toBe(
      'Malformed input request: #/top_k: 500 is not less or equal to 200, please reformat your input and try again.',
    );
    const tooLong = await rejection(
      invokeJson(client, MISTRAL_7B, { prompt: 'hi', max_tokens: 9000 }),
    );
    expect(tooLong.message).toBe(
      'Malformed input request: #/max_tokens: 9000 is not less or equal to 8192, please reformat your input and try again.',
    );
    client.destroy();
  });
});

describe('Llama 3.x and 4 bodies', () => {
  it('answers Llama 3.3 and Llama 4 prompts through their profiles, as Converse does', async () => {
    const client = runtimeClient(emulator);
    for (const [id, prompt] of [
      [
        'us.meta.llama3-3-70b-instruct-v1:0',
        `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${QUESTION}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
      ],
      [
        'us.meta.llama4-maverick-17b-instruct-v1:0',
        `<|begin_of_text|><|header_start|>user<|header_end|>\n\n${QUESTION}<|eot|><|header_start|>assistant<|header_end|>\n\n`,
      ],
    ] as const) {
      const whole = await invokeJson(client, id, { prompt, max_gen_len: 512 });
      expect(whole.generation).toBe(await converseText(client, converseInput(id, QUESTION)));
      expect(chunkText(await invokeStreamChunks(client, id, { prompt }))).toBe(whole.generation);
    }
    client.destroy();
  });

  it('takes images only on the vision models', async () => {
    const client = runtimeClient(emulator);
    const prompt = `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is in this picture?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`;
    const seen = await invokeJson(client, 'us.meta.llama3-2-11b-instruct-v1:0', {
      prompt,
      images: ['iVBORw0KGgo='],
    });
    expect(seen.generation).toBeTypeOf('string');
    const blind = await rejection(
      invokeJson(client, 'us.meta.llama3-3-70b-instruct-v1:0', {
        prompt,
        images: ['iVBORw0KGgo='],
      }),
    );
    expect(blind.message).toBe(
      'Malformed input request: #: extraneous key [images] is not permitted, please reformat your input and try again.',
    );
    client.destroy();
  });
});

describe('Converse feature checks', () => {
  const png = new Uint8Array([137, 80, 78, 71]);

  it.each([
    [
      'an image to a model without image input',
      converseInput('amazon.nova-micro-v1:0', QUESTION),
      { image: { format: 'png' as const, source: { bytes: png } } },
      "This model doesn't support the image content block that you provided. Try again with a supported content block.",
    ],
    [
      'a document to a model without document chat',
      converseInput('amazon.nova-micro-v1:0', QUESTION),
      { document: { format: 'txt' as const, name: 'notes', source: { bytes: png } } },
      "This model doesn't support the document content block that you provided. Try again with a supported content block.",
    ],
  ])('refuses %s', async (_case, input, block, message) => {
    const client = runtimeClient(emulator);
    const error = await rejection(
      client.send(
        new ConverseCommand({
          ...input,
          messages: [{ role: 'user', content: [{ text: QUESTION }, block] }],
        }),
      ),
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(message);
    client.destroy();
  });

  it('refuses a system prompt and tool use where the model has neither', async () => {
    const client = runtimeClient(emulator);
    const system = await rejection(
      client.send(
        new ConverseCommand(
          converseInput(MISTRAL_7B, QUESTION, { system: [{ text: 'Be brief.' }] }),
        ),
      ),
    );
    expect(system.message).toBe(
      "This model doesn't support system messages. Try again without a system message.",
    );
    const tools = await rejection(
      client.send(
        new ConverseCommand(
          converseInput('meta.llama3-8b-instruct-v1:0', QUESTION, {
            toolConfig: {
              tools: [{ toolSpec: { name: 'clock', inputSchema: { json: { type: 'object' } } } }],
            },
          }),
        ),
      ),
    );
    expect(tools.message).toBe("This model doesn't support tool use.");
    // Where the model has the feature, the same request is answered.
    const large = await converseText(
      client,
      converseInput(MISTRAL_LARGE, QUESTION, { system: [{ text: 'Be brief.' }] }),
    );
    expect(large).toContain(QUESTION);
    client.destroy();
  });
});
