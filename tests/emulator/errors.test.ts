import { makePng } from '../support/example-attachments.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessDeniedException,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  ModelErrorException,
  ModelStreamErrorException,
  ModelTimeoutException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import type { CountTokensInput } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import {
  HAIKU,
  LLAMA2,
  LLAMA3,
  converseInput,
  invokeJson,
  invokeStreamChunks,
  rejection,
  runtimeClient,
} from './helpers.ts';

const DENIED = 'anthropic.claude-3-opus-20240229-v1:0';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0, deny: [DENIED] });
});
afterAll(() => emulator.close());

describe('errors before the answer', () => {
  it.each([
    [
      'an unknown model id',
      converseInput('acme.unknown-v1', 'hi'),
      'The provided model identifier is invalid.',
    ],
    [
      'a conversation opened by the assistant',
      { modelId: HAIKU, messages: [{ role: 'assistant' as const, content: [{ text: 'hi' }] }] },
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    ],
    [
      'roles that do not alternate',
      {
        modelId: HAIKU,
        messages: [
          { role: 'user' as const, content: [{ text: 'one' }] },
          { role: 'user' as const, content: [{ text: 'two' }] },
        ],
      },
      'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
    ],
    [
      'a request without messages',
      { modelId: HAIKU },
      "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a first message with empty content',
      { modelId: HAIKU, messages: [{ role: 'user' as const, content: [] }] },
      'The content field in the Message object at messages.0 is empty. Add a ContentBlock object to the content field and try again.',
    ],
    [
      'a later message with empty content',
      {
        modelId: LLAMA3,
        messages: [
          { role: 'user' as const, content: [{ text: 'one' }] },
          { role: 'assistant' as const, content: [] },
          { role: 'user' as const, content: [{ text: 'two' }] },
        ],
      },
      'The content field in the Message object at messages.1 is empty. Add a ContentBlock object to the content field and try again.',
    ],
    [
      'a temperature above 1',
      converseInput(HAIKU, 'hi', { inferenceConfig: { temperature: 1.5 } }),
      "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1",
    ],
    [
      'a topP above 1',
      converseInput(HAIKU, 'hi', { inferenceConfig: { topP: 1.5 } }),
      "1 validation error detected: Value '1.5' at 'inferenceConfig.topP' failed to satisfy constraint: Member must have value less than or equal to 1",
    ],
    [
      'a maxTokens of 0',
      converseInput(HAIKU, 'hi', { inferenceConfig: { maxTokens: 0 } }),
      "1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'maxTokens above the model limit',
      converseInput(HAIKU, 'hi', { inferenceConfig: { maxTokens: 5000 } }),
      'The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.',
    ],
  ])('rejects %s with ValidationException', async (_case, input, message) => {
    const client = runtimeClient(emulator);
    const error = await rejection(client.send(new ConverseCommand(input)));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(message);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    client.destroy();
  });

  it('rejects an image of an unsupported format and a badly named document', async () => {
    const client = runtimeClient(emulator);
    const bytes = new Uint8Array([1, 2, 3]);
    const image = await rejection(
      client.send(
        new ConverseCommand({
          modelId: HAIKU,
          messages: [
            {
              role: 'user',
              content: [{ text: 'look' }, { image: { format: 'bmp' as 'png', source: { bytes } } }],
            },
          ],
        }),
      ),
    );
    expect(image).toBeInstanceOf(ValidationException);
    expect(image.message).toContain(
      "Value 'bmp' at 'messages.1.member.content.2.member.image.format'",
    );
    const doc = await rejection(
      client.send(
        new ConverseCommand({
          modelId: HAIKU,
          messages: [
            {
              role: 'user',
              content: [
                { text: 'read' },
                { document: { format: 'txt', name: 'notes.txt', source: { bytes } } },
              ],
            },
          ],
        }),
      ),
    );
    expect(doc).toBeInstanceOf(ValidationException);
    expect(doc.message).toMatch(/^The document file name can only contain alphanumeric characters/);
    client.destroy();
  });

  it('rejects an image over 3.75 MB and accepts one at the limit', async () => {
    // A real PNG's header, padded to the size wanted: the emulator reads the header.
    const pngOf = (size: number) => {
      const bytes = new Uint8Array(size);
      bytes.set(makePng(1, 1, () => [0, 0, 0]));
      return bytes;
    };
    const client = runtimeClient(emulator);
    const send = (size: number) =>
      client.send(
        new ConverseCommand({
          modelId: HAIKU,
          messages: [
            {
              role: 'user',
              content: [
                { text: 'look' },
                { image: { format: 'png', source: { bytes: pngOf(size) } } },
              ],
            },
          ],
        }),
      );
    const limit = 3.75 * 1024 * 1024;
    const error = await rejection(send(limit + 1));
    expect(error).toBeInstanceOf(ValidationException);
    // Bedrock's words: the model checks the 5 MB of base64 that 3.75 MB of image becomes.
    expect(error.message).toBe(
      'The model returned the following errors: messages.0.content.1.image.source: image exceeds 5 MB maximum: 5242884 bytes > 5242880 bytes',
    );
    await expect(send(limit)).resolves.toMatchObject({ stopReason: 'end_turn' });
    client.destroy();
  });

  it('rejects more than 20 images and more than 5 documents', async () => {
    const client = runtimeClient(emulator);
    const bytes = new Uint8Array([1, 2, 3]);
    const images = Array.from({ length: 21 }, () => ({
      image: { format: 'png' as const, source: { bytes } },
    }));
    const docs = Array.from({ length: 6 }, (_, i) => ({
      document: { format: 'txt' as const, name: `notes ${i}`, source: { bytes } },
    }));
    for (const extra of [images, docs]) {
      const error = await rejection(
        client.send(
          new ConverseCommand({
            modelId: HAIKU,
            messages: [{ role: 'user', content: [{ text: 'x' }, ...extra] }],
          }),
        ),
      );
      expect(error).toBeInstanceOf(ValidationException);
    }
    client.destroy();
  });

  it('rejects Llama bodies without a prompt or with max_gen_len above 2048', async () => {
    const client = runtimeClient(emulator);
    const missing = await rejection(invokeJson(client, LLAMA2, { max_gen_len: 10 }));
    expect(missing).toBeInstanceOf(ValidationException);
    expect(missing.message).toBe(
      'Malformed input request: #: required key [prompt] not found, please reformat your input and try again.',
    );
    const tooLong = await rejection(
      invokeJson(client, LLAMA2, { prompt: 'hi', max_gen_len: 4096 }),
    );
    expect(tooLong.message).toBe(
      'Malformed input request: #/max_gen_len: 4096 is not less or equal to 2048, please reformat your input and try again.',
    );
    client.destroy();
  });

  it.each([
    ['null', null, 'Null'],
    ['a string', 'prompt', 'String'],
    ['an array', [{ prompt: 'hi' }], 'JSONArray'],
    ['an integer', 42, 'Integer'],
    ['a decimal', 4.2, 'BigDecimal'],
    ['a boolean', true, 'Boolean'],
  ])(
    'names the JSON type when a native body is %s instead of an object',
    async (_case, body, type) => {
      const client = runtimeClient(emulator);
      for (const modelId of [LLAMA2, HAIKU]) {
        const error = await rejection(invokeJson(client, modelId, body));
        expect(error).toBeInstanceOf(ValidationException);
        expect(error.message).toBe(
          `Malformed input request: #: expected type: JSONObject, found: ${type}, please reformat your input and try again.`,
        );
      }
      client.destroy();
    },
  );

  it("rejects a Claude Messages body with an empty message in Anthropic's wording", async () => {
    const client = runtimeClient(emulator);
    const body = (messages: unknown[]) => ({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 50,
      messages,
    });
    for (const content of [[], '']) {
      const error = await rejection(invokeJson(client, HAIKU, body([{ role: 'user', content }])));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toBe(
        'messages.0: all messages must have non-empty content except for the optional final assistant message',
      );
    }
    // An empty final assistant message is a prefill, and allowed.
    const prefill = await invokeJson(
      client,
      HAIKU,
      body([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [] },
      ]),
    );
    expect(prefill.type).toBe('message');
    client.destroy();
  });

  it('rejects CountTokens with both or neither member of its input union set', async () => {
    const client = runtimeClient(emulator);
    const converse = { messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] };
    const invokeModel = {
      body: new TextEncoder().encode(
        JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 9, messages: [] }),
      ),
    };
    for (const [input, set] of [
      [{ converse, invokeModel }, '2 are'],
      [{}, 'none is'],
    ] as const) {
      const error = await rejection(
        client.send(new CountTokensCommand({ modelId: HAIKU, input: input as CountTokensInput })),
      );
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        `The input field is a CountTokensInput union: set exactly one of its members (converse, invokeModel), but ${set} set.`,
      );
    }
    client.destroy();
  });

  it('rejects a body that is not JSON with ValidationException and keeps serving', async () => {
    const client = runtimeClient(emulator);
    const error = await rejection(
      client.send(
        new InvokeModelCommand({
          modelId: LLAMA2,
          contentType: 'application/json',
          body: '{"prompt":',
        }),
      ),
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect((await invokeJson(client, LLAMA2, { prompt: 'still there?' })).generation).toBeTypeOf(
      'string',
    );
    client.destroy();
  });

  it('denies a model on the deny list with AccessDeniedException', async () => {
    const client = runtimeClient(emulator);
    const error = await rejection(client.send(new ConverseCommand(converseInput(DENIED, 'hi'))));
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.message).toBe("You don't have access to the model with the specified model ID.");
    expect(error.$metadata?.httpStatusCode).toBe(403);
    client.destroy();
  });
});

describe('fault directives', () => {
  it.each([
    ['[[fault:throttling]]', ThrottlingException, 429],
    ['[[fault:access-denied]]', AccessDeniedException, 403],
    ['[[fault:timeout]]', ModelTimeoutException, 408],
  ])('%s answers its exception before a stream starts', async (directive, type, status) => {
    const client = runtimeClient(emulator);
    const error = await rejection(
      client.send(new ConverseStreamCommand(converseInput(HAIKU, `Tell me a story ${directive}`))),
    );
    expect(error).toBeInstanceOf(type);
    expect(error.$metadata?.httpStatusCode).toBe(status);
    client.destroy();
  });

  it('[[fault:stream-error:after=N]] throws ModelStreamErrorException after exactly N tokens', async () => {
    const client = runtimeClient(emulator);
    const out = await client.send(
      new ConverseStreamCommand(
        converseInput(HAIKU, 'Describe the ocean [[fault:stream-error:after=7]]'),
      ),
    );
    let deltas = 0;
    const error = await rejection(
      (async () => {
        for await (const event of out.stream ?? []) if (event.contentBlockDelta) deltas += 1;
      })(),
    );
    expect(error).toBeInstanceOf(ModelStreamErrorException);
    expect(deltas).toBe(7);
    client.destroy();
  });

  it('[[fault:stream-error:after=N]] also interrupts native chunk streams after N chunks', async () => {
    const client = runtimeClient(emulator);
    const chunks: unknown[] = [];
    const error = await rejection(
      (async () => {
        for (const chunk of await invokeStreamChunks(client, LLAMA2, {
          prompt: '[INST] Describe a forest [[fault:stream-error:after=4]] [/INST]',
        })) {
          chunks.push(chunk);
        }
      })(),
    );
    expect(error).toBeInstanceOf(ModelStreamErrorException);
    client.destroy();
  });

  it('[[fault:stream-error]] on a non-streaming Converse answers ModelErrorException', async () => {
    const client = runtimeClient(emulator);
    const error = await rejection(
      client.send(new ConverseCommand(converseInput(HAIKU, 'Hi [[fault:stream-error:after=3]]'))),
    );
    expect(error).toBeInstanceOf(ModelErrorException);
    expect(error.$metadata?.httpStatusCode).toBe(424);
    client.destroy();
  });

  it.each([false, true])(
    '[[fault:disconnect:after=N]] fails the SDK stream after N tokens (HTTP/1.1: %s)',
    async (http1) => {
      const client = runtimeClient(emulator, { http1 });
      const ended = new Promise<{ outcome: string; tokensSent: number }>((resolve) =>
        emulator.events.once('stream-end', resolve),
      );
      const out = await client.send(
        new ConverseStreamCommand(
          converseInput(HAIKU, 'Explain tides [[fault:disconnect:after=5]]'),
        ),
      );
      let deltas = 0;
      const error = await rejection(
        (async () => {
          for await (const event of out.stream ?? []) if (event.contentBlockDelta) deltas += 1;
        })(),
      );
      expect(error).toBeInstanceOf(Error);
      expect(deltas).toBe(5);
      expect(await ended).toMatchObject({ outcome: 'fault', tokensSent: 5 });
      client.destroy();
    },
  );

  it('[[fault:disconnect]] on a non-streaming call surfaces as an error, not a hang', async () => {
    const client = runtimeClient(emulator);
    const error = await rejection(
      client.send(new ConverseCommand(converseInput(LLAMA2, 'Hi [[fault:disconnect]]'))),
    );
    expect(error).toBeInstanceOf(Error);
    client.destroy();
  });
});
