import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../cells/events.ts';
import {
  adapterFor,
  newStreamState,
  readerFor,
  renderLlama4Prompt,
  renderMistralPrompt,
} from '../../cells/models/index.ts';
import type { ConversationContext, Turn } from '../../cells/models/index.ts';

const SONNET4 = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const MISTRAL_7B = 'mistral.mistral-7b-instruct-v0:2';
const MISTRAL_LARGE = 'mistral.mistral-large-2407-v1:0';

const user = (text: string): Turn => ({ role: 'user', text });
const assistant = (text: string): Turn => ({ role: 'assistant', text });
const context = (over: Partial<ConversationContext> = {}): ConversationContext => ({
  messages: [user('Why is the sky blue?')],
  config: {},
  extras: {},
  ...over,
});
const metrics = { inputTokenCount: 12, outputTokenCount: 7, invocationLatency: 300 };
/** What two chunks of "Blue" and "." read as, the second ending the stream with the metrics. */
const BLUE_STREAM: RunEvent[] = [
  { type: 'text', text: 'Blue' },
  { type: 'text', text: '.' },
  { type: 'stop', reason: 'stop' },
  { type: 'usage', inputTokens: 12, outputTokens: 7 },
];

function stream(modelId: string, chunks: unknown[]): RunEvent[] {
  const reader = readerFor(modelId);
  const state = newStreamState();
  return chunks.flatMap((chunk) => reader.parseStreamChunk(chunk, state));
}

describe('Claude with extended thinking', () => {
  const thinking = { type: 'enabled', budget_tokens: 2048 };

  it('sends the thinking field and leaves the answer room above the budget', () => {
    const { body, warnings } = adapterFor(SONNET4).buildNativeBody(
      context({ extras: { thinking } }),
    );
    expect(body).toMatchObject({ thinking, max_tokens: 2048 + 1024 });
    expect(warnings).toEqual([]);
  });

  it('warns where Anthropic will refuse the thinking request', () => {
    const warnings = adapterFor(SONNET4).converseWarnings(
      context({
        config: { maxTokens: 2000, temperature: 0.5, topP: 0.5 },
        extras: { thinking, top_k: 5 },
      }),
    );
    expect(warnings).toEqual([
      'Claude Sonnet 4: maxTokens 2000 must be greater than thinking budget_tokens 2048; Bedrock will reject the request',
      'Claude Sonnet 4: temperature 0.5 must be 1 or unset when thinking is enabled; Bedrock will reject the request',
      'Claude Sonnet 4: topP 0.5 must be at least 0.95 or unset when thinking is enabled; Bedrock will reject the request',
      'Claude Sonnet 4: top_k must be unset when thinking is enabled; Bedrock will reject the request',
    ]);
  });

  it('warns that a model without reasoning refuses thinking', () => {
    expect(adapterFor(HAIKU).converseWarnings(context({ extras: { thinking } }))).toEqual([
      'Claude 3 Haiku has no extended thinking: Bedrock will refuse the "thinking" extra (Claude 3.7 Sonnet and the Claude 4 models have it)',
    ]);
  });

  it('streams thinking deltas as reasoning before the text', () => {
    const chunks = [
      { type: 'message_start', message: { usage: { input_tokens: 12, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'Light' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: ' scatters.' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'c2ln' },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Rayleigh.' } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } },
      { type: 'message_stop', 'amazon-bedrock-invocationMetrics': metrics },
    ];
    expect(stream(SONNET4, chunks)).toEqual([
      { type: 'reasoning', text: 'Light' },
      { type: 'reasoning', text: ' scatters.' },
      { type: 'text', text: 'Rayleigh.' },
      { type: 'stop', reason: 'end_turn' },
      { type: 'usage', inputTokens: 12, outputTokens: 7 },
    ]);
  });

  it('reads thinking and redacted thinking blocks of a response as reasoning', () => {
    expect(
      adapterFor(SONNET4)
        .parseResponse({
          content: [
            { type: 'thinking', thinking: 'Light scatters.', signature: 'c2ln' },
            { type: 'redacted_thinking', data: 'ZW5j' },
            { type: 'text', text: 'Rayleigh.' },
          ],
          stop_reason: 'end_turn',
          usage: { input_tokens: 12, output_tokens: 7 },
        })
        .slice(0, 2),
    ).toEqual([
      {
        type: 'reasoning',
        text: 'Light scatters.[Part of the reasoning was redacted by the model provider.]',
      },
      { type: 'text', text: 'Rayleigh.' },
    ]);
  });
});

describe('the Llama 4 template', () => {
  it('uses header_start, header_end and eot markers and ends with an open assistant header', () => {
    expect(
      renderLlama4Prompt('Be brief.', [user('Hi.'), assistant('Hello!'), user('Why blue?')]),
    ).toBe(
      '<|begin_of_text|><|header_start|>system<|header_end|>\n\nBe brief.<|eot|>' +
        '<|header_start|>user<|header_end|>\n\nHi.<|eot|>' +
        '<|header_start|>assistant<|header_end|>\n\nHello!<|eot|>' +
        '<|header_start|>user<|header_end|>\n\nWhy blue?<|eot|>' +
        '<|header_start|>assistant<|header_end|>\n\n',
    );
  });

  it('builds a Llama body for Llama 4 with max_gen_len capped at 2048', () => {
    const { body, warnings } = adapterFor('us.meta.llama4-scout-17b-instruct-v1:0').buildNativeBody(
      context({ config: { maxTokens: 4000 } }),
    );
    expect(body.max_gen_len).toBe(2048);
    expect(String(body.prompt)).toContain('<|header_start|>user<|header_end|>');
    expect(warnings).toHaveLength(1);
    // Converse may ask Llama 4 for its full 8192.
    expect(
      adapterFor('meta.llama4-scout-17b-instruct-v1:0').converseWarnings(
        context({ config: { maxTokens: 4000 } }),
      ),
    ).toEqual([]);
  });
});

describe('Amazon Nova', () => {
  it('builds the messages-v1 body with inferenceConfig, keeping a prefill', () => {
    const { body, warnings } = adapterFor(NOVA_PRO).buildNativeBody(
      context({
        system: 'Be brief.',
        messages: [user('Name a colour.'), assistant('The colour is')],
        config: { maxTokens: 20_000, temperature: 0.2, stopSequences: ['END'] },
        extras: { inferenceConfig: { topK: 20 } },
      }),
    );
    expect(body).toEqual({
      schemaVersion: 'messages-v1',
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ text: 'Name a colour.' }] },
        { role: 'assistant', content: [{ text: 'The colour is' }] },
      ],
      inferenceConfig: { maxTokens: 10_000, temperature: 0.2, stopSequences: ['END'], topK: 20 },
    });
    expect(warnings).toEqual([
      'Nova Pro answers at most 10000 tokens: maxTokens 20000 is over that limit; maxTokens was lowered to 10000',
    ]);
  });

  it('leaves out extras Nova has no field for, and says how it takes topK', () => {
    const { body, warnings } = adapterFor(NOVA_PRO).buildNativeBody(
      context({ extras: { top_k: 5 } }),
    );
    expect(body).not.toHaveProperty('top_k');
    expect(warnings).toEqual([
      'Nova Pro has no "top_k" parameter: left out of the body (Nova takes topK as {"inferenceConfig": {"topK": N}})',
    ]);
  });

  it('reads its Converse-shaped chunks, usage once from the invocation metrics', () => {
    const chunks = [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { delta: { text: 'Blue' }, contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      {
        metadata: { usage: { inputTokens: 12, outputTokens: 1 } },
        'amazon-bedrock-invocationMetrics': metrics,
      },
    ];
    expect(stream(NOVA_PRO, chunks)).toEqual([
      { type: 'text', text: 'Blue' },
      { type: 'stop', reason: 'end_turn' },
      { type: 'usage', inputTokens: 12, outputTokens: 7 },
    ]);
  });
});

describe('Mistral', () => {
  it('renders the instruct prompt as AWS documents it, the system text before the last turn', () => {
    expect(
      renderMistralPrompt('Be brief.', [
        user('What is your favourite condiment?'),
        assistant('Lemon juice.'),
        user('Do you have mayonnaise recipes?'),
      ]),
    ).toBe(
      '<s>[INST] What is your favourite condiment? [/INST] Lemon juice.</s> [INST] Be brief.\n\nDo you have mayonnaise recipes? [/INST]',
    );
  });

  it('sends the text body to Mistral 7B and the chat body to Mistral Large', () => {
    const ctx = context({ system: 'Be brief.', config: { maxTokens: 50, stopSequences: ['X'] } });
    const text = adapterFor(MISTRAL_7B).buildNativeBody(ctx);
    expect(text.body).toEqual({
      prompt: '<s>[INST] Be brief.\n\nWhy is the sky blue? [/INST]',
      max_tokens: 50,
      stop: ['X'],
    });
    const chat = adapterFor(MISTRAL_LARGE).buildNativeBody(ctx);
    expect(chat.body).toEqual({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why is the sky blue?' },
      ],
      max_tokens: 50,
    });
    expect(chat.warnings).toEqual([
      'Mistral Large (24.07) ignores stopSequences "X": its chat body has no stop field',
    ]);
  });

  it('warns that Mistral 7B takes no system prompt through Converse', () => {
    expect(adapterFor(MISTRAL_7B).converseWarnings(context({ system: 'Be brief.' }))).toEqual([
      'Mistral 7B Instruct takes no system prompt through Converse: Bedrock will reject the request (leave the system cell empty, or put the instruction in the prompt)',
    ]);
  });

  it('reads text outputs and chat choices, with usage from the metrics', () => {
    expect(
      stream(MISTRAL_7B, [
        { outputs: [{ text: 'Blue', stop_reason: null }] },
        {
          outputs: [{ text: '.', stop_reason: 'stop' }],
          'amazon-bedrock-invocationMetrics': metrics,
        },
      ]),
    ).toEqual(BLUE_STREAM);
    expect(
      adapterFor(MISTRAL_LARGE).parseResponse({
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Blue.' }, stop_reason: 'stop' },
        ],
      }),
    ).toEqual([
      { type: 'text', text: 'Blue.' },
      { type: 'stop', reason: 'stop' },
    ]);
  });
});

describe('models without an adapter', () => {
  it('have their native answers read from the common shapes', () => {
    expect(
      stream('us.deepseek.r1-v1:0', [
        { choices: [{ text: 'Blue', stop_reason: null }] },
        {
          choices: [{ text: '.', stop_reason: 'stop' }],
          'amazon-bedrock-invocationMetrics': metrics,
        },
      ]),
    ).toEqual(BLUE_STREAM);
    expect(
      readerFor('openai.gpt-oss-20b-1:0').parseResponse({
        choices: [
          { message: { content: 'Blue.', reasoning_content: 'Think.' }, finish_reason: 'stop' },
        ],
      }),
    ).toEqual([
      { type: 'reasoning', text: 'Think.' },
      { type: 'text', text: 'Blue.' },
      { type: 'stop', reason: 'stop' },
    ]);
  });
});
