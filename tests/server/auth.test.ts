import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { authorization, call, json, TEST_TOKEN, type Answer } from '../support/http.ts';
import { useServer } from '../support/server.ts';

const context = useServer();

const JSON_TYPE = { 'content-type': 'application/json' };
const request = { api: 'invoke', modelId: 'meta.llama2-13b-chat-v1', body: { prompt: 'hi' } };

/** Every route of the API, each with a body it would accept. */
const ROUTES: [method: string, route: string, body?: unknown][] = [
  ['GET', '/api/status'],
  ['GET', '/api/models'],
  ['GET', '/api/notebooks'],
  ['GET', '/api/notebooks/pirate-email'],
  ['GET', '/api/notebooks/pirate-email/runs'],
  ['PUT', '/api/notebooks/pirate-email', { text: '---\ntitle: x\n---\n', version: null }],
  ['DELETE', '/api/notebooks/pirate-email'],
  ['POST', '/api/notebooks/pirate-email/rename', { to: 'stolen' }],
  ['POST', '/api/notebooks/pirate-email/runs', {}],
  ['POST', '/api/run', { target: { modelId: request.modelId, api: 'invoke' }, request }],
  ['POST', '/api/session'],
  ['GET', '/api/no-such-route'],
];

function send(
  [method, route, body]: (typeof ROUTES)[number],
  headers: Record<string, string>,
): Promise<Answer> {
  return call(context.server.url, {
    path: route,
    method,
    anonymous: true,
    headers: { ...JSON_TYPE, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The session and XSRF cookies a browser gets for the token, as a Cookie header sends them. */
async function signedIn(): Promise<{ cookie: string; xsrf: string; setCookie: string[] }> {
  const answer = await call(`${context.server.url}api/session`, { method: 'POST' });
  expect(answer.status).toBe(204);
  const setCookie = answer.headers['set-cookie'] ?? [];
  const pairs = setCookie.map((line) => line.split(';')[0]!);
  const xsrf = pairs.find((pair) => pair.startsWith('_xsrf='))!.slice('_xsrf='.length);
  return { cookie: pairs.join('; '), xsrf, setCookie };
}

describe('the API token', () => {
  it.each(ROUTES)(
    'answers %s %s with 401 without the token, or with another one, and changes nothing',
    async (...route) => {
      for (const headers of [
        {},
        authorization('not-the-token'),
        { cookie: 'bedrock-playground-1=x' },
      ]) {
        const answer = await send(route, headers);
        expect(answer.status).toBe(401);
        expect(json<{ error: string }>(answer).error).toMatch(/token/);
        expect(answer.text).not.toContain(TEST_TOKEN);
      }
      expect((await readdir(context.dir)).sort()).toContain('pirate-email.md');
      expect(await readdir(context.dir)).not.toContain('stolen.md');
    },
  );

  it('serves the page itself without the token: it holds nothing secret', async () => {
    const page = await call(context.server.url, { anonymous: true });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(TEST_TOKEN);
  });

  it('answers scripts that send "Authorization: token <token>" (or bearer), changes included, with no XSRF header', async () => {
    expect((await call(`${context.server.url}api/status`)).status).toBe(200);
    const bearer = await call(`${context.server.url}api/status`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(bearer.status).toBe(200);
    const renamed = await call(`${context.server.url}api/notebooks/glycolysis/rename`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ to: 'Glycolysis by script' }),
    });
    expect(renamed.status).toBe(200);
    expect(await readdir(context.dir)).toContain('Glycolysis by script.md');
  });

  it('trades the token for an HttpOnly, SameSite=Strict session cookie named after the port, and a readable _xsrf cookie', async () => {
    const { setCookie } = await signedIn();
    const session = setCookie.find((line) =>
      line.startsWith(`bedrock-playground-${context.server.port}=`),
    );
    const xsrf = setCookie.find((line) => line.startsWith('_xsrf='));
    expect(session).toMatch(/; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(session).not.toContain(TEST_TOKEN);
    expect(xsrf).toMatch(/; Path=\/; SameSite=Strict$/);
    expect(xsrf).not.toMatch(/HttpOnly/);
  });

  it('answers reads signed by the cookie alone', async () => {
    const { cookie } = await signedIn();
    const answer = await call(`${context.server.url}api/notebooks`, {
      anonymous: true,
      headers: { cookie },
    });
    expect(answer.status).toBe(200);
  });

  it('refuses a change signed by the cookie without the X-XSRFToken header, as a form of another site would send it', async () => {
    const { cookie, xsrf } = await signedIn();
    const rename = (headers: Record<string, string>) =>
      call(`${context.server.url}api/notebooks/pirate-email/rename`, {
        method: 'POST',
        anonymous: true,
        // No Origin: the XSRF check holds even where the Origin check has nothing to look at.
        headers: { ...JSON_TYPE, cookie, ...headers },
        body: JSON.stringify({ to: 'Forged' }),
      });
    for (const headers of [{}, { 'x-xsrftoken': 'guessed-value-0123456789' }] as Record<
      string,
      string
    >[]) {
      const refused = await rename(headers);
      expect(refused.status).toBe(403);
      expect(json<{ error: string }>(refused).error).toMatch(/X-XSRFToken/);
    }
    expect(await readdir(context.dir)).not.toContain('Forged.md');

    const accepted = await rename({ 'x-xsrftoken': xsrf });
    expect(accepted.status).toBe(200);
    expect(await readdir(context.dir)).toContain('Forged.md');
  });

  it('trades only the token itself for a cookie, not a cookie', async () => {
    const { cookie, xsrf } = await signedIn();
    const answer = await call(`${context.server.url}api/session`, {
      method: 'POST',
      anonymous: true,
      headers: { cookie, 'x-xsrftoken': xsrf },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });
});
