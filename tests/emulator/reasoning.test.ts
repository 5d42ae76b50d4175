import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConverseCommand,
  ConverseStreamCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import {
  SONNET4,
  converseInput,
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

const QUESTION = 'Is 1729 the sum of two cubes in two different ways?';
const PROFILE = `us.${SONNET4}`;
const thinking = (budget_tokens: number) => ({ thinking: { type: 'enabled', budget_tokens } });
const thinkingInput = (
  modelId: string,
  extra: Partial<ConverseCommandInput> = {},
): ConverseCommandInput =>
  converseInput(modelId, QUESTION, {
    inferenceConfig: { maxTokens: 4000 },
    additionalModelRequestFields: thinking(2048),
    ...extra,
  });

describe('reasoning through Converse', () => {
  it('streams reasoning deltas, then the signature, then the text, and counts reasoning as output', async () => {
    const client = runtimeClient(emulator);
    const out = await client.send(new ConverseStreamCommand(thinkingInput(PROFILE)));
    const kinds: string[] = [];
    let reasoning = '';
    let text = '';
    let signature = '';
    let outputTokens = 0;
    for await (const event of out.stream ?? []) {
      const delta = event.contentBlockDelta?.delta;
      if (delta?.reasoningContent?.text !== undefined) {
        kinds.push(`reasoning@${event.contentBlockDelta?.contentBlockIndex}`);
        reasoning += delta.reasoningContent.text;
      } else if (delta?.reasoningContent?.signature !== undefined) {
        kinds.push('signature');
        signature = delta.reasoningContent.signature;
      } else if (delta?.text !== undefined) {
        kinds.push(`text@${event.contentBlockDelta?.contentBlockIndex}`);
        text += delta.text;
      } else if (event.contentBlockStop) {
        kinds.push(`stop@${event.contentBlockStop.contentBlockIndex}`);
      }
      if (event.metadata) outputTokens = event.metadata.usage?.outputTokens ?? 0;
    }
    // Collapse runs: the shape of the stream, in order.
    const shape = kinds.filter((kind, i) => kind !== kinds[i - 1]);
    expect(shape).toEqual(['reasoning@0', 'signature', 'stop@0', 'text@1', 'stop@1']);
    expect(reasoning).toContain(QUESTION);
    expect(text).toContain(QUESTION);
    expect(signature.length).toBeGreaterThan(20);
    const reasoningDeltas = kinds.filter((kind) => kind === 'reasoning@0').length;
    const textDeltas = kinds.filter((kind) => kind === 'text@1').length;
    expect(outputTokens).toBe(reasoningDeltas + textDeltas);

    const whole = await client.send(new ConverseCommand(thinkingInput(PROFILE)));
    const [first, second] = whole.output?.message?.content ?? [];
    expect(first?.reasoningContent?.reasoningText?.text).toBe(reasoning);
    expect(first?.reasoningContent?.reasoningText?.signature).not.toBe(signature);
    expect(second?.text).toBe(text);
    expect(whole.usage?.outputTokens).toBe(outputTokens);
    client.destroy();
  });

  it('accepts an earlier answer’s reasoning block in the conversation', async () => {
    const client = runtimeClient(emulator);
    const first = await client.send(new ConverseCommand(thinkingInput(PROFILE)));
    const next = await client.send(
      new ConverseCommand({
        ...thinkingInput(PROFILE),
        messages: [
          { role: 'user', content: [{ text: QUESTION }] },
          { role: 'assistant', content: first.output?.message?.content ?? [] },
          { role: 'user', content: [{ text: 'And 4104?' }] },
        ],
      }),
    );
    expect(next.output?.message?.content?.at(-1)?.text).toContain('And 4104?');
    client.destroy();
  });

  it('keeps the answer within maxTokens once reasoning has used its share', async () => {
    const client = runtimeClient(emulator);
    const out = await client.send(
      new ConverseCommand(
        thinkingInput(PROFILE, {
          inferenceConfig: { maxTokens: 1025 },
          additionalModelRequestFields: thinking(1024),
        }),
      ),
    );
    expect(out.usage?.outputTokens).toBeLessThanOrEqual(1025);
    expect(out.output?.message?.content?.[0]?.reasoningContent).toBeDefined();
    client.destroy();
  });

  it.each([
    [
      'a budget under 1024',
      { inferenceConfig: { maxTokens: 4000 }, additionalModelRequestFields: thinking(1000) },
      'The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
    ],
    [
      'a budget not below maxTokens',
      { inferenceConfig: { maxTokens: 2048 }, additionalModelRequestFields: thinking(2048) },
      'The model returned the following errors: `max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size',
    ],
    [
      'a temperature other than 1',
      {
        inferenceConfig: { maxTokens: 4000, temperature: 0.2 },
        additionalModelRequestFields: thinking(2048),
      },
      'The model returned the following errors: `temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking',
    ],
    [
      'top_k',
      {
        inferenceConfig: { maxTokens: 4000 },
        additionalModelRequestFields: { ...thinking(2048), top_k: 50 },
      },
      'The model returned the following errors: `top_k` must be unset when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#important-considerations-when-using-extended-thinking',
    ],
  ])('refuses %s in Anthropic’s words', async (_case, extra, message) => {
    const client = runtimeClient(emulator);
    const error = await rejection(
      client.send(new ConverseCommand(converseInput(PROFILE, QUESTION, extra))),
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe(message);
    client.destroy();
  });

  it('refuses thinking on models without reasoning', async () => {
    const client = runtimeClient(emulator);
    const claude = await rejection(
      client.send(new ConverseCommand(thinkingInput('anthropic.claude-3-5-sonnet-20240620-v1:0'))),
    );
    expect(claude).toBeInstanceOf(ValidationException);
    expect(claude.message).toBe(
      'The model returned the following errors: claude-3-5-sonnet-20240620 does not support thinking.',
    );
    const llama = await rejection(
      client.send(
        new ConverseCommand(
          thinkingInput('us.meta.llama3-3-70b-instruct-v1:0', {
            inferenceConfig: { maxTokens: 2000 },
            additionalModelRequestFields: thinking(1024),
          }),
        ),
      ),
    );
    expect(llama.message).toBe(
      'Malformed input request: #: extraneous key [thinking] is not permitted, please reformat your input and try again.',
    );
    client.destroy();
  });
});

describe('reasoning in the native Claude Messages body', () => {
  const body = (budget = 2048) => ({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 4000,
    thinking: { type: 'enabled', budget_tokens: budget },
    messages: [{ role: 'user', content: QUESTION }],
  });

  it('answers a thinking block before the text, streamed as thinking_delta and signature_delta', async () => {
    const client = runtimeClient(emulator);
    const whole = await invokeJson(client, PROFILE, body());
    const content = whole.content as { type: string; thinking?: string; text?: string }[];
    expect(content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const chunks = await invokeStreamChunks(client, PROFILE, body());
    const shape = chunks
      .map((chunk) => {
        const delta = chunk.delta as { type?: string } | undefined;
        return chunk.type === 'content_block_delta' ? (delta?.type ?? '') : String(chunk.type);
      })
      .filter((kind, i, all) => kind !== all[i - 1]);
    expect(shape).toEqual([
      'message_start',
      'content_block_start',
      'thinking_delta',
      'signature_delta',
      'content_block_stop',
      'content_block_start',
      'text_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const thought = chunks
      .map((chunk) => (chunk.delta as { thinking?: string } | undefined)?.thinking ?? '')
      .join('');
    expect(thought).toBe(content[0]?.thinking);
    const usage = whole.usage as { output_tokens: number };
    const deltas = chunks.filter((chunk) => chunk.type === 'content_block_delta').length - 1;
    expect(usage.output_tokens).toBe(deltas);
    client.destroy();
  });

  it('refuses thinking in the native body with the same rules, without Converse’s prefix', async () => {
    const client = runtimeClient(emulator);
    const low = await rejection(invokeJson(client, PROFILE, body(512)));
    expect(low.message).toBe(
      'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024',
    );
    const old = await rejection(
      invokeJson(client, 'anthropic.claude-3-haiku-20240307-v1:0', body()),
    );
    expect(old.message).toBe('claude-3-haiku-20240307 does not support thinking.');
    client.destroy();
  });
});
