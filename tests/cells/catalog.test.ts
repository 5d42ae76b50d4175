import { describe, expect, it } from 'vitest';
import {
  adapterFamilyOf,
  baseModelId,
  estimateCost,
  familyOf,
  findModel,
  MODEL_FACTS,
  MODELS,
  PRICES_AS_OF,
  profilePrefix,
} from '../../cells/models/catalog.ts';

const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const SONNET45 = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

describe('the model facts', () => {
  it('cover the current families and the models of the seed notebooks, each once', () => {
    const ids = MODEL_FACTS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'anthropic.claude-3-haiku-20240307-v1:0',
      'meta.llama2-13b-chat-v1',
      'anthropic.claude-3-5-haiku-20241022-v1:0',
      'anthropic.claude-3-5-sonnet-20241022-v2:0',
      'anthropic.claude-3-7-sonnet-20250219-v1:0',
      SONNET4,
      SONNET45,
      'anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-opus-4-1-20250805-v1:0',
      'meta.llama3-1-70b-instruct-v1:0',
      'meta.llama3-3-70b-instruct-v1:0',
      'meta.llama4-maverick-17b-instruct-v1:0',
      'amazon.nova-micro-v1:0',
      'amazon.nova-premier-v1:0',
      'mistral.mistral-large-2407-v1:0',
    ]) {
      expect(ids).toContain(id);
    }
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('give every model a price, a context window at least its output limit, and a provider', () => {
    for (const model of MODEL_FACTS) {
      expect(model.price.inputPer1k, model.id).toBeGreaterThan(0);
      expect(model.price.outputPer1k, model.id).toBeGreaterThanOrEqual(model.price.inputPer1k);
      expect(model.contextWindow, model.id).toBeGreaterThanOrEqual(model.maxOutputTokens);
      expect(model.provider, model.id).not.toBe('');
    }
  });

  it('say which prices could not be checked', () => {
    expect(findModel('anthropic.claude-v2')?.price.checked).toBe(false);
    expect(findModel(SONNET4)?.price.checked).toBe(true);
  });

  it('offer through both APIs only the models with a native adapter', () => {
    expect(MODELS.every((m) => m.apis.includes('converse') && m.apis.includes('invoke'))).toBe(
      true,
    );
    expect(MODELS.map((m) => m.id)).not.toContain('deepseek.r1-v1:0');
    expect(MODEL_FACTS.map((m) => m.id)).toContain('deepseek.r1-v1:0');
  });
});

describe('model identifiers', () => {
  it('find a model by id, foundation-model ARN, inference profile id or profile ARN', () => {
    expect(findModel('meta.llama2-13b-chat-v1')?.name).toBe('Llama 2 13B Chat');
    expect(
      findModel(
        'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      )?.name,
    ).toBe('Claude 3 Haiku');
    expect(findModel(`us.${SONNET4}`)?.name).toBe('Claude Sonnet 4');
    expect(findModel(`global.${SONNET4}`)?.name).toBe('Claude Sonnet 4');
    expect(
      findModel(`arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.${SONNET4}`)?.name,
    ).toBe('Claude Sonnet 4');
    expect(findModel('amazon.titan-text-express-v1')).toBeUndefined();
  });

  it('keep an application profile ARN, which names no model, as it is', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3';
    expect(baseModelId(arn)).toBe(arn);
    expect(profilePrefix(arn)).toBeUndefined();
    expect(profilePrefix(`apac.${SONNET4}`)).toBe('apac');
    expect(profilePrefix(SONNET4)).toBeUndefined();
  });

  it('name the family of versions newer than the facts by their id', () => {
    expect(adapterFamilyOf('anthropic.claude-sonnet-4-6')).toBe('claude');
    expect(adapterFamilyOf('us.meta.llama4-behemoth-17b-instruct-v1:0')).toBe('llama4');
    expect(adapterFamilyOf('amazon.nova-2-lite-v1:0')).toBe('nova');
    expect(adapterFamilyOf('amazon.nova-canvas-v1:0')).toBeUndefined();
    expect(adapterFamilyOf('mistral.mistral-large-3-675b-instruct')).toBe('mistral');
    expect(adapterFamilyOf('openai.gpt-oss-120b-1:0')).toBeUndefined();
  });

  it('tell the exporters only the families they write', () => {
    expect(familyOf(`us.${SONNET4}`)).toBe('claude');
    expect(familyOf('meta.llama3-1-8b-instruct-v1:0')).toBe('llama3');
    expect(familyOf('amazon.nova-pro-v1:0')).toBeUndefined();
    expect(familyOf('meta.llama4-scout-17b-instruct-v1:0')).toBeUndefined();
  });
});

describe('cost estimates', () => {
  it('price a call on demand', () => {
    expect(estimateCost('anthropic.claude-3-haiku-20240307-v1:0', 1000, 1000)).toBeCloseTo(
      0.0015,
      10,
    );
    expect(estimateCost('unknown.model', 10, 10)).toBeUndefined();
  });

  it('price a profile as its model, with the geography premium where AWS charges one', () => {
    expect(estimateCost(`us.${SONNET4}`, 1000, 1000)).toBeCloseTo(0.018, 10);
    expect(estimateCost(`global.${SONNET45}`, 1000, 1000)).toBeCloseTo(0.018, 10);
    expect(estimateCost(`us.${SONNET45}`, 1000, 1000)).toBeCloseTo(0.0198, 10);
  });
});
