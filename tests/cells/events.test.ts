import { describe, expect, it } from 'vitest';
import {
  converseResponseToRunEvents,
  converseStreamEventToRunEvents,
  serviceLatencyMs,
} from '../../cells/converse-events.ts';

describe('ConverseStream events', () => {
  const events = [
    { messageStart: { role: 'assistant' } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Ahoy' } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: ' there' } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason: 'end_turn' } },
    {
      metadata: {
        usage: { inputTokens: 30, outputTokens: 2, totalTokens: 32 },
        metrics: { latencyMs: 321 },
      },
    },
  ];

  it('map to text, stop and usage events in order', () => {
    expect(events.flatMap(converseStreamEventToRunEvents)).toEqual([
      { type: 'text', text: 'Ahoy' },
      { type: 'text', text: ' there' },
      { type: 'stop', reason: 'end_turn' },
      { type: 'usage', inputTokens: 30, outputTokens: 2 },
    ]);
  });

  it('leave the service latency for the server to read from the metadata event', () => {
    expect(serviceLatencyMs(events[5])).toBe(321);
    expect(serviceLatencyMs(events[1])).toBeNull();
  });
});

describe('ConverseStream reasoning', () => {
  it('maps reasoning deltas to reasoning events before the text, and skips the signature', () => {
    const events = [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Hmm' } } } },
      {
        contentBlockDelta: {
          contentBlockIndex: 0,
          delta: { reasoningContent: { signature: 'c2ln' } },
        },
      },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { text: 'Ahoy' } } },
      { messageStop: { stopReason: 'end_turn' } },
    ];
    expect(events.flatMap(converseStreamEventToRunEvents)).toEqual([
      { type: 'reasoning', text: 'Hmm' },
      { type: 'text', text: 'Ahoy' },
      { type: 'stop', reason: 'end_turn' },
    ]);
  });

  it('reads the reasoning block of a Converse response apart from its text', () => {
    expect(
      converseResponseToRunEvents({
        output: {
          message: {
            role: 'assistant',
            content: [
              { reasoningContent: { reasoningText: { text: 'Hmm', signature: 's' } } },
              { text: 'Ahoy' },
            ],
          },
        },
        stopReason: 'end_turn',
        usage: { inputTokens: 3, outputTokens: 9 },
      }),
    ).toEqual([
      { type: 'reasoning', text: 'Hmm' },
      { type: 'text', text: 'Ahoy' },
      { type: 'stop', reason: 'end_turn' },
      { type: 'usage', inputTokens: 3, outputTokens: 9 },
    ]);
  });
});

describe('Converse responses', () => {
  it('map to text, stop and usage events', () => {
    const output = {
      output: { message: { role: 'assistant', content: [{ text: 'Ahoy' }, { text: '!' }] } },
      stopReason: 'max_tokens',
      usage: { inputTokens: 3, outputTokens: 4 },
      metrics: { latencyMs: 99 },
    };
    expect(converseResponseToRunEvents(output)).toEqual([
      { type: 'text', text: 'Ahoy!' },
      { type: 'stop', reason: 'max_tokens' },
      { type: 'usage', inputTokens: 3, outputTokens: 4 },
    ]);
    expect(serviceLatencyMs(output)).toBe(99);
  });

  it('read the invocation latency of a native stream chunk too', () => {
    expect(
      serviceLatencyMs({ 'amazon-bedrock-invocationMetrics': { invocationLatency: 640 } }),
    ).toBe(640);
  });
});
