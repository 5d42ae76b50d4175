import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  answerOf,
  CLAUDE,
  deepText,
  LLAMA,
  typeInto,
  useSession,
  waitForState,
} from './support.ts';
import {
  commandModeOn,
  copyExample,
  editorText,
  openNotebook,
  pickModel,
  recordsOf,
  waitForSaved,
} from './page-helpers.ts';

const session = useSession();

const runs = (page: Page, label: string) => page.getByRole('group', { name: `Runs of ${label}` });

async function runPrompt(page: Page, text: string): Promise<void> {
  await typeInto(page, 'Prompt', text);
  await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
  for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');
}

/** The first user turn of the request the column shows for `label` (its Request view). */
async function requestShown(page: Page, label: string): Promise<string> {
  await page.getByRole('button', { name: `Request of ${label}` }).click();
  const input = JSON.parse(
    await page.getByRole('region', { name: `Request sent to ${label}` }).innerText(),
  ) as { messages: { content: { text: string }[] }[] };
  return input.messages[0]?.content[0]?.text ?? '';
}

describe('run history', () => {
  it('shows a run from two runs ago with its own request, figures and backend, also after a reload', async () => {
    const notebook = await copyExample(session, 'requests');
    const { page, errors } = await openNotebook(session, notebook.name);
    for (const color of ['green', 'red', 'blue'])
      await runPrompt(page, `Describe a ${color} parrot`);
    expect(await deepText(runs(page, CLAUDE))).toContain('Run 3 of 3');

    for (const reload of [false, true]) {
      if (reload) {
        await page.reload();
        await waitForState(page, CLAUDE, 'Done');
      }
      await page.getByRole('button', { name: `Earlier run of ${CLAUDE}` }).click();
      await page.getByRole('button', { name: `Earlier run of ${CLAUDE}` }).click();
      await expect.poll(() => deepText(runs(page, CLAUDE))).toContain('Run 1 of 3');
      expect(await requestShown(page, CLAUDE)).toBe('Describe a green parrot');
      const figures = await deepText(page.getByLabel(`Figures of ${CLAUDE}`));
      expect(figures).toContain('Offline emulator · us-east-1');
      expect(figures).toMatch(/Output tokens\s*\d+/);
      // Today's request is the blue one, and the latest run shows it.
      await page.getByRole('button', { name: 'Latest', exact: true }).click();
      expect(await requestShown(page, CLAUDE)).toBe('Describe a blue parrot');
      await page.getByRole('button', { name: `Rendered of ${CLAUDE}` }).click();
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('compares two runs by answer, request and figures', async () => {
    const notebook = await copyExample(session, 'compare');
    const { page } = await openNotebook(session, notebook.name);
    await runPrompt(page, 'Describe a green parrot called Polly');
    await runPrompt(page, 'Describe a red parrot called Polly');
    await page.getByRole('button', { name: `Compare runs of ${CLAUDE}` }).click();

    const which = `from run 1 to run 2 of ${CLAUDE}`;
    const request = page.getByRole('region', { name: `How the request changed ${which}` });
    expect(await request.locator('del').allInnerTexts()).toEqual([
      expect.stringContaining('green parrot'),
    ]);
    expect(await request.locator('ins').allInnerTexts()).toEqual([
      expect.stringContaining('red parrot'),
    ]);
    const figures = page.getByRole('table', { name: `How the figures changed ${which}` });
    const rows = await figures.getByRole('row').allInnerTexts();
    const row = (name: string) => rows.find((r) => r.startsWith(name)) ?? '';
    expect(row('Output tokens')).toMatch(/^Output tokens\t\d+\t\d+\t(same|[+−]\d+)$/);
    expect(row('Backend')).toContain('same');
    expect(await page.getByRole('region', { name: `Changes ${which}` }).count()).toBe(1);
    await page.close();
  });

  it('starts a new history when a target switches model, and the earlier model’s runs come back with it', async () => {
    const notebook = await copyExample(session, 'models');
    const { page } = await openNotebook(session, notebook.name);
    await runPrompt(page, 'Describe a green parrot');
    await runPrompt(page, 'Describe a red parrot');
    expect(await deepText(runs(page, CLAUDE))).toContain('Run 2 of 2');

    await pickModel(page, CLAUDE, 'anthropic.claude-instant-v1');
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, 'Claude Instant', 'Done');
    const column = page.locator('bp-answer-column').first();
    expect(await deepText(column)).toContain('anthropic.claude-instant-v1');
    // One run of this model: no "Run 1 of 3" mixing two models.
    expect(await runs(page, 'Claude Instant').count()).toBe(0);

    await pickModel(page, 'Claude Instant', 'anthropic.claude-3-haiku-20240307-v1:0');
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, CLAUDE, 'Done');
    expect(await deepText(runs(page, CLAUDE))).toContain('Run 3 of 3');
    await page.close();
  });

  it('records a stopped run as Stopped, and shows it stopped after a reload', async () => {
    const notebook = await copyExample(session, 'stopped');
    const { page, errors } = await openNotebook(session, notebook.name);
    await typeInto(page, 'Prompt', '[[fault:pace:ms=150]] Tell me a long story about the sea');
    await page.keyboard.press('ControlOrMeta+Enter');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: `Raw text of ${CLAUDE}` }).click();
    const raw = answerOf(page, CLAUDE).locator('pre');
    await expect
      .poll(async () => ((await raw.count()) ? await raw.textContent() : ''))
      .toMatch(/\S{2,}.*\s+\S{2,}/);
    await commandModeOn(page, 'Prompt');
    await page.keyboard.press('i');
    await page.keyboard.press('i');
    for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Stopped', 5_000);
    const partial = (await raw.textContent()) ?? '';

    await expect.poll(async () => (await recordsOf(notebook)).length).toBe(2);
    const records = await recordsOf(notebook);
    expect(records.map((r) => r.error?.name)).toEqual(['Stopped', 'Stopped']);
    expect(records.map((r) => r.stopReason)).toEqual([null, null]);
    const claude = records.find((r) => r.targetId === 'haiku');
    expect(claude?.text.startsWith(partial)).toBe(true);

    await waitForSaved(page);
    await page.reload();
    for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Stopped');
    await page.getByRole('button', { name: `Raw text of ${CLAUDE}` }).click();
    expect(await answerOf(page, CLAUDE).locator('pre').textContent()).toBe(claude?.text);
    expect(await page.getByRole('alert').filter({ hasText: 'StreamCut' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('re-runs one column only, and after a failed earlier turn runs that turn and this one for that target alone', async () => {
    const notebook = await copyExample(session, 'retry');
    const { page, errors } = await openNotebook(session, notebook.name);
    await typeInto(page, 'Prompt', 'Write a haiku about the sea [[fault:throttling:model=claude]]');
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, CLAUDE, 'Failed');
    await waitForState(page, LLAMA, 'Done');

    // A second turn: Llama continues its thread; Claude has no answer to continue from.
    await page.getByRole('button', { name: 'Add cell below cell 4' }).click();
    await page.keyboard.type('Now in French');
    await page.keyboard.press('ControlOrMeta+Enter');
    const cell5 = page.getByRole('region', { name: 'Prompt cell 5' });
    await expect
      .poll(() => cell5.getByRole('status', { name: `State of ${LLAMA}` }).textContent())
      .toBe('Done');
    const why = cell5.getByRole('alert').filter({ hasText: 'CompileError' });
    expect(await why.innerText()).toContain(
      `Cell 4’s last run for ${CLAUDE} failed (ThrottlingException)`,
    );
    const llamaBefore = (await recordsOf(notebook)).filter((r) => r.targetId === 'llama2');
    expect(llamaBefore).toHaveLength(2);

    // The fault is fixed in cell 4; one click runs cell 4 and then cell 5 for Claude only.
    await page
      .getByRole('region', { name: 'Prompt cell 4' })
      .getByRole('textbox', { name: 'Prompt' })
      .focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Write a haiku about the sea');
    await why.getByRole('button', { name: `Run cell 4, then this one, for ${CLAUDE}` }).click();
    await expect
      .poll(() => cell5.getByRole('status', { name: `State of ${CLAUDE}` }).textContent())
      .toBe('Done');
    const records = await recordsOf(notebook);
    expect(records.filter((r) => r.targetId === 'llama2')).toEqual(llamaBefore);
    expect(records.filter((r) => r.targetId === 'haiku').map((r) => r.error?.name ?? 'ok')).toEqual(
      ['ThrottlingException', 'ok', 'ok'],
    );

    // The column's own re-run: Llama alone answers cell 5 again.
    await cell5.getByRole('button', { name: `Re-run ${LLAMA} only` }).click();
    await expect.poll(async () => (await recordsOf(notebook)).length).toBe(6);
    const last = (await recordsOf(notebook)).at(-1);
    expect(last?.targetId).toBe('llama2');
    expect(last?.cellId).not.toBe('email');
    await expect
      .poll(() => deepText(cell5.getByRole('group', { name: `Runs of ${LLAMA}` })))
      .toContain('Run 2 of 2');
    expect(await cell5.getByRole('group', { name: `Runs of ${CLAUDE}` }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows Bedrock’s events as received in the wire view, and the app’s own events on request', async () => {
    const notebook = await copyExample(session, 'wire');
    const { page } = await openNotebook(session, notebook.name);
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');

    await page.getByRole('button', { name: `Wire events of ${CLAUDE}` }).click();
    const raw = await page.getByRole('list', { name: `Bedrock events of ${CLAUDE}` }).innerText();
    expect(raw).toContain('"contentBlockDelta"');
    expect(raw).toContain('"messageStop"');
    expect(raw).not.toContain('"type":"text"');
    await page
      .getByRole('button', { name: `Show the app’s normalized events of ${CLAUDE}` })
      .click();
    const app = await page.getByRole('list', { name: `App events of ${CLAUDE}` }).innerText();
    expect(app).toContain('"type":"text"');
    expect(app).not.toContain('contentBlockDelta');

    await page.getByRole('button', { name: `Wire events of ${LLAMA}` }).click();
    const chunks = await page.getByRole('list', { name: `Bedrock events of ${LLAMA}` }).innerText();
    expect(chunks).toContain('"generation"');
    expect(chunks).toContain('amazon-bedrock-invocationMetrics');
    await page.close();
  });

  it('derives a native body from a multi-turn thread, with the answers so far', async () => {
    const name = 'derive';
    const notebook = {
      name,
      file: path.join(session.server.dir, `${name}.md`),
      runs: path.join(session.server.dir, `${name}.runs.jsonl`),
    };
    await writeFile(
      notebook.file,
      [
        '---',
        'title: Derive',
        'version: 1',
        'targets:',
        '  - id: llama2',
        '    label: Llama 2 13B Chat',
        '    modelId: meta.llama2-13b-chat-v1',
        '    api: invoke',
        '---',
        '',
        '```prompt id=first',
        'Name a sea creature',
        '```',
        '',
      ].join('\n'),
    );
    const { page, errors } = await openNotebook(session, name);
    await page.getByRole('button', { name: 'Add cell below cell 1' }).click();
    await page.keyboard.type('Describe it in one line');
    await page.getByRole('button', { name: 'Add Native body cell' }).click();
    await page.getByRole('button', { name: 'Derive from context above' }).click();
    expect(
      await page.getByRole('alert').filter({ hasText: 'Cannot derive' }).innerText(),
    ).toContain('has no answer from Llama 2 13B Chat yet');

    await page.getByRole('button', { name: 'Run cell 1 and all below' }).click();
    await expect.poll(async () => (await recordsOf(notebook)).length).toBe(3);
    const records = await recordsOf(notebook);
    const answer = records.find((r) => r.cellId === 'first')?.text ?? '';
    expect(answer.length).toBeGreaterThan(10);

    await page.getByRole('button', { name: 'Derive from context above' }).click();
    const body = JSON.parse(await editorText(page, 'Native body')) as { prompt: string };
    expect(body.prompt).toContain('Name a sea creature');
    expect(body.prompt).toContain(answer.trim().slice(0, 40));
    expect(body.prompt).toContain('Describe it in one line');
    expect(errors).toEqual([]);
    await page.close();
  });
});
