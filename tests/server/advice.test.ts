import { describe, expect, it } from 'vitest';
import type { CompiledRequest } from '../../cells/request.ts';
import { adviceFor } from '../../server/hints.ts';
import { call, json, ndjson, postJson } from '../support/http.ts';
import { useServer } from '../support/server.ts';

const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const ON_DEMAND = `Invocation of model ID ${SONNET4} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;

const context = useServer();

function converse(modelId: string, extra: Record<string, unknown> = {}): CompiledRequest {
  return {
    api: 'converse',
    modelId,
    input: {
      modelId,
      messages: [{ role: 'user', content: [{ text: 'Why is the sky blue?' }] }],
      ...extra,
    },
  };
}

async function run(request: CompiledRequest, record?: object) {
  const res = await postJson(`${context.server.url}api/run`, {
    target: { modelId: request.modelId, api: request.api },
    request,
    ...(record ? { record } : {}),
  });
  const events: Record<string, unknown>[] = [];
  for await (const event of ndjson(res)) events.push(event);
  return events;
}

describe('a run that calls a profile-only model by its base id', () => {
  it('fails with Bedrock’s words, a hint naming the profile, and the profile as its fix', async () => {
    const events = await run(converse(SONNET4));
    expect(events.find((e) => e.type === 'error')).toEqual({
      type: 'error',
      name: 'ValidationException',
      message: ON_DEMAND,
      hint: `${SONNET4} is offered in us-east-1 only through inference profiles: call it through us.${SONNET4}.`,
      fix: { kind: 'model', modelId: `us.${SONNET4}` },
    });
  });

  it('answers once the target calls the profile the fix names', async () => {
    const events = await run(converse(`us.${SONNET4}`));
    expect(events.find((e) => e.type === 'stop')).toEqual({ type: 'stop', reason: 'end_turn' });
  });
});

describe('credential errors', () => {
  it('offer the emulator, and the `aws sso login` to run for an expired SSO session', () => {
    const advice = adviceFor(
      'CredentialsProviderError',
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
      { modelId: SONNET4, region: 'us-east-1', backend: 'aws', profile: 'dev' },
    );
    expect(advice).toEqual({
      hint: 'The SSO session of profile "dev" has expired or was never started: run `aws sso login --profile dev`, then try again. Or use the local emulator (its answers are synthetic).',
      fix: { kind: 'emulator' },
    });
  });

  it('say when a Bedrock API key was not accepted', () => {
    const advice = adviceFor(
      'AccessDeniedException',
      'Authentication failed: Please make sure your API Key is valid.',
      { modelId: SONNET4, region: 'us-east-1', backend: 'aws', profile: null },
    );
    expect(advice.hint).toMatch(
      /^The Bedrock API key in AWS_BEARER_TOKEN_BEDROCK was not accepted/,
    );
    expect(advice.fix).toEqual({ kind: 'emulator' });
  });
});

describe('reasoning', () => {
  it('streams before the text, counts in time to first token, and is kept in the run record', async () => {
    const thinking = {
      inferenceConfig: { maxTokens: 2000 },
      additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    };
    const record = { notebook: 'pirate-email', cellId: 'reasoning-cell', targetId: 'sonnet' };
    const events = await run(converse(`us.${SONNET4}`, thinking), record);
    const kinds = events.map((e) => e.type).filter((t) => t === 'reasoning' || t === 'text');
    expect(kinds[0]).toBe('reasoning');
    expect(kinds.lastIndexOf('reasoning')).toBeLessThan(kinds.indexOf('text'));
    const reasoning = events.flatMap((e) => (e.type === 'reasoning' ? [e.text] : [])).join('');
    const runs = json<{ records: { cellId: string; reasoning?: string; text: string }[] }>(
      await call(`${context.server.url}api/notebooks/pirate-email/runs`),
    );
    const saved = runs.records.find((r) => r.cellId === 'reasoning-cell');
    expect(saved?.reasoning).toBe(reasoning);
    expect(saved?.text).not.toContain(reasoning);
  });
});
