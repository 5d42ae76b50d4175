import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import { CLAUDE, deepText, useSession, waitForState } from './support.ts';
import { copyExample, openNotebook } from './page-helpers.ts';

// "Amazon Bedrock" is a second emulator, reached through the endpoint variables with the keys
// of the profile "work" in temporary shared files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)
// holding the emulator's public test keys (and made-up ones for "stale", which it refuses): the
// server's AWS path runs for real.

let bedrock: Emulator;
let home: string;
const served: string[] = [];

beforeAll(async () => {
  bedrock = await startEmulator({ speed: 0 });
  bedrock.events.on('stream-start', (record: { modelId: string }) => served.push(record.modelId));
  home = await mkdtemp(path.join(tmpdir(), 'bp-e2e-home-'));
  await writeFile(
    path.join(home, 'config'),
    '[profile work]\nregion = us-west-2\n\n[profile stale]\nregion = us-east-1\n',
  );
  // "stale" has keys Bedrock no longer accepts: they resolve, and fail at the first call.
  await writeFile(
    path.join(home, 'credentials'),
    `[work]\naws_access_key_id = ${EMULATOR_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${EMULATOR_CREDENTIALS.secretAccessKey}\n\n[stale]\naws_access_key_id = AKIDREVOKED\naws_secret_access_key = revoked-secret\n`,
  );
});
afterAll(async () => {
  await bedrock?.close();
  await rm(home, { recursive: true, force: true });
});

const session = useSession([], () => ({
  HOME: home,
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
  AWS_ENDPOINT_URL_BEDROCK: bedrock.url,
  AWS_EC2_METADATA_DISABLED: 'true',
  // Nothing of the developer's own set-up.
  AWS_PROFILE: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_BEARER_TOKEN_BEDROCK: undefined,
  AWS_CONFIG_FILE: path.join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
}));

describe('profiles and Regions in the page', () => {
  it('switch the backend without a restart, and a missing profile is named as missing', async () => {
    const notebook = await copyExample(session, 'switching');
    const { page, errors } = await openNotebook(session, notebook.name);
    const status = page.getByRole('status', { name: 'Backend' });
    await expect.poll(() => status.textContent()).toContain('answers are synthetic');

    const dialog = page.getByRole('dialog', { name: 'Backend' });
    await page.getByRole('button', { name: 'Backend…' }).click();
    await dialog.getByRole('radio', { name: 'Amazon Bedrock' }).check();
    await dialog.getByRole('combobox', { name: 'Profile' }).focus();
    await page.keyboard.type('work');
    await dialog.getByRole('combobox', { name: 'Region' }).selectOption('eu-west-1');
    await dialog.getByRole('button', { name: 'Switch' }).click();
    await expect
      .poll(() => status.textContent())
      .toMatch(/Amazon Bedrock\s*· profile work\s*· eu-west-1/);
    expect(await dialog.isVisible()).toBe(false);

    // The catalog is the new backend's: a pick from Ireland calls the EU profile.
    const picker = page.getByRole('combobox', { name: `Model of ${CLAUDE}`, exact: true });
    await picker.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('sonnet 4');
    await page.getByRole('option', { name: 'Claude Sonnet 4', exact: true }).waitFor();
    await page.keyboard.press('Enter');
    const target = page.getByRole('listitem', { name: 'Target Claude Sonnet 4' });
    await expect
      .poll(() => target.locator('.id').textContent())
      .toBe('eu.anthropic.claude-sonnet-4-20250514-v1:0');

    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, 'Claude Sonnet 4', 'Done');
    // Answered by "Bedrock" (the emulator of this file), through the EU profile.
    expect(served).toEqual(['anthropic.claude-sonnet-4-20250514-v1:0']);
    expect(await deepText(page.locator('bp-answer-column').first())).toContain(
      'eu.anthropic.claude-sonnet-4-20250514-v1:0 · Converse',
    );
    const figures = await deepText(page.getByLabel('Figures of Claude Sonnet 4'));
    expect(figures).toContain('Amazon Bedrock · eu-west-1');

    // A profile that is not in the shared files: named, and the backend in use stays.
    await page.getByRole('button', { name: 'Backend…' }).click();
    const profile = dialog.getByRole('combobox', { name: 'Profile' });
    await profile.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('prod');
    await dialog.getByRole('button', { name: 'Switch' }).click();
    const problem = dialog.getByRole('alert');
    await expect
      .poll(() => problem.textContent())
      .toContain('Profile "prod" is not in ~/config or ~/credentials');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await status.textContent()).toMatch(/profile work\s*· eu-west-1/);
    // The refused switch is a 400 answer, which Chromium logs; nothing else went wrong.
    expect(errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    await page.close();
  });

  it('never answers from the emulator when credentials fail mid-session: it is offered, and chosen by a click', async () => {
    const notebook = await copyExample(session, 'stale');
    const { page } = await openNotebook(session, notebook.name);
    const status = page.getByRole('status', { name: 'Backend' });
    const dialog = page.getByRole('dialog', { name: 'Backend' });
    await page.getByRole('button', { name: 'Backend…' }).click();
    await dialog.getByRole('radio', { name: 'Amazon Bedrock' }).check();
    const profile = dialog.getByRole('combobox', { name: 'Profile' });
    await profile.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('stale');
    await dialog
      .getByRole('combobox', { name: 'Region' })
      .selectOption({ label: 'The profile’s Region' });
    await dialog.getByRole('button', { name: 'Switch' }).click();
    await expect.poll(() => status.textContent()).toMatch(/profile stale\s*· us-east-1/);

    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, CLAUDE, 'Failed');
    // Both columns fail alike; the first is Claude's.
    const alert = page
      .getByRole('alert')
      .filter({ hasText: 'UnrecognizedClientException' })
      .first();
    expect(await alert.innerText()).toContain('Or use the local emulator');
    expect(await status.textContent()).toMatch(/Amazon Bedrock/);

    await alert.getByRole('button', { name: 'Use the local emulator' }).click();
    await expect.poll(() => status.textContent()).toContain('answers are synthetic');
    await page.close();
  });
});
