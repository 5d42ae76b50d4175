import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  answerOf,
  CLAUDE,
  deepText,
  LLAMA,
  openPage,
  ROOT,
  runState,
  typeInto,
  useSession,
  waitForState,
} from './support.ts';

const session = useSession();

/** A copy of the Pirate email example under `name`, so each test has a notebook of its own. */
async function pirateCopy(name: string): Promise<string> {
  const file = path.join(session.server.dir, `${name}.md`);
  await copyFile(path.join(ROOT, 'notebooks', 'pirate-email.md'), file);
  return file;
}

const open = (name: string) => openPage(session, `?notebook=${encodeURIComponent(name)}`);

const saveState = (page: Page) => page.getByRole('status', { name: 'Save state' });
const promptCell = (page: Page) => page.getByRole('region', { name: 'Prompt cell 4' });

async function waitForSaved(page: Page): Promise<void> {
  await expect.poll(() => saveState(page).textContent(), { timeout: 10_000 }).toBe('Saved');
}

async function runPrompt(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
  for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');
}

/** The prompt editor's text as drawn (Monaco draws spaces as no-break spaces). */
async function promptText(page: Page): Promise<string> {
  return (
    await deepText(promptCell(page).getByRole('textbox', { name: 'Prompt' }).locator('..'))
  ).replace(/\u00a0/g, ' ');
}

describe('notebooks on disk', () => {
  it('saves an edit about a second after it is made; a reload shows the edit and the last answers', async () => {
    const file = await pirateCopy('autosave');
    const { page, errors } = await open('autosave');
    await waitForSaved(page);
    await runPrompt(page);
    const answers = [await deepText(answerOf(page, CLAUDE)), await deepText(answerOf(page, LLAMA))];

    await typeInto(page, 'Prompt', 'Describe a green parrot called Polly');
    await expect.poll(() => saveState(page).textContent()).toBe('Unsaved changes');
    await waitForSaved(page);
    expect(await readFile(file, 'utf8')).toContain('Describe a green parrot called Polly');

    await page.reload();
    await expect.poll(() => promptText(page)).toContain('Describe a green parrot called Polly');
    for (const [i, label] of [CLAUDE, LLAMA].entries()) {
      expect(await runState(page, label).textContent()).toBe('Done');
      expect(await deepText(answerOf(page, label))).toBe(answers[i]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('steps back to an earlier run and compares it with the latest word by word', async () => {
    await pirateCopy('history');
    const { page, errors } = await open('history');
    await typeInto(page, 'Prompt', 'Describe a green parrot called Polly');
    await runPrompt(page);
    await typeInto(page, 'Prompt', 'Describe a red parrot called Polly who sings');
    await runPrompt(page);

    const runs = page.getByRole('group', { name: `Runs of ${CLAUDE}` });
    expect(await deepText(runs)).toContain('Run 2 of 2');
    await page.getByRole('button', { name: `Raw text` }).first().click();
    const newer = await answerOf(page, CLAUDE).locator('pre').textContent();
    await page.getByRole('button', { name: `Earlier run of ${CLAUDE}` }).click();
    await expect.poll(() => deepText(runs)).toContain('Run 1 of 2');
    const older = await answerOf(page, CLAUDE).locator('pre').textContent();
    expect(older).not.toBe(newer);

    await page.getByRole('button', { name: `Compare runs of ${CLAUDE}` }).click();
    const diff = page.getByRole('region', { name: `Changes from run 1 to run 2 of ${CLAUDE}` });
    await diff.waitFor();
    const parts = await diff.evaluate((p) =>
      Array.from(p.childNodes)
        .filter((node) => node.nodeType !== Node.COMMENT_NODE)
        .map((node) => ({
          tag: node instanceof Element ? node.tagName : '',
          text: node.textContent ?? '',
        })),
    );
    const inserted = parts.filter((p) => p.tag === 'INS').map((p) => p.text);
    const deleted = parts.filter((p) => p.tag === 'DEL').map((p) => p.text);
    expect(inserted.length).toBeGreaterThan(0);
    expect(deleted.length).toBeGreaterThan(0);
    // Leaving out the deletions gives the newer answer; leaving out the insertions, the older.
    expect(
      parts
        .filter((p) => p.tag !== 'DEL')
        .map((p) => p.text)
        .join(''),
    ).toBe(newer);
    // (diffWords keeps the newer text's whitespace where the two differ only in whitespace.)
    const words = (text: string | null) => (text ?? '').replace(/\s+/g, '');
    expect(
      words(
        parts
          .filter((p) => p.tag !== 'INS')
          .map((p) => p.text)
          .join(''),
      ),
    ).toBe(words(older));
    expect(inserted.join(' ')).toMatch(/red|sing/i);

    await mkdir(path.join(ROOT, 'test-results'), { recursive: true });
    await promptCell(page).evaluate((cell) => cell.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'run-diff.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a change made on disk after a reload, and offers to reload or keep both rather than overwrite it', async () => {
    const file = await pirateCopy('on-disk');
    const { page } = await open('on-disk');
    await waitForSaved(page);

    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace(/Write an email from Bob[^\n]*/, 'Changed on disk'));
    await page.reload();
    await expect.poll(() => promptText(page)).toContain('Changed on disk');

    // Changed on disk again, then edited here against the version read before.
    await writeFile(file, original.replace(/Write an email from Bob[^\n]*/, 'Changed again'));
    await typeInto(page, 'Prompt', 'My edit');
    const dialog = page.getByRole('alertdialog', { name: 'The notebook changed on disk' });
    await dialog.waitFor({ timeout: 10_000 });
    expect(await saveState(page).textContent()).toBe('Changed on disk');
    expect(await readFile(file, 'utf8')).toContain('Changed again');
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'conflict.png') });

    await dialog.getByRole('button', { name: 'Reload from disk' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => promptText(page)).toContain('Changed again');
    await waitForSaved(page);

    // Once more, keeping both: the file stays as it is, the edit goes to a copy.
    await writeFile(file, original.replace(/Write an email from Bob[^\n]*/, 'Third version'));
    await typeInto(page, 'Prompt', 'Mine, kept');
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Keep both' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitForSaved(page);
    expect(await readFile(file, 'utf8')).toContain('Third version');
    expect(await readFile(path.join(session.server.dir, 'on-disk (mine).md'), 'utf8')).toContain(
      'Mine, kept',
    );
    expect(new URL(page.url()).searchParams.get('notebook')).toBe('on-disk (mine)');
    await page.close();
  });

  it('waits for a running answer to end before reloading a notebook changed on disk, instead of stopping it', async () => {
    const file = await pirateCopy('busy');
    const { page, errors } = await open('busy');
    await typeInto(page, 'Prompt', 'Describe a green parrot [[fault:slow:ms=2500]]');
    await waitForSaved(page);
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    await waitForState(page, CLAUDE, 'Waiting');

    // Changed on disk while the models are still thinking; the window regains focus.
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('title: Pirate email', 'title: Changed while running'));
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.waitForTimeout(500);
    expect(await runState(page, CLAUDE).textContent()).toBe('Waiting');
    expect(await page.getByLabel('Notebook title').inputValue()).toBe('Pirate email');

    // Once both answers are in, the check is made: the file is reloaded, answers and all.
    for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');
    await expect
      .poll(() => page.getByLabel('Notebook title').inputValue())
      .toBe('Changed while running');
    await expect.poll(() => page.getByText('Reloaded "busy": it changed on disk.').count()).toBe(1);
    for (const label of [CLAUDE, LLAMA]) {
      expect(await runState(page, label).textContent()).toBe('Done');
      expect(await deepText(answerOf(page, label))).toContain('parrot');
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists a malformed file with its parse error, and opening it shows the error at its line', async () => {
    await writeFile(
      path.join(session.server.dir, 'broken.md'),
      '---\ntitle: Broken\nversion: 1\n---\n\nSome prose where a cell should be.\n',
    );
    const { page } = await open('pirate-email');
    await page.getByRole('button', { name: 'Notebooks' }).click();
    const list = page.getByRole('dialog', { name: 'Notebooks' });
    await list.waitFor();
    const entry = list.getByRole('listitem', { name: 'broken' });
    await expect.poll(() => entry.getByLabel('Error in broken').textContent()).toMatch(/line 6/);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'notebook-list.png') });

    await list.getByRole('button', { name: 'Open broken' }).click();
    await list.waitFor({ state: 'hidden' });
    const error = page.getByRole('alert').filter({ hasText: 'cannot be read' });
    expect(await error.textContent()).toMatch(/line 6/);
    expect(await page.getByRole('heading', { name: '“broken” cannot be opened' }).count()).toBe(1);
    await page.close();
  });

  it('renames, duplicates and deletes notebooks (after confirming), refuses a bad name with its rule, and uploads a .md file', async () => {
    await pirateCopy('listed');
    const { page } = await open('pirate-email');
    await page.getByRole('button', { name: 'Notebooks' }).click();
    const list = page.getByRole('dialog', { name: 'Notebooks' });
    await list.getByRole('listitem', { name: 'listed' }).waitFor();

    await list.getByRole('button', { name: 'Rename listed' }).click();
    await list.getByRole('textbox', { name: 'New name for listed' }).fill('bad/name');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => list.getByRole('alert').textContent())
      .toContain('must not contain "/"');
    await list.getByRole('textbox', { name: 'New name for listed' }).fill('renamed');
    await page.keyboard.press('Enter');
    await list.getByRole('listitem', { name: 'renamed' }).waitFor();

    await list.getByRole('button', { name: 'Duplicate renamed' }).click();
    await list.getByRole('listitem', { name: 'renamed (copy)' }).waitFor();

    await list.getByRole('button', { name: 'Delete renamed (copy)' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete “renamed (copy)”?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await list.getByRole('listitem', { name: 'renamed (copy)' }).count()).toBe(1);
    await list.getByRole('button', { name: 'Delete renamed (copy)' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await list.getByRole('listitem', { name: 'renamed (copy)' }).waitFor({ state: 'detached' });

    // A file that does not parse is refused with its line; a good one is saved and opened.
    await list
      .getByLabel('Notebook file to upload')
      .setInputFiles({ name: 'bad.md', mimeType: 'text/markdown', buffer: Buffer.from('# hi\n') });
    await expect.poll(() => list.getByRole('alert').textContent()).toMatch(/bad\.md.*line 1/);
    const text = await readFile(path.join(ROOT, 'notebooks', 'pirate-email.md'));
    await list
      .getByLabel('Notebook file to upload')
      .setInputFiles({ name: 'pirate-email.md', mimeType: 'text/markdown', buffer: text });
    await list.waitFor({ state: 'hidden' });
    await expect
      .poll(() => new URL(page.url()).searchParams.get('notebook'))
      .toBe('pirate-email (2)');
    await page.close();
  });

  it('brings the notebook and its latest answers back after the server restarts', async () => {
    await pirateCopy('restart');
    const { page, errors } = await open('restart');
    await runPrompt(page);
    const answers = [await deepText(answerOf(page, CLAUDE)), await deepText(answerOf(page, LLAMA))];
    await page.getByLabel('Notebook title').fill('Pirate email, restarted');
    await page.getByLabel('Notebook title').press('Enter');
    await waitForSaved(page);

    await session.server.restart();
    await page.reload();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor({ state: 'attached' });
    expect(await page.getByLabel('Notebook title').inputValue()).toBe('Pirate email, restarted');
    for (const [i, label] of [CLAUDE, LLAMA].entries()) {
      expect(await runState(page, label).textContent()).toBe('Done');
      expect(await deepText(answerOf(page, label))).toBe(answers[i]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
