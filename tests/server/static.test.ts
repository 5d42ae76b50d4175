import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type PlaygroundServer } from '../../server/app.ts';
import { call, TEST_TOKEN } from '../support/http.ts';

let server: PlaygroundServer;
let dir: string;
let dist: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bp-static-'));
  dist = path.join(dir, 'dist');
  server = await startServer({
    token: TEST_TOKEN,
    port: 0,
    offline: true,
    speed: 0,
    dir: path.join(dir, 'nb'),
    distDir: dist,
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the built page', () => {
  it('says the page is not built yet when there is no build', async () => {
    const page = await call(server.url);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/has not been built yet/);
  });

  it('serves the page with a Content-Security-Policy that allows only its own scripts', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dist, { recursive: true });
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>x</title>');
    const page = await call(`${server.url}some/route`);
    expect(page.text).toContain('<title>x</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('keeps files outside the build out of reach', async () => {
    await writeFile(path.join(dir, 'secret.txt'), 'secret');
    for (const route of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const answer = await call(server.url, { path: route });
      expect(answer.text).not.toContain('secret');
    }
  });

  it('ends only that response when a file cannot be read, and keeps serving', async () => {
    // /proc/self/mem answers stat but fails the read (EIO): a read error after the headers.
    const broken = await startServer({
      token: TEST_TOKEN,
      port: 0,
      offline: true,
      speed: 0,
      dir: path.join(dir, 'nb2'),
      distDir: '/proc/self',
    });
    try {
      await call(broken.url, { path: '/mem' }).catch(() => undefined);
      expect((await call(`${broken.url}api/status`)).status).toBe(200);
    } finally {
      await broken.close();
    }
  });
});
