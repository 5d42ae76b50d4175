import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type PlaygroundServer } from '../../server/app.ts';
import {
  EMULATOR_BEARER_TOKEN,
  EMULATOR_CREDENTIALS,
  startEmulator,
} from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import { call, json, ndjson, postJson, TEST_TOKEN } from '../support/http.ts';
import { useAwsEnvironment, type AwsEnvironment } from '../support/aws-env.ts';

// "Amazon Bedrock" here is a second emulator that the SDK reaches through the endpoint
// variables, signing with the profile's keys from temporary shared files: the playground's AWS
// path (profile, Region, credential chain, control plane) runs for real, with no network.

const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const CONFIG = `[profile work]
region = us-west-2

[profile sso-dev]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Dev
region = eu-west-1
`;
const CREDENTIALS = `[work]
aws_access_key_id = ${EMULATOR_CREDENTIALS.accessKeyId}
aws_secret_access_key = ${EMULATOR_CREDENTIALS.secretAccessKey}
`;

let bedrock: Emulator;
let aws: AwsEnvironment;

beforeAll(async () => {
  bedrock = await startEmulator({ speed: 0 });
  aws = await useAwsEnvironment(
    { config: CONFIG, credentials: CREDENTIALS },
    { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url, AWS_ENDPOINT_URL_BEDROCK: bedrock.url },
  );
});
afterAll(async () => {
  await aws.restore();
  await bedrock.close();
});

/** A server of this file, started offline (or with `options`), closed after the file. */
async function server(options: { offline?: boolean; profile?: string } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'bp-backends-'));
  const started = await startServer({
    token: TEST_TOKEN,
    port: 0,
    offline: options.offline ?? true,
    speed: 0,
    dir,
    ...(options.profile ? { profile: options.profile } : {}),
  });
  return {
    server: started,
    async close() {
      await started.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const choose = (s: PlaygroundServer, choice: object) =>
  call(`${s.url}api/backend`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${s.port}` },
    body: JSON.stringify(choice),
  });

async function converse(s: PlaygroundServer, modelId: string, text = 'Why is the sky blue?') {
  const request = {
    api: 'converse',
    modelId,
    input: { modelId, messages: [{ role: 'user', content: [{ text }] }] },
  };
  const events: Record<string, unknown>[] = [];
  for await (const event of ndjson(
    await postJson(`${s.url}api/run`, { target: { modelId, api: 'converse' }, request }),
  )) {
    events.push(event);
  }
  return events;
}

/** Counts the streams the "Bedrock" emulator served. */
function served(): () => number {
  let count = 0;
  bedrock.events.on('stream-start', () => (count += 1));
  return () => count;
}

describe('choosing the backend from the page', () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server();
  });
  afterAll(() => s.close());

  it('lists the profiles of the shared files by name and Region, and the Regions of Bedrock', async () => {
    const answer = await call(`${s.server.url}api/profiles`);
    expect(json(answer)).toMatchObject({
      profiles: [
        { name: 'sso-dev', region: 'eu-west-1' },
        { name: 'work', region: 'us-west-2' },
      ],
      apiKey: false,
    });
    expect(json<{ regions: { id: string }[] }>(answer).regions.map((r) => r.id)).toContain(
      'eu-west-1',
    );
    expect(answer.text).not.toContain(EMULATOR_CREDENTIALS.secretAccessKey);
  });

  it('switches to a profile without a restart, in its Region, and runs there', async () => {
    const streams = served();
    const answer = await choose(s.server, { backend: 'aws', profile: 'work' });
    expect(answer.status).toBe(200);
    expect(json(answer)).toMatchObject({
      backend: 'aws',
      profile: 'work',
      region: 'us-west-2',
      auth: 'credentials',
      synthetic: false,
    });
    const catalog = json<{ source: string; region: string }>(
      await call(`${s.server.url}api/models`),
    );
    expect(catalog).toMatchObject({ source: 'live', region: 'us-west-2' });
    const events = await converse(s.server, `us.${SONNET4}`);
    expect(events.find((e) => e.type === 'stop')).toEqual({ type: 'stop', reason: 'end_turn' });
    expect(streams()).toBe(1);
  });

  it('switches the Region: the catalog offers that geography’s profiles', async () => {
    const answer = await choose(s.server, { backend: 'aws', profile: 'work', region: 'eu-west-1' });
    expect(json(answer)).toMatchObject({ backend: 'aws', region: 'eu-west-1' });
    const catalog = json<{ models: { id: string; preferred: string }[] }>(
      await call(`${s.server.url}api/models`),
    );
    expect(catalog.models.find((m) => m.id === SONNET4)?.preferred).toBe(`eu.${SONNET4}`);
  });

  it('names a missing profile as missing and keeps the backend in use', async () => {
    const answer = await choose(s.server, { backend: 'aws', profile: 'prod' });
    expect(answer.status).toBe(400);
    expect(json(answer)).toMatchObject({
      error:
        'Profile "prod" is not in ~/config or ~/credentials: check its name, or add it with `aws configure --profile prod`.',
      problem: { kind: 'profile-not-found', profile: 'prod' },
    });
    expect(json(await call(`${s.server.url}api/status`))).toMatchObject({
      backend: 'aws',
      profile: 'work',
      region: 'eu-west-1',
    });
  });

  it('gives the `aws sso login` to run for an SSO profile that is not logged in', async () => {
    const answer = await choose(s.server, { backend: 'aws', profile: 'sso-dev' });
    expect(json(answer)).toMatchObject({
      problem: { kind: 'sso-expired', command: 'aws sso login --profile sso-dev' },
    });
  });

  it('goes back to the emulator only when asked, and says its answers are synthetic', async () => {
    const answer = await choose(s.server, { backend: 'emulator', region: 'us-east-1' });
    expect(json(answer)).toMatchObject({ backend: 'emulator', synthetic: true, auth: 'emulator' });
  });

  it('refuses a Region that is not a Region name', async () => {
    const answer = await choose(s.server, { backend: 'aws', profile: 'work', region: 'moon-1' });
    expect(answer.status).toBe(400);
    expect(json<{ error: string }>(answer).error).toMatch(/region: must be a Region name/);
  });

  it('lets a run that started before a switch finish on its own backend', async () => {
    const streams = served();
    await choose(s.server, { backend: 'aws', profile: 'work', region: 'us-east-1' });
    const slow = converse(
      s.server,
      'anthropic.claude-3-haiku-20240307-v1:0',
      'Hi [[fault:tokens:n=6]] [[fault:pace:ms=50]]',
    );
    await new Promise((resolve) => bedrock.events.once('token', resolve));
    await choose(s.server, { backend: 'emulator', region: 'us-east-1' });
    const events = await slow;
    expect(events.find((e) => e.type === 'stop')).toEqual({ type: 'stop', reason: 'end_turn' });
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(streams()).toBe(1);
  });
});

describe('a Bedrock API key', () => {
  it('is used instead of credentials, and shown as such', async () => {
    process.env.AWS_BEARER_TOKEN_BEDROCK = EMULATOR_BEARER_TOKEN;
    const s = await server();
    try {
      const answer = await choose(s.server, { backend: 'aws' });
      expect(json(answer)).toMatchObject({ backend: 'aws', auth: 'api-key', profile: null });
      const profiles = json(await call(`${s.server.url}api/profiles`));
      expect(profiles).toMatchObject({ apiKey: true });
      const events = await converse(s.server, 'anthropic.claude-3-haiku-20240307-v1:0');
      expect(events.find((e) => e.type === 'stop')).toEqual({ type: 'stop', reason: 'end_turn' });
      expect(JSON.stringify(profiles)).not.toContain(EMULATOR_BEARER_TOKEN);
    } finally {
      delete process.env.AWS_BEARER_TOKEN_BEDROCK;
      await s.close();
    }
  });
});

describe('a profile named at start whose credentials fail', () => {
  it('is no backend: the status says why, and a run is refused rather than answered by the emulator', async () => {
    const s = await server({ offline: false, profile: 'sso-dev' });
    try {
      expect(json(await call(`${s.server.url}api/status`))).toMatchObject({
        backend: 'none',
        profile: 'sso-dev',
        problem: { kind: 'sso-expired', command: 'aws sso login --profile sso-dev' },
      });
      const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
      const res = await postJson(`${s.server.url}api/run`, {
        target: { modelId, api: 'converse' },
        request: {
          api: 'converse',
          modelId,
          input: { modelId, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] },
        },
      });
      expect(res.statusCode).toBe(503);
      const catalog = json<{ source: string }>(await call(`${s.server.url}api/models`));
      expect(catalog.source).toBe('static');
    } finally {
      await s.close();
    }
  });
});
