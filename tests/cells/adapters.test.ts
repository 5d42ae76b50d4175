import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../cells/events.ts';
import { adapterFor, newStreamState, UnknownModelError } from '../../cells/models/index.ts';

/** Feeds decoded chunks through one adapter with one state, as the server does. */
function stream(modelId: string, chunks: unknown[]): RunEvent[] {
  const adapter = adapterFor(modelId);
  const state = newStreamState();
  return chunks.flatMap((chunk) => adapter.parseStreamChunk(chunk, state));
}

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA2 = 'meta.llama2-13b-chat-v1';

describe('choosing an adapter', () => {
  it('picks the family from the model id, an ARN or an inference profile', () => {
    expect(adapterFor(HAIKU).family).toBe('claude');
    expect(
      adapterFor('arn:aws:bedrock:us-west-2::foundation-model/meta.llama2-70b-chat-v1').family,
    ).toBe('llama2');
    expect(adapterFor('us.meta.llama3-1-8b-instruct-v1:0').family).toBe('llama3');
    expect(adapterFor('us.anthropic.claude-3-5-sonnet-20241022-v2:0').family).toBe('claude');
  });

  it('throws a clear error for a family without a native template', () => {
    expect(() => adapterFor('amazon.titan-text-express-v1')).toThrow(UnknownModelError);
    expect(() => adapterFor('amazon.titan-text-express-v1')).toThrow(
      /No native body adapter for model "amazon.titan-text-express-v1"/,
    );
  });
});

describe('Claude native stream chunks', () => {
  const chunks = [
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        role: 'assistant',
        content: [],
        usage: { input_tokens: 21, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Ahoy' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ', matey!' } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 6 },
    },
    {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: 21,
        outputTokenCount: 6,
        invocationLatency: 412,
        firstByteLatency: 180,
      },
    },
  ];

  it('streams text deltas, then the stop reason, then usage from the invocation metrics', () => {
    expect(stream(HAIKU, chunks)).toEqual([
      { type: 'text', text: 'Ahoy' },
      { type: 'text', text: ', matey!' },
      { type: 'stop', reason: 'end_turn' },
      { type: 'usage', inputTokens: 21, outputTokens: 6 },
    ]);
  });

  it('falls back to the message usage when the metrics are missing', () => {
    const withoutMetrics = [...chunks.slice(0, -1), { type: 'message_stop' }];
    expect(stream(HAIKU, withoutMetrics).at(-1)).toEqual({
      type: 'usage',
      inputTokens: 21,
      outputTokens: 6,
    });
  });

  it('ignores chunks it does not know', () => {
    expect(stream(HAIKU, [{ type: 'ping' }, null, 'junk'])).toEqual([]);
  });

  it('reads a non-streaming Messages response', () => {
    expect(
      adapterFor(HAIKU).parseResponse({
        content: [{ type: 'text', text: 'Ahoy!' }],
        stop_reason: 'max_tokens',
        usage: { input_tokens: 5, output_tokens: 2 },
      }),
    ).toEqual([
      { type: 'text', text: 'Ahoy!' },
      { type: 'stop', reason: 'max_tokens' },
      { type: 'usage', inputTokens: 5, outputTokens: 2 },
    ]);
  });
});

describe('Llama native stream chunks', () => {
  const chunks = [
    { generation: ' Arr', prompt_token_count: 48, generation_token_count: 1, stop_reason: null },
    {
      generation: ', me hearty',
      prompt_token_count: null,
      generation_token_count: 4,
      stop_reason: null,
    },
    {
      generation: '.',
      prompt_token_count: null,
      generation_token_count: 5,
      stop_reason: 'stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: 48,
        outputTokenCount: 5,
        invocationLatency: 640,
        firstByteLatency: 230,
      },
    },
  ];

  it('streams generations as text, then the stop reason and usage', () => {
    expect(stream(LLAMA2, chunks)).toEqual([
      { type: 'text', text: ' Arr' },
      { type: 'text', text: ', me hearty' },
      { type: 'text', text: '.' },
      { type: 'stop', reason: 'stop' },
      { type: 'usage', inputTokens: 48, outputTokens: 5 },
    ]);
  });

  it('counts tokens from the chunks when the metrics are missing', () => {
    const last = {
      generation: '',
      prompt_token_count: null,
      generation_token_count: 9,
      stop_reason: 'length',
    };
    expect(stream('meta.llama3-8b-instruct-v1:0', [chunks[0], last])).toEqual([
      { type: 'text', text: ' Arr' },
      { type: 'stop', reason: 'length' },
      { type: 'usage', inputTokens: 48, outputTokens: 9 },
    ]);
  });

  it('reads a non-streaming Llama response', () => {
    expect(
      adapterFor(LLAMA2).parseResponse({
        generation: 'Hello, world!',
        prompt_token_count: 20,
        generation_token_count: 4,
        stop_reason: 'stop',
      }),
    ).toEqual([
      { type: 'text', text: 'Hello, world!' },
      { type: 'stop', reason: 'stop' },
      { type: 'usage', inputTokens: 20, outputTokens: 4 },
    ]);
  });
});

describe('native bodies', () => {
  it('trims the trailing whitespace of a Claude prefill, with a warning', () => {
    const { body, warnings } = adapterFor(HAIKU).buildNativeBody({
      messages: [
        { role: 'user', text: 'Name a colour.' },
        { role: 'assistant', text: 'The colour is ' },
      ],
      config: {},
      extras: {},
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Name a colour.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'The colour is' }] },
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('warns about Llama extras that Converse would pass on', () => {
    expect(
      adapterFor(LLAMA2).converseWarnings({ messages: [], config: {}, extras: { top_k: 5 } }),
    ).toEqual([
      'Llama 2 13B Chat has no "top_k" parameter: Bedrock is likely to reject these additionalModelRequestFields',
    ]);
  });
});
