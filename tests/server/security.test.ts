import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type PlaygroundServer } from '../../server/app.ts';
import { EMULATOR_CREDENTIALS } from '../../server/emulator/index.ts';
import { MAX_BODY_BYTES } from '../../server/http.ts';
import { authorization, call, json, TEST_TOKEN } from '../support/http.ts';

let server: PlaygroundServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bp-sec-'));
  server = await startServer({ token: TEST_TOKEN, port: 0, offline: true, speed: 0, dir });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const own = () => `127.0.0.1:${server.port}`;
const post = (body: string, headers: Record<string, string> = {}) =>
  call(`${server.url}api/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://${own()}`, ...headers },
    body,
  });

describe('the local server', () => {
  it('refuses a request whose Host is not loopback, as DNS rebinding would send', async () => {
    const answer = await call(`${server.url}api/status`, { headers: { host: 'evil.example' } });
    expect(answer.status).toBe(403);
    expect(json<{ error: string }>(answer).error).toMatch(/evil\.example.*not a loopback/);
  });

  it('accepts localhost and 127.0.0.1 as Host', async () => {
    for (const host of [own(), `localhost:${server.port}`]) {
      expect((await call(`${server.url}api/status`, { headers: { host } })).status).toBe(200);
    }
  });

  it('refuses a cross-origin POST', async () => {
    const answer = await post('{}', { origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    expect(json<{ error: string }>(answer).error).toMatch(/Cross-origin/);
  });

  it('refuses a request the browser marks as cross-site', async () => {
    const answer = await post('{}', { 'sec-fetch-site': 'cross-site' });
    expect(answer.status).toBe(403);
  });

  it.each(['text/plain', 'application/json-seq', 'application/x-www-form-urlencoded'])(
    'refuses a body sent as %s with 415, so a form or a simple request cannot run anything',
    async (type) => {
      const answer = await post('{}', { 'content-type': type });
      expect(answer.status).toBe(415);
    },
  );

  it('answers a request path that is not a URL with 400', async () => {
    const answer = await call(server.url, { path: '//[' });
    expect(answer.status).toBe(400);
    expect(json<{ error: string }>(answer).error).toMatch(/not a valid URL path/);
  });

  it('answers bad JSON with 400 and the reason', async () => {
    const answer = await post('{"target": ');
    expect(answer.status).toBe(400);
    expect(json<{ error: string }>(answer).error).toMatch(/not valid JSON/);
  });

  it('answers a run request with a missing field with 400 naming the field', async () => {
    const answer = await post(JSON.stringify({ target: { modelId: 'x', api: 'converse' } }));
    expect(answer.status).toBe(400);
    expect(json<{ error: string }>(answer).error).toMatch(/request/);
  });

  it('refuses a body over the size limit with 413, whether or not it declares its length', async () => {
    const answer = await post(JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(answer.status).toBe(413);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}api/run`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: `http://${own()}`,
            ...authorization(),
          },
        },
        resolve,
      );
      req.on('error', reject);
      // Chunked, no Content-Length: the limit must hold while reading.
      for (let i = 0; i < 5; i++) req.write('x'.repeat(1024 * 1024));
      req.end();
    });
    expect(res.statusCode).toBe(413);
    res.resume();
  });

  it('reports the backend, region and profile without any key material', async () => {
    const answer = await call(`${server.url}api/status`);
    expect(JSON.parse(answer.text)).toEqual({
      backend: 'emulator',
      region: 'us-east-1',
      profile: null,
      auth: 'emulator',
      synthetic: true,
      problem: null,
    });
    expect(answer.text).not.toContain(EMULATOR_CREDENTIALS.accessKeyId);
    expect(answer.text).not.toContain(EMULATOR_CREDENTIALS.secretAccessKey);
  });

  it('lists the models it can run, Claude and Llama among them', async () => {
    const { models } = JSON.parse((await call(`${server.url}api/models`)).text) as {
      models: { id: string }[];
    };
    const ids = models.map((m) => m.id);
    expect(ids).toContain('anthropic.claude-3-haiku-20240307-v1:0');
    expect(ids).toContain('meta.llama2-13b-chat-v1');
    expect(ids).toContain('meta.llama3-8b-instruct-v1:0');
  });

  it('seeds a new workspace with the examples and serves them', async () => {
    expect((await readdir(dir)).sort()).toContain('pirate-email.md');
    const list = JSON.parse((await call(`${server.url}api/notebooks`)).text) as {
      notebooks: { name: string; title: string }[];
    };
    expect(list.notebooks.map((n) => n.name)).toContain('pirate-email');
    const nb = json<{ notebook: { title: string } }>(
      await call(`${server.url}api/notebooks/pirate-email`),
    );
    expect(nb.notebook.title).toBe('Pirate email');
  });

  it.each(['..%2Fx', '.hidden', 'a%5Cb'])('refuses the notebook name %s with 400', async (name) => {
    const answer = await call(`${server.url}api/notebooks/${name}`);
    expect(answer.status).toBe(400);
  });
});
