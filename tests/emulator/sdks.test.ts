import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome, PrintedEmulator } from './printed-env.ts';
import {
  findAwsCli,
  findCurrentBoto3,
  runProgram,
  selfSignedCertificate,
  startPrintedEmulator,
} from './printed-env.ts';

// boto3 and the AWS CLI against an emulator started as `npm run emulator` starts it, with only
// the environment lines it printed: no endpoint, Region or key in the programs themselves.

const SONNET4 = 'anthropic.claude-sonnet-4-20250514-v1:0';
const NOVA_PRO = 'amazon.nova-pro-v1:0';
const ON_DEMAND = `Invocation of model ID ${SONNET4} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;

const BOTO3_PROGRAM = `
import json, sys, boto3
from botocore.exceptions import ClientError

control = boto3.client('bedrock')
runtime = boto3.client('bedrock-runtime')
messages = [{'role': 'user', 'content': [{'text': 'What is the capital of Peru?'}]}]

def ask(model_id):
    try:
        out = runtime.converse(modelId=model_id, messages=messages)
        return {'text': out['output']['message']['content'][0]['text']}
    except ClientError as error:
        return {'code': error.response['Error']['Code'], 'message': error.response['Error']['Message']}

def reason(model_id):
    try:
        out = runtime.converse_stream(
            modelId=model_id,
            messages=messages,
            inferenceConfig={'maxTokens': 4000},
            additionalModelRequestFields={'thinking': {'type': 'enabled', 'budget_tokens': 2048}},
        )
        kinds = []
        for event in out['stream']:
            delta = event.get('contentBlockDelta', {}).get('delta', {})
            kind = ('reasoning' if 'text' in delta['reasoningContent'] else 'signature') if 'reasoningContent' in delta else ('text' if 'text' in delta else None)
            if kind and (not kinds or kinds[-1] != kind):
                kinds.append(kind)
        return {'kinds': kinds}
    except ClientError as error:
        return {'code': error.response['Error']['Code'], 'message': error.response['Error']['Message']}

pages = control.get_paginator('list_inference_profiles').paginate(PaginationConfig={'PageSize': 10})
profiles = [p['inferenceProfileId'] for page in pages for p in page['inferenceProfileSummaries']]
models = control.list_foundation_models()['modelSummaries']
print(json.dumps({
    'region': runtime.meta.region_name,
    'profiles': profiles,
    'models': {m['modelId']: m['inferenceTypesSupported'] for m in models},
    'sonnet4': ask('us.${SONNET4}'),
    'novaPro': ask('us.${NOVA_PRO}'),
    'baseId': ask('${SONNET4}'),
    'europe': ask('eu.${SONNET4}'),
    'reasoning': reason('us.${SONNET4}'),
    'noReasoning': reason('us.${NOVA_PRO}'),
}))
`;

interface Answer {
  text?: string;
  code?: string;
  message?: string;
  kinds?: string[];
}

let printed: PrintedEmulator;

beforeAll(async () => {
  printed = await startPrintedEmulator();
});
afterAll(async () => {
  await printed.stop();
});

const parsed = <T>(outcome: Outcome): T => {
  expect(outcome.code, outcome.stderr).toBe(0);
  return JSON.parse(outcome.stdout) as T;
};

describe('boto3 with the printed environment lines', () => {
  it('lists profiles and models, answers through us. profiles, and refuses what Bedrock refuses', async () => {
    const python = findCurrentBoto3();
    const result = parsed<{
      region: string;
      profiles: string[];
      models: Record<string, string[]>;
      sonnet4: Answer;
      novaPro: Answer;
      baseId: Answer;
      europe: Answer;
      reasoning: Answer;
      noReasoning: Answer;
    }>(await runProgram(python, ['-c', BOTO3_PROGRAM], { env: printed.env }));
    expect(result.region).toBe('us-east-1');
    expect(result.profiles).toEqual(
      expect.arrayContaining([`us.${SONNET4}`, `us.${NOVA_PRO}`, `global.${SONNET4}`]),
    );
    expect(result.models[SONNET4]).toEqual(['INFERENCE_PROFILE']);
    expect(result.models[NOVA_PRO]).toEqual(['ON_DEMAND', 'INFERENCE_PROFILE']);
    for (const family of [
      'anthropic.claude-haiku-4-5',
      'meta.llama4',
      'meta.llama3-3',
      'amazon.nova-premier',
      'mistral.',
    ]) {
      expect(
        Object.keys(result.models).some((id) => id.startsWith(family)),
        family,
      ).toBe(true);
    }
    expect(result.sonnet4.text).toContain('What is the capital of Peru?');
    expect(result.novaPro.text).toContain('What is the capital of Peru?');
    expect(result.baseId).toEqual({ code: 'ValidationException', message: ON_DEMAND });
    expect(result.europe).toEqual({
      code: 'ValidationException',
      message: 'The provided model identifier is invalid.',
    });
    expect(result.reasoning.kinds).toEqual(['reasoning', 'signature', 'text']);
    expect(result.noReasoning).toEqual({
      code: 'ValidationException',
      message:
        'Malformed input request: #: extraneous key [thinking] is not permitted, please reformat your input and try again.',
    });
  });
});

// botocore 1.44 and newer refuse a Bedrock API key over plain http ("Bearer authorization
// requires an HTTPS endpoint"), as Bedrock is only served over https: the emulator started with
// a certificate, and only its printed lines, must satisfy both boto3 and the JavaScript SDK.
describe('a Bedrock API key with the printed environment lines over https', () => {
  let secure: PrintedEmulator;
  let dir: string;
  let keyEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bp-emulator-tls-'));
    const { cert, key } = selfSignedCertificate(dir);
    secure = await startPrintedEmulator(['--tls-cert', cert, '--tls-key', key]);
    keyEnv = { ...secure.env, AWS_BEARER_TOKEN_BEDROCK: secure.bearerToken };
    delete keyEnv.AWS_ACCESS_KEY_ID;
    delete keyEnv.AWS_SECRET_ACCESS_KEY;
  });
  afterAll(async () => {
    await secure.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints https endpoints and the certificate to trust', () => {
    expect(secure.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(secure.env.AWS_CA_BUNDLE).toBe(path.join(dir, 'emulator-cert.pem'));
    expect(secure.env.NODE_EXTRA_CA_CERTS).toBe(secure.env.AWS_CA_BUNDLE);
  });

  it('answers boto3 with the printed public API key instead of the key pair', async () => {
    const program = `
import boto3
out = boto3.client('bedrock-runtime').converse(
    modelId='us.${NOVA_PRO}', messages=[{'role': 'user', 'content': [{'text': 'Hello with a key'}]}])
print(out['output']['message']['content'][0]['text'])
`;
    const outcome = await runProgram(findCurrentBoto3(), ['-c', program], { env: keyEnv });
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('Hello with a key');
  });

  it('answers the JavaScript SDK over HTTP/2 with TLS with the printed public API key', async () => {
    const program = `
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
const client = new BedrockRuntimeClient({});
const out = await client.send(new ConverseStreamCommand({
  modelId: 'us.${NOVA_PRO}',
  messages: [{ role: 'user', content: [{ text: 'Stream with a key' }] }],
}));
let text = '';
for await (const event of out.stream) text += event.contentBlockDelta?.delta?.text ?? '';
console.log(text);
`;
    const outcome = await runProgram(process.execPath, ['--input-type=module', '-e', program], {
      env: keyEnv,
    });
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('Stream with a key');
  });
});

describe('the AWS CLI with the printed environment lines', () => {
  const cli = (...args: string[]) =>
    runProgram(findAwsCli(), [...args, '--output', 'json'], { env: printed.env });
  const messages = JSON.stringify([{ role: 'user', content: [{ text: 'Name a prime number.' }] }]);

  it('lists inference profiles and foundation models with the current families', async () => {
    const [profiles, models] = await Promise.all([
      cli('bedrock', 'list-inference-profiles'),
      cli('bedrock', 'list-foundation-models', '--by-provider', 'anthropic'),
    ]);
    const { inferenceProfileSummaries } = parsed<{
      inferenceProfileSummaries: { inferenceProfileId: string; models: unknown[] }[];
    }>(profiles);
    const ids = inferenceProfileSummaries.map((profile) => profile.inferenceProfileId);
    expect(ids).toEqual(expect.arrayContaining([`us.${SONNET4}`, `us.${NOVA_PRO}`]));
    expect(ids.some((id) => id.startsWith('eu.'))).toBe(false);
    const { modelSummaries } = parsed<{ modelSummaries: { modelId: string }[] }>(models);
    expect(modelSummaries.map((model) => model.modelId)).toEqual(
      expect.arrayContaining([
        SONNET4,
        'anthropic.claude-sonnet-4-5-20250929-v1:0',
        'anthropic.claude-haiku-4-5-20251001-v1:0',
        'anthropic.claude-3-7-sonnet-20250219-v1:0',
        'anthropic.claude-3-5-haiku-20241022-v1:0',
      ]),
    );
  });

  it('converses through the us. profiles of Claude Sonnet 4 and Nova Pro, and refuses the base id and an eu. profile', async () => {
    const converse = (modelId: string) =>
      cli('bedrock-runtime', 'converse', '--model-id', modelId, '--messages', messages);
    const [sonnet, nova, base, europe] = await Promise.all([
      converse(`us.${SONNET4}`),
      converse(`us.${NOVA_PRO}`),
      converse(SONNET4),
      converse(`eu.${SONNET4}`),
    ]);
    for (const outcome of [sonnet, nova]) {
      const out = parsed<{ output: { message: { content: { text: string }[] } } }>(outcome);
      expect(out.output.message.content[0]?.text).toContain('Name a prime number.');
    }
    expect(base.code).not.toBe(0);
    expect(base.stderr.trim()).toBe(
      `An error occurred (ValidationException) when calling the Converse operation: ${ON_DEMAND}`,
    );
    expect(europe.code).not.toBe(0);
    expect(europe.stderr.trim()).toBe(
      'An error occurred (ValidationException) when calling the Converse operation: The provided model identifier is invalid.',
    );
  });
});
