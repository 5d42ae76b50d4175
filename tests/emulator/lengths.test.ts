import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults } from '../../server/emulator/faults.ts';
import { composeAnswer } from '../../server/emulator/generate.ts';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import { askedLength } from '../../server/emulator/length.ts';
import { MODELS } from '../../server/emulator/models.ts';
import { tokenize } from '../../server/emulator/tokens.ts';
import {
  HAIKU,
  LLAMA2,
  LLAMA3,
  chunkText,
  converseInput,
  converseStreamAll,
  converseText,
  invokeStreamChunks,
  runtimeClient,
} from './helpers.ts';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

const OPUS = 'anthropic.claude-3-opus-20240229-v1:0';
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const paragraphs = (text: string) => text.split(/\n\s*\n/).filter((p) => p.trim()).length;

const byId = (id: string) => {
  const model = MODELS.find((candidate) => candidate.id === id);
  if (!model) throw new Error(`no model ${id} in the catalog`);
  return model;
};

describe('answers of the length a prompt asks for', () => {
  it('reads counts in digits or words, "under N", "a N-word", and scales from long to brief', () => {
    const cases: [string, object | undefined][] = [
      ['Answer in 200 words: why is the sky blue?', { unit: 'words', count: 200 }],
      ['Write three paragraphs about whales', { unit: 'paragraphs', count: 3 }],
      ['Explain it in one line.', { unit: 'lines', count: 1 }],
      ['Describe Rome in a single sentence', { unit: 'sentences', count: 1 }],
      ['Keep it to twenty-five words', { unit: 'words', count: 25 }],
      ['in two hundred words', { unit: 'words', count: 200 }],
      ['Answer in under 30 words', { unit: 'words', count: 29 }],
      ['Write a 50-word summary', { unit: 'words', count: 50 }],
      ['Give me a one-liner about cats', { unit: 'lines', count: 1 }],
      ['List five bullet points on bees', { unit: 'lines', count: 5 }],
      ['Write a very long essay about the sea', { scale: 'very-long', phrase: 'very long essay' }],
      ['Explain photosynthesis in detail', { scale: 'long' }],
      ['Explain tides briefly', { scale: 'brief' }],
      // A question about time is not a request for a long answer.
      ['How long did it take?', undefined],
      ['Who built the pyramids?', undefined],
      // However many are asked for, an answer is composed of a bounded number.
      ['in 99999999 words', { unit: 'words', count: 20_000 }],
    ];
    for (const [text, expected] of cases) {
      if (expected) expect(askedLength(text), text).toMatchObject(expected);
      else expect(askedLength(text), text).toBeUndefined();
    }
  });

  it('answers "in one line" with one line that still quotes the request, through the SDK', async () => {
    const client = runtimeClient(emulator);
    const prompt = 'Describe the purpose of a hello world program in one line.';
    for (const modelId of [HAIKU, LLAMA2, LLAMA3]) {
      const text = await converseText(client, converseInput(modelId, prompt));
      expect(text).toContain(prompt);
      expect(text).not.toContain('\n');
      // More than the quote: one sentence of answer follows it.
      expect(text.replace(prompt, '').split(/\s+/).length).toBeGreaterThan(8);
    }
    client.destroy();
  });

  it('answers "in 200 words" with 200 words and "in three paragraphs" with three, streamed as sent', async () => {
    const client = runtimeClient(emulator);
    for (const modelId of [HAIKU, OPUS, LLAMA2, LLAMA3]) {
      const counted = await converseStreamAll(
        client,
        converseInput(modelId, 'Answer in 200 words: why is the sky blue?'),
      );
      expect(words(counted.text)).toBe(200);
      expect(counted.usage?.outputTokens).toBe(counted.deltas);

      const prompt = 'Tell me about whales in three paragraphs.';
      const text = await converseText(client, converseInput(modelId, prompt));
      expect(paragraphs(text)).toBe(3);
      // The words that ask for a length are quoted, but not taken for the topic.
      expect(text.replaceAll(prompt, '')).not.toMatch(/\bparagraphs\b/);
    }
    client.destroy();
  });

  it('writes a very long essay several times longer than an answer that asks for no length, until maxTokens', async () => {
    const client = runtimeClient(emulator);
    const plain = await converseStreamAll(client, converseInput(OPUS, 'Write about the sea.'));
    const long = await converseStreamAll(
      client,
      converseInput(OPUS, 'Write a very long essay about the sea.'),
    );
    expect(long.stopReason).toBe('end_turn');
    expect(long.usage!.outputTokens!).toBeGreaterThan(8 * plain.usage!.outputTokens!);
    const capped = await converseStreamAll(
      client,
      converseInput(OPUS, 'Write a very long essay about the sea.', {
        inferenceConfig: { maxTokens: 300 },
      }),
    );
    expect(capped).toMatchObject({ stopReason: 'max_tokens', usage: { outputTokens: 300 } });
    expect(long.text.startsWith(capped.text)).toBe(true);

    const brief = await converseText(client, converseInput(OPUS, 'Explain tides briefly.'));
    const usual = await converseText(client, converseInput(OPUS, 'Explain tides.'));
    expect(words(brief)).toBeLessThan(words(usual));
    client.destroy();
  });

  it('streams exactly N tokens for [[fault:tokens:n=N]], usage saying N, over HTTP/2 and HTTP/1.1', async () => {
    for (const http1 of [false, true]) {
      const client = runtimeClient(emulator, { http1 });
      for (const n of [1, 37, 3000]) {
        const result = await converseStreamAll(
          client,
          converseInput(HAIKU, `Tell me about rivers [[fault:tokens:n=${n}]]`),
        );
        expect(result).toMatchObject({ deltas: n, stopReason: 'end_turn' });
        expect(result.usage?.outputTokens).toBe(n);
        expect(tokenize(result.text)).toHaveLength(n);
        expect(result.text).not.toContain('[[fault');
      }
      client.destroy();
    }
  });

  it('cuts an exact length at maxTokens, max_gen_len or a stop sequence, as a prefix of the same answer', async () => {
    const client = runtimeClient(emulator);
    const prompt = 'Tell me about rivers [[fault:tokens:n=500]]';
    const full = await converseStreamAll(client, converseInput(HAIKU, prompt));
    const cut = await converseStreamAll(
      client,
      converseInput(HAIKU, prompt, { inferenceConfig: { maxTokens: 120 } }),
    );
    expect(cut).toMatchObject({ deltas: 120, stopReason: 'max_tokens' });
    expect(full.text.startsWith(cut.text)).toBe(true);
    const stopAt = full.text.indexOf(' river', 200);
    const stopped = await converseStreamAll(
      client,
      converseInput(HAIKU, prompt, { inferenceConfig: { stopSequences: [' river'] } }),
    );
    expect(stopped.stopReason).toBe('stop_sequence');
    expect(stopped.text).toBe(full.text.slice(0, full.text.indexOf(' river')));
    expect(stopAt).toBeGreaterThan(0);

    // Llama's native stream: the exact length, then the same cut by max_gen_len.
    for (const [maxGenLen, count, reason] of [
      [2048, 1200, 'stop'],
      [100, 100, 'length'],
    ] as const) {
      const chunks = await invokeStreamChunks(client, LLAMA2, {
        prompt: '<s>[INST] Tell me about rivers [[fault:tokens:n=1200]] [/INST]',
        max_gen_len: maxGenLen,
      });
      const last = chunks.at(-1)!;
      expect(last.stop_reason).toBe(reason);
      expect(last['amazon-bedrock-invocationMetrics']).toMatchObject({ outputTokenCount: count });
      expect(tokenize(chunkText(chunks))).toHaveLength(count);
    }
    client.destroy();
  });

  it('applies [[fault:tokens]] with model= only to the models it names', async () => {
    const client = runtimeClient(emulator);
    const prompt = 'Tell me about rivers [[fault:tokens:n=700:model=haiku]]';
    const haiku = await converseStreamAll(client, converseInput(HAIKU, prompt));
    const llama = await converseStreamAll(client, converseInput(LLAMA3, prompt));
    expect(haiku.usage?.outputTokens).toBe(700);
    expect(llama.usage?.outputTokens).toBeLessThan(700);
    expect(parseFaults('[[fault:tokens:n=0]]').tokens).toBe(1);
    client.destroy();
  });

  it('composes exactly N tokens for any N and model, whatever the words of the prompt', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.integer({ min: 1, max: 2500 }),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.constantFrom('', 'You are a pirate.', 'Answer in JSON.', 'Reply in all caps.'),
        (model, n, text, system) => {
          const answer = composeAnswer(
            model,
            { system, turns: [{ role: 'user', text: `${text} extraordinarily`, attachments: [] }] },
            n,
          );
          expect(tokenize(answer)).toHaveLength(n);
        },
      ),
      // A word that names a member of Object.prototype once broke the pirate voice.
      {
        numRuns: 60,
        examples: [
          [byId('meta.llama3-1-405b-instruct-v1:0'), 121, 'constructor', 'You are a pirate.'],
        ],
      },
    );
  });
});
