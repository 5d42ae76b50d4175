import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListening } from '../../server/app.ts';
import type { ListeningServer } from '../../server/app.ts';
import { collectErrors, launchBrowser } from './support.ts';
import type { Browser } from './support.ts';

let home: string;
let server: ListeningServer;
let browser: Browser;
const saved = {
  config: process.env.AWS_CONFIG_FILE,
  credentials: process.env.AWS_SHARED_CREDENTIALS_FILE,
};

/** The file whose creation lets the credential process answer. */
const go = () => path.join(home, 'go');

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'bp-e2e-credentials-'));
  // A profile whose credential process answers only when the test says so (as one waiting for
  // an MFA code would), far within the limit the server gives the chain.
  await writeFile(
    path.join(home, 'answer.json'),
    JSON.stringify({
      Version: 1,
      AccessKeyId: 'AKIDPLAYGROUNDTEST',
      SecretAccessKey: 'test-only-secret',
    }),
  );
  await writeFile(
    path.join(home, 'credentials.sh'),
    `while [ ! -e "${go()}" ]; do sleep 0.05; done\ncat "${path.join(home, 'answer.json')}"\n`,
  );
  await writeFile(
    path.join(home, 'config'),
    `[profile slow]\ncredential_process = sh ${path.join(home, 'credentials.sh')}\n`,
  );
  process.env.AWS_CONFIG_FILE = path.join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, 'credentials');
  [server, browser] = await Promise.all([
    startListening({
      port: 0,
      offline: false,
      profile: 'slow',
      region: 'eu-west-1',
      dir: path.join(home, 'notebooks'),
      credentialTimeoutMs: 60_000,
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await writeFile(go(), '');
  await Promise.all([browser?.close(), server?.close()]);
  process.env.AWS_CONFIG_FILE = saved.config;
  process.env.AWS_SHARED_CREDENTIALS_FILE = saved.credentials;
  await rm(home, { recursive: true, force: true });
});

describe('the first page while the credential chain is asked', () => {
  it('is served at once and says it is checking credentials, then names the backend', async () => {
    const page = await browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(server.startUrl);
    const backend = page.getByRole('status', { name: 'Backend' });
    await expect.poll(() => backend.textContent()).toContain('Checking credentials…');
    // The notebook is there to work on meanwhile.
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor({ state: 'attached' });

    await writeFile(go(), '');
    await expect
      .poll(() => backend.textContent(), { timeout: 20_000 })
      .toMatch(/Amazon Bedrock\s*· profile\s*slow\s*· eu-west-1/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
