import { describe, expect, it } from 'vitest';
import { estimateCost, findModel, MODELS, PRICES_AS_OF } from '../../cells/models/catalog.ts';

describe('the model catalog', () => {
  it('lists the Claude and Llama models of the playground, each once', () => {
    expect(MODELS.map((m) => m.id)).toEqual([
      'anthropic.claude-instant-v1',
      'anthropic.claude-v2',
      'anthropic.claude-v2:1',
      'anthropic.claude-3-haiku-20240307-v1:0',
      'anthropic.claude-3-sonnet-20240229-v1:0',
      'anthropic.claude-3-opus-20240229-v1:0',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'meta.llama2-13b-chat-v1',
      'meta.llama2-70b-chat-v1',
      'meta.llama3-8b-instruct-v1:0',
      'meta.llama3-70b-instruct-v1:0',
    ]);
    expect(MODELS.every((m) => m.apis.includes('converse') && m.apis.includes('invoke'))).toBe(
      true,
    );
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('finds a model by id or by foundation-model ARN', () => {
    expect(findModel('meta.llama2-13b-chat-v1')?.name).toBe('Llama 2 13B Chat');
    expect(
      findModel(
        'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      )?.name,
    ).toBe('Claude 3 Haiku');
    expect(findModel('amazon.titan-text-express-v1')).toBeUndefined();
  });

  it('estimates the on-demand cost of a call', () => {
    expect(estimateCost('anthropic.claude-3-haiku-20240307-v1:0', 1000, 1000)).toBeCloseTo(
      0.0015,
      10,
    );
    expect(estimateCost('unknown.model', 10, 10)).toBeUndefined();
  });
});
