import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createVite, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, startServer, type PlaygroundServer } from '../../server/app.ts';
import { call, TEST_TOKEN } from '../support/http.ts';

let server: PlaygroundServer;
let vite: ViteDevServer;
let dir: string;
let page: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bp-dev-'));
  server = await startServer({ token: TEST_TOKEN, port: 0, offline: true, speed: 0, dir });
  // What `npm run dev` reads to find the API server; set only while the config is loaded.
  process.env.BEDROCK_PLAYGROUND_API = server.url;
  try {
    vite = await createVite({
      configFile: path.join(PROJECT_ROOT, 'vite.config.ts'),
      root: PROJECT_ROOT,
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
      logLevel: 'silent',
    });
  } finally {
    delete process.env.BEDROCK_PLAYGROUND_API;
  }
  await vite.listen();
  page = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await vite?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run dev', () => {
  it('passes the token trade, the cookie and the XSRF header through its proxy, and 401 without them', async () => {
    const origin = { origin: new URL(page).origin };
    const traded = await call(`${page}api/session`, { method: 'POST', headers: origin });
    expect(traded.status).toBe(204);
    const pairs = (traded.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]!);
    const cookie = pairs.join('; ');
    const xsrf = pairs.find((pair) => pair.startsWith('_xsrf='))!.slice('_xsrf='.length);

    const status = await call(`${page}api/status`, { anonymous: true, headers: { cookie } });
    expect(status.status).toBe(200);
    const renamed = await call(`${page}api/notebooks/glycolysis/rename`, {
      method: 'POST',
      anonymous: true,
      headers: { ...origin, cookie, 'x-xsrftoken': xsrf, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'Renamed in dev' }),
    });
    expect(renamed.status).toBe(200);
    expect((await call(`${page}api/status`, { anonymous: true })).status).toBe(401);
  });

  it('serves the page with the script that trades the token', async () => {
    const html = await call(`${page}?token=${TEST_TOKEN}`, { anonymous: true });
    expect(html.status).toBe(200);
    expect(html.text).toContain('/src/main.ts');
    const main = await call(`${page}src/main.ts`, { anonymous: true });
    expect(main.text).toMatch(/signIn\(token\)/);
  });
});
