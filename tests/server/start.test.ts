import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/app.ts';
import { TOKEN_ENV } from '../../server/auth.ts';
import { authorization, call, json, ndjson, postJson } from '../support/http.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * Starts the server as `npm start` does (`scripts/start.mjs`: the built bundle), in an environment
 * with no AWS set-up but what `prepare` writes into the fresh home folder and `extraEnv` adds.
 * Resolves once the address is printed, or with `backend`, once the chosen backend is too.
 */
async function start(
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
  prepare: (home: string) => Promise<void> = async () => {},
  until: 'listening' | 'backend' = 'backend',
): Promise<{ url: string; token: string; lines: string[]; output: () => string }> {
  const home = await mkdtemp(path.join(tmpdir(), 'bp-home-'));
  await prepare(home);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
  const child = spawn(
    process.execPath,
    ['scripts/start.mjs', '--port', '0', '--dir', path.join(home, 'nb'), ...args],
    { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(home, { recursive: true, force: true });
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let printed: string | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    lines.push(line);
    printed ??= /^Bedrock Playground: (http:\/\/\S+)$/.exec(line)?.[1];
    // The backend is one line for AWS, two ("Backend: offline emulator…", "  Why: …") offline.
    const told = line.startsWith('Backend: Amazon') || line.startsWith('  Why: ');
    if (printed && (until === 'listening' || told)) {
      const address = new URL(printed);
      return {
        url: `${address.origin}/`,
        token: address.searchParams.get('token') ?? '',
        lines,
        output: () => `${lines.join('\n')}\n${stderr}`,
      };
    }
  }
  throw new Error(`server exited before printing what it uses:\n${lines.join('\n')}\n${stderr}`);
}

/** Runs `server/main.ts` with `args` to its end; its exit code and what it printed. */
async function fail(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('starting the server', () => {
  it('signs with a named profile when it resolves, never shows its keys, and says when Bedrock cannot be reached', async () => {
    const secret = 'test-only-secret-never-shown';
    const port = await closedPort();
    const { url, token, lines, output } = await start(
      ['--profile', 'work', '--region', 'eu-west-1'],
      // Where the SDK would reach Bedrock: a closed port, as on a machine without a network.
      { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `http://127.0.0.1:${port}` },
      async (home) => {
        await mkdir(path.join(home, '.aws'));
        await writeFile(
          path.join(home, '.aws', 'credentials'),
          `[work]\naws_access_key_id = AKIDPLAYGROUNDTEST\naws_secret_access_key = ${secret}\n`,
        );
      },
    );
    expect(lines.join('\n')).toMatch(
      /Backend: Amazon Bedrock in eu-west-1 with AWS profile "work"/,
    );
    const status = await call(`${url}api/status`, { headers: authorization(token) });
    expect(json(status)).toEqual({
      backend: 'aws',
      region: 'eu-west-1',
      profile: 'work',
      auth: 'credentials',
      synthetic: false,
      problem: null,
    });

    const request = { api: 'invoke', modelId: 'meta.llama2-13b-chat-v1', body: { prompt: 'hi' } };
    const res = await postJson(
      `${url}api/run`,
      { target: { modelId: request.modelId, api: 'invoke' }, request },
      authorization(token),
    );
    const events = [];
    for await (const event of ndjson(res)) events.push(event);
    const error = events.find((e) => e.type === 'error');
    expect(error?.name).toBe('NetworkError');
    expect(error?.hint).toMatch(/could not be reached in region eu-west-1.*--offline/);

    for (const text of [status.text, JSON.stringify(events), output()]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('AKIDPLAYGROUNDTEST');
    }
  });

  it('falls back to the emulator, and says so, when no AWS credentials resolve', async () => {
    const { url, token, lines } = await start([], { [TOKEN_ENV]: 'token-from-the-environment' });
    expect(lines.join('\n')).toMatch(/offline emulator .* answers are synthetic/);
    expect(lines.join('\n')).toMatch(/No AWS credentials found/);
    expect(token).toBe('token-from-the-environment');
    const status = json(await call(`${url}api/status`, { headers: authorization(token) }));
    expect(status.backend).toBe('emulator');
  });

  it('listens before the credential chain answers: the status says checking, and a run waits for the backend', async () => {
    // A default profile whose credential process does not answer within the chain's 5 s limit.
    const { url, token, lines } = await start(
      [],
      {},
      async (home) => {
        await mkdir(path.join(home, '.aws'));
        await writeFile(
          path.join(home, '.aws', 'config'),
          '[default]\ncredential_process = sleep 8\n',
        );
      },
      'listening',
    );
    expect(lines.join('\n')).not.toMatch(/Backend:/);
    const headers = authorization(token);
    expect(json(await call(`${url}api/status`, { headers }))).toEqual({
      backend: 'checking',
      region: null,
      profile: null,
    });
    const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
    const run = postJson(
      `${url}api/run`,
      {
        target: { modelId, api: 'converse' },
        request: {
          api: 'converse',
          modelId,
          input: { modelId, messages: [{ role: 'user', content: [{ text: 'Hello there' }] }] },
        },
      },
      headers,
    );

    expect(json(await call(`${url}api/status?wait`, { headers }))).toMatchObject({
      backend: 'emulator',
    });
    const events = [];
    for await (const event of ndjson(await run)) events.push(event);
    expect(events.some((e) => e.type === 'text')).toBe(true);
    expect(events.find((e) => e.type === 'stop')?.reason).toBe('end_turn');
  });

  it('uses the emulator with --offline and serves a page at /, with --token as the API token', async () => {
    const { url, token } = await start(['--offline', '--token', 'token-from-the-flag'], {
      [TOKEN_ENV]: 'token-from-the-environment',
    });
    const page = await call(url, { anonymous: true });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(token).toBe('token-from-the-flag');
    expect((await call(`${url}api/status`, { headers: authorization(token) })).status).toBe(200);
  });

  it('prints an address with a new random token each start, and answers 401 without it', async () => {
    const [first, second] = await Promise.all([start(['--offline']), start(['--offline'])]);
    expect(first.token).toMatch(/^[0-9a-f]{48}$/);
    expect(second.token).toMatch(/^[0-9a-f]{48}$/);
    expect(first.token).not.toBe(second.token);
    const status = `${first.url}api/status`;
    expect((await call(status, { headers: authorization(first.token) })).status).toBe(200);
    expect((await call(status, { anonymous: true })).status).toBe(401);
    expect((await call(status, { headers: authorization(second.token) })).status).toBe(401);
  });

  it('refuses to start with an empty token, rather than leave the API open', async () => {
    const { code, output } = await fail(['--offline', '--port', '0'], { [TOKEN_ENV]: '' });
    expect(code).toBe(1);
    expect(output).toMatch(/must be visible ASCII characters without spaces, and not empty/);
  });
});
