import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startPlayground, type Browser, type Playground } from './support.ts';

// Not `useSession`: these tests start with a browser that has never seen the token.
let server: Playground;
let browser: Browser;
/** Serves the pages of other sites: a form that posts to the playground as soon as it loads. */
let attacker: Server;
let attackerPort: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startPlayground(), launchBrowser()]);
  const target = `${server.url}api/notebooks/pirate-email/rename`;
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    // The text/plain encoding makes the body read as JSON: {"to":"pwned","x":"="}.
    res.end(`<!doctype html><title>A page of another site</title>
<form method="POST" action="${target}" enctype="text/plain">
<input name='{"to":"pwned","x":"' value='"}'></form>
<script>document.forms[0].submit()</script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
});
afterAll(async () => {
  await Promise.all([
    browser?.close(),
    server?.stop(),
    new Promise((resolve) => attacker?.close(resolve)),
  ]);
});

describe('the token in the browser', () => {
  it('shows a page opened without the token how to sign in, and signs in from the address the server printed, dropping the token from the address bar', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/This server needs its token: open the address it printed when it started/);

    await page.goto(server.startUrl);
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor({ state: 'attached' });
    expect(page.url()).toBe(`${server.url}?notebook=pirate-email`);
    expect(page.url()).not.toContain(server.token);

    const cookies = await browser.context.cookies(server.url);
    const session = cookies.find(
      (c) => c.name === `bedrock-playground-${new URL(server.url).port}`,
    );
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session?.value).not.toContain(server.token);
    // The page's own script sees the XSRF value it echoes, never the session.
    const visible = await page.evaluate(() => document.cookie);
    expect(visible).toMatch(/_xsrf=/);
    expect(visible).not.toMatch(/bedrock-playground-/);

    // Signed in, the page saves: a change carries the cookie and the XSRF header.
    await page.getByRole('textbox', { name: 'Notebook title' }).click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Signed in');
    await page.keyboard.press('Enter');
    // Autosave comes a second after the edit.
    await expect
      .poll(() => readFile(path.join(server.dir, 'pirate-email.md'), 'utf8'), { timeout: 20_000 })
      .toMatch(/^title: Signed in$/m);
    await page.close();
  });

  it.each([
    ['another site', 'localhost'],
    ['another origin of the same site', '127.0.0.1'],
  ])(
    'refuses a form that a page of %s posts with the cookie, and changes nothing',
    async (_kind, host) => {
      const page = await browser.context.newPage();
      const posted = page.waitForRequest((r) => r.url().endsWith('/rename'));
      const answered = page.waitForResponse((r) => r.url().endsWith('/rename'));
      await page.goto(`http://${host}:${attackerPort}/`);
      const request = await posted;
      const response = await answered;
      expect(response.status()).toBe(403);
      const cookie = (await request.allHeaders()).cookie ?? '';
      // Cookies are shared by the ports of a host: only another site's form goes without them.
      if (host === '127.0.0.1') expect(cookie).toMatch(/bedrock-playground-\d+=/);
      else expect(cookie).not.toMatch(/bedrock-playground-/);
      expect(await readdir(server.dir)).toContain('pirate-email.md');
      expect(await readdir(server.dir)).not.toContain('pwned.md');
      await page.close();
    },
  );
});
