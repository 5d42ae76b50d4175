import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessDeniedException, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-bedrock-runtime';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { EMULATOR_BEARER_TOKEN, startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import { HAIKU, SONNET4, converseInput, rejection, runtimeClient } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to be rejected');
}

describe('SigV4 verification', () => {
  it('accepts a correctly signed request over HTTP/2 and HTTP/1.1', async () => {
    for (const http1 of [false, true]) {
      const client = runtimeClient(emulator, { http1 });
      const out = await client.send(new ConverseCommand(converseInput(HAIKU, 'hello')));
      expect(out.stopReason).toBe('end_turn');
      client.destroy();
    }
  });

  it('rejects a body altered after signing with InvalidSignatureException', async () => {
    for (const http1 of [false, true]) {
      const client = runtimeClient(emulator, { http1 });
      const tamper: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> =
        (next) => (args) => {
          const request = args.request as { body?: unknown };
          // Same length, so Content-Length still matches: only the signature can tell.
          if (request.body instanceof Uint8Array) {
            const text = new TextDecoder().decode(request.body).replace('hello', 'jello');
            request.body = new TextEncoder().encode(text);
          }
          return next(args);
        };
      client.middlewareStack.addRelativeTo(tamper, {
        relation: 'after',
        toMiddleware: 'httpSigningMiddleware',
        name: 'tamperAfterSigning',
      });
      const error = await failure(client.send(new ConverseCommand(converseInput(HAIKU, 'hello'))));
      expect(error.name).toBe('InvalidSignatureException');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toMatch(/^The request signature we calculated does not match/);
      client.destroy();
    }
  });

  it('rejects a wrong secret with InvalidSignatureException', async () => {
    const client = runtimeClient(emulator, {
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'not-the-secret' },
    });
    const error = await failure(client.send(new ConverseCommand(converseInput(HAIKU, 'hello'))));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    client.destroy();
  });

  it('rejects an unknown access key with UnrecognizedClientException', async () => {
    const client = runtimeClient(emulator, {
      credentials: { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'emulator-secret' },
    });
    const error = await failure(client.send(new ConverseCommand(converseInput(HAIKU, 'hello'))));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(403);
    client.destroy();
  });

  it('rejects an unsigned request with 403', async () => {
    const response = await fetch(`${emulator.url}/model/${encodeURIComponent(HAIKU)}/converse`, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  const MINUTE = 60_000;
  const STAMP = '(\\d{8}T\\d{6}Z)';
  const stampTime = (stamp: string | undefined): number =>
    Date.parse(
      (stamp ?? '').replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );

  it('rejects a signature made 20 minutes ago with "Signature expired"', async () => {
    for (const http1 of [false, true]) {
      const client = runtimeClient(emulator, { http1, systemClockOffset: -20 * MINUTE });
      const error = await failure(client.send(new ConverseCommand(converseInput(HAIKU, 'hello'))));
      expect(error.name).toBe('InvalidSignatureException');
      expect(error.$metadata.httpStatusCode).toBe(403);
      const match = new RegExp(
        `^Signature expired: ${STAMP} is now earlier than ${STAMP} \\(${STAMP} - 15 min\\.\\)$`,
      ).exec(error.message);
      expect(match, error.message).not.toBeNull();
      const [signed, limit, now] = (match ?? []).slice(1).map(stampTime);
      expect(now! - limit!).toBe(15 * MINUTE);
      expect(Math.abs(now! - signed! - 20 * MINUTE)).toBeLessThan(5_000);
      client.destroy();
    }
  });

  it('rejects a signature made 20 minutes ahead with "Signature not yet current"', async () => {
    const client = runtimeClient(emulator, { systemClockOffset: 20 * MINUTE });
    const error = await failure(client.send(new ConverseCommand(converseInput(HAIKU, 'hello'))));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    const match = new RegExp(
      `^Signature not yet current: ${STAMP} is still later than ${STAMP} \\(${STAMP} \\+ 15 min\\.\\)$`,
    ).exec(error.message);
    expect(match, error.message).not.toBeNull();
    const [, limit, now] = (match ?? []).slice(1).map(stampTime);
    expect(limit! - now!).toBe(15 * MINUTE);
    client.destroy();
  });

  it('accepts a signature made within 15 minutes of its clock', async () => {
    for (const offset of [-10 * MINUTE, 10 * MINUTE]) {
      const client = runtimeClient(emulator, { systemClockOffset: offset });
      const out = await client.send(new ConverseCommand(converseInput(HAIKU, 'hello')));
      expect(out.stopReason).toBe('end_turn');
      client.destroy();
    }
  });

  it('lets an SDK with a wrong clock correct it from the Date header and retry', async () => {
    for (const http1 of [false, true]) {
      const client = runtimeClient(emulator, {
        http1,
        systemClockOffset: -20 * MINUTE,
        maxAttempts: 2,
      });
      const out = await client.send(new ConverseCommand(converseInput(HAIKU, 'hello')));
      expect(out.stopReason).toBe('end_turn');
      expect(out.$metadata.attempts).toBe(2);
      client.destroy();
    }
  });

  it('accepts its own key pair when configured with another one', async () => {
    const credentials = { accessKeyId: 'AKIDCUSTOM', secretAccessKey: 'custom-secret' };
    const custom = await startEmulator({ speed: 0, credentials });
    const client = runtimeClient(custom, { credentials });
    const out = await client.send(new ConverseCommand(converseInput(HAIKU, 'hello')));
    expect(out.stopReason).toBe('end_turn');
    client.destroy();
    await custom.close();
  });
});

// A program that uses the SDKs as a user with a Bedrock API key does: no key pair, no options,
// only AWS_BEARER_TOKEN_BEDROCK and the endpoint variables in its environment.
const BEARER_PROGRAM = `
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
const runtime = new BedrockRuntimeClient({});
const control = new BedrockClient({});
const out = await runtime.send(new ConverseCommand({
  modelId: process.env.MODEL_ID,
  messages: [{ role: 'user', content: [{ text: 'Say hello with a key.' }] }],
}));
const profiles = await control.send(new ListInferenceProfilesCommand({}));
console.log(JSON.stringify({
  text: out.output.message.content[0].text,
  profiles: profiles.inferenceProfileSummaries.length,
}));
`;

describe('Bedrock API keys', () => {
  it('answers the JavaScript SDKs when AWS_BEARER_TOKEN_BEDROCK holds the public test key', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_BEARER_TOKEN_BEDROCK: EMULATOR_BEARER_TOKEN,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.url,
      AWS_ENDPOINT_URL_BEDROCK: emulator.url,
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const child = spawn(process.execPath, ['--input-type=module', '-e', BEARER_PROGRAM], {
      cwd: repoRoot,
      env: { ...env, MODEL_ID: `us.${SONNET4}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { text: string; profiles: number };
    expect(result.text).toContain('Say hello with a key.');
    expect(result.profiles).toBeGreaterThan(0);
  });

  it('refuses another key with 403 AccessDeniedException, as Bedrock does', async () => {
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: emulator.url,
      token: { token: 'ABSKbm90LWEta2V5' },
      authSchemePreference: ['httpBearerAuth'],
      maxAttempts: 1,
    });
    const error = await rejection(client.send(new ConverseCommand(converseInput(HAIKU, 'hello'))));
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toBe('Authentication failed: Please make sure your API Key is valid.');
    client.destroy();
  });
});
