import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, deepText, ROOT, useSession } from './support.ts';

const MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0';
const PROMPT = 'Write an email from Bob, Customer Service Manager';

const session = useSession();

beforeAll(async () => {
  await session.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(session.server.url).origin,
  });
});

/** The code an editor shows (Monaco draws spaces as no-break spaces). */
async function shownCode(panel: Locator): Promise<string> {
  return (await deepText(panel)).replace(/\u00a0/g, ' ');
}

async function copied(page: Page, dialog: Locator): Promise<string> {
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => dialog.getByRole('status').filter({ hasText: 'Copied' }).count()).toBe(1);
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('the export dialog', () => {
  it('exports the pirate prompt as Python and Java with the model id and the prompt, streams on request, and downloads the code', async () => {
    const page = await session.browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${session.server.url}?notebook=pirate-email`);
    await page.getByRole('button', { name: 'Export cell 4 as code' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export cell 4 as code' });
    await dialog.waitFor();

    // Python first, with Claude (the first target) chosen.
    const python = dialog.getByRole('tab', { name: 'Python' });
    expect(await python.getAttribute('aria-selected')).toBe('true');
    const panel = dialog.getByRole('tabpanel');
    await expect.poll(() => shownCode(panel)).toContain(`model_id = "${MODEL_ID}"`);
    expect(await shownCode(panel)).toContain(PROMPT);
    expect(await shownCode(panel)).toContain('client.converse(');

    // The tabs follow the arrow keys; Java shows the same request.
    await python.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const java = dialog.getByRole('tab', { name: 'Java', exact: true });
    expect(await java.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => shownCode(panel)).toContain('BedrockRuntimeClient');
    const javaCode = await copied(page, dialog);
    expect(javaCode).toContain(`var modelId = "${MODEL_ID}";`);
    expect(javaCode).toContain(PROMPT);

    // Back to Python, streaming.
    await python.click();
    await dialog.getByRole('checkbox', { name: 'Streaming' }).check();
    await expect.poll(() => copied(page, dialog)).toContain('client.converse_stream(');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('converse_stream.py');
    const file = await readFile((await download.path()) ?? '', 'utf8');
    expect(file).toContain(`model_id = "${MODEL_ID}"`);
    expect(file).toContain(PROMPT);
    expect(file).toContain('client.converse_stream(');

    // The other target: Llama 2 through its native InvokeModel body.
    await dialog.getByRole('combobox', { name: 'Target' }).selectOption({ index: 1 });
    await expect.poll(() => copied(page, dialog)).toContain('invoke_model_with_response_stream');

    await mkdir(path.join(ROOT, 'test-results'), { recursive: true });
    await python.click();
    await dialog.getByRole('combobox', { name: 'Target' }).selectOption({ index: 0 });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'export-dialog.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('exports the whole notebook as a Jupyter notebook and as its .md file', async () => {
    const page = await session.browser.context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${session.server.url}?notebook=pirate-email`);
    await page.getByRole('button', { name: 'Export notebook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the notebook' });
    await dialog.waitFor();

    const [md] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(md.suggestedFilename()).toBe('pirate-email.md');
    const source = await readFile((await md.path()) ?? '', 'utf8');
    expect(source).toBe(await readFile(path.join(session.server.dir, 'pirate-email.md'), 'utf8'));

    await dialog.getByRole('tab', { name: 'Jupyter notebook' }).click();
    const [ipynb] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(ipynb.suggestedFilename()).toBe('pirate-email.ipynb');
    const notebook = JSON.parse(await readFile((await ipynb.path()) ?? '', 'utf8')) as {
      cells: { source: string[] | string }[];
    };
    const text = notebook.cells.map((c) => [c.source].flat().join('')).join('\n');
    expect(text).toContain(MODEL_ID);
    expect(text).toContain(PROMPT);
    expect(errors).toEqual([]);
    await page.close();
  });
});
