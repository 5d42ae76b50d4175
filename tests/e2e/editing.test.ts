import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseNotebook } from '../../cells/format.ts';
import { SHORTCUTS } from '../../src/shortcuts.ts';
import {
  answerOf,
  CLAUDE,
  deepText,
  LLAMA,
  runState,
  useSession,
  waitForState,
} from './support.ts';
import {
  cellCount,
  clickInto,
  commandModeOn,
  copyExample,
  editorText,
  focusedName,
  openNotebook,
  recordsOf,
  saveState,
  screenState,
  waitForSaved,
} from './page-helpers.ts';

const session = useSession();

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The config cell's JSON as the file on disk holds it. */
async function configOnDisk(file: string): Promise<unknown> {
  const block = /```config id=cfg\n([^]*?)\n```/.exec(await readFile(file, 'utf8'));
  return JSON.parse(block?.[1] ?? 'null');
}

describe('editing a notebook', () => {
  it('saves exactly the config typed key by key over a selection, and never says Saved while the text is not valid JSON', async () => {
    const notebook = await copyExample(session, 'config-typing');
    const { page, errors } = await openNotebook(session, notebook.name);
    await waitForSaved(page);
    const typed = '{"maxTokens": 512, "temperature": 0.25}';

    await clickInto(page, 'Inference config');
    await page.keyboard.press('ControlOrMeta+A');
    const invalid: string[] = [];
    for (const key of typed.slice(0, -1)) {
      await page.keyboard.type(key);
      const { editors, saveState: state } = await screenState(page);
      const text = editors.find((t) => t.includes('{')) ?? '';
      if (!isJson(text)) {
        invalid.push(text);
        expect(state, `with ${JSON.stringify(text)} in the editor`).not.toBe('Saved');
      }
    }
    // The caret never jumped: what is in the editor is what was typed, so far.
    expect(await editorText(page, 'Inference config')).toBe(typed.slice(0, -1));
    expect(invalid.length).toBeGreaterThan(10);

    // Left half-typed, it is said so, and the file keeps the last valid config.
    await expect
      .poll(() => saveState(page).textContent(), { timeout: 10_000 })
      .toBe('Not saved: cell 3 is not valid JSON');
    expect(await configOnDisk(notebook.file)).toEqual({ maxTokens: 2000, temperature: 0 });

    await page.keyboard.type(typed.slice(-1));
    expect(await editorText(page, 'Inference config')).toBe(typed);
    await waitForSaved(page);
    expect(await configOnDisk(notebook.file)).toEqual(JSON.parse(typed));

    // Leaving the editor lays the JSON out as the file has it; nothing more to save.
    await page.keyboard.press('Escape');
    await expect
      .poll(() => editorText(page, 'Inference config'))
      .toBe(JSON.stringify(JSON.parse(typed), null, 2));
    expect(await saveState(page).textContent()).toBe('Saved');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('leaves a prompt for its cell with Esc, so Tab Tab types nothing, and Enter goes back in', async () => {
    const notebook = await copyExample(session, 'esc-tab');
    const { page, errors } = await openNotebook(session, notebook.name);
    await waitForSaved(page);
    const before = await screenState(page);
    const file = await readFile(notebook.file, 'utf8');

    await clickInto(page, 'Prompt');
    expect(await focusedName(page)).toBe('Prompt');
    await page.keyboard.press('Escape');
    expect(await focusedName(page)).toBe('Prompt cell 4');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).not.toBe('Prompt');
    expect(await screenState(page)).toEqual(before);

    await page.keyboard.press('Escape');
    expect(await focusedName(page)).toBe('Prompt cell 4');
    await page.keyboard.press('Enter');
    expect(await focusedName(page)).toBe('Prompt');

    // In prose Tab moves on; the system prompt is left unchanged by it too.
    await clickInto(page, 'System prompt');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).not.toBe('System prompt');
    expect(await screenState(page)).toEqual(before);
    expect(await readFile(notebook.file, 'utf8')).toBe(file);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('indents with Tab in a JSON editor, leaves it with Esc, and Z takes the indent back', async () => {
    const notebook = await copyExample(session, 'json-tab');
    const { page } = await openNotebook(session, notebook.name);
    await waitForSaved(page);
    const config = await editorText(page, 'Inference config');

    await clickInto(page, 'Inference config');
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('Tab');
    expect(await editorText(page, 'Inference config')).toBe(`  ${config}`);
    await page.keyboard.press('Escape');
    expect(await focusedName(page)).toBe('Inference config cell 3');

    await page.keyboard.press('z');
    await expect.poll(() => editorText(page, 'Inference config')).toBe(config);
    await waitForSaved(page);
    expect(await configOnDisk(notebook.file)).toEqual(JSON.parse(config));
    await page.close();
  });

  it('brings back a deleted cell with its runs on undo, and the file on disk is as it was', async () => {
    const notebook = await copyExample(session, 'undo-delete');
    const { page, errors } = await openNotebook(session, notebook.name);
    await page.getByRole('button', { name: 'Run cell 4', exact: true }).click();
    for (const label of [CLAUDE, LLAMA]) await waitForState(page, label, 'Done');
    await waitForSaved(page);
    const file = await readFile(notebook.file, 'utf8');
    const answers = [await deepText(answerOf(page, CLAUDE)), await deepText(answerOf(page, LLAMA))];
    await expect.poll(async () => (await recordsOf(notebook)).length).toBe(2);

    // D D in command mode deletes; the deletion is saved; the run log is untouched.
    await commandModeOn(page, 'Prompt');
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => cellCount(page)).toBe(3);
    await expect.poll(() => readFile(notebook.file, 'utf8'), { timeout: 10_000 }).not.toBe(file);
    expect(parseNotebook(await readFile(notebook.file, 'utf8')).cells).toHaveLength(3);
    expect(await recordsOf(notebook)).toHaveLength(2);

    // The notice's Undo brings the cell back with its answers, and the file as it was.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => cellCount(page)).toBe(4);
    expect(await runState(page, CLAUDE).textContent()).toBe('Done');
    expect([await deepText(answerOf(page, CLAUDE)), await deepText(answerOf(page, LLAMA))]).toEqual(
      answers,
    );
    await expect.poll(() => readFile(notebook.file, 'utf8'), { timeout: 10_000 }).toBe(file);
    await waitForSaved(page);

    // The same with the toolbar's Delete and Z; Shift+Z does it again, Z undoes it once more.
    await page.getByRole('button', { name: 'Delete cell 4' }).click();
    await expect.poll(() => cellCount(page)).toBe(3);
    await page.keyboard.press('z');
    await expect.poll(() => cellCount(page)).toBe(4);
    await page.keyboard.press('Shift+Z');
    await expect.poll(() => cellCount(page)).toBe(3);
    await page.keyboard.press('ControlOrMeta+Z');
    await expect.poll(() => cellCount(page)).toBe(4);
    await expect.poll(() => readFile(notebook.file, 'utf8'), { timeout: 10_000 }).toBe(file);

    // After a reload the cell still has its answers (its records were never removed).
    await page.reload();
    await waitForState(page, CLAUDE, 'Done');
    expect(await deepText(answerOf(page, CLAUDE))).toBe(answers[0]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('undoes a move, a duplicate, a change of kind and target edits, one step at a time', async () => {
    const notebook = await copyExample(session, 'undo-steps');
    const { page } = await openNotebook(session, notebook.name);
    await waitForSaved(page);
    const file = await readFile(notebook.file, 'utf8');
    const kinds = () =>
      page.evaluate(() => {
        const out: string[] = [];
        const walk = (root: Document | ShadowRoot): void => {
          for (const el of root.querySelectorAll('*')) {
            if (
              el.tagName === 'SELECT' &&
              /^Kind of cell/.test(el.getAttribute('aria-label') ?? '')
            ) {
              out.push((el as HTMLSelectElement).value);
            }
            if (el.shadowRoot) walk(el.shadowRoot);
          }
        };
        walk(document);
        return out.join(' ');
      });
    const targets = () =>
      page.getByRole('list', { name: 'Targets' }).getByRole('listitem').allInnerTexts();
    const initialKinds = await kinds();
    const initialTargets = await targets();

    await commandModeOn(page, 'System prompt');
    await page.keyboard.press('ControlOrMeta+Shift+ArrowDown');
    await expect.poll(kinds).toBe('markdown config system prompt');
    await page.getByRole('button', { name: 'Duplicate cell 4' }).click();
    await expect.poll(kinds).toBe('markdown config system prompt prompt');
    await page.getByRole('combobox', { name: 'Kind of cell 1' }).selectOption('assistant');
    await expect.poll(kinds).toBe('assistant config system prompt prompt');
    await page.getByRole('button', { name: '+ Add target' }).click();
    await page.getByRole('button', { name: `Remove ${CLAUDE}` }).click();
    await page.getByRole('button', { name: `Move ${LLAMA} right` }).click();
    expect(await targets()).not.toEqual(initialTargets);

    for (let i = 0; i < 3; i++) await page.keyboard.press('z');
    await expect.poll(targets).toEqual(initialTargets);
    await page.keyboard.press('z');
    await expect.poll(kinds).toBe('markdown config system prompt prompt');
    await page.keyboard.press('z');
    await expect.poll(kinds).toBe('markdown config system prompt');
    await page.keyboard.press('z');
    await expect.poll(kinds).toBe(initialKinds);
    await expect.poll(() => readFile(notebook.file, 'utf8'), { timeout: 10_000 }).toBe(file);
    await page.close();
  });

  it('lists every shortcut of the one shortcuts table in the ? dialog', async () => {
    const notebook = await copyExample(session, 'help');
    const { page } = await openNotebook(session, notebook.name);
    await commandModeOn(page, 'Prompt');
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const rows = await dialog.getByRole('row').allInnerTexts();
    expect(rows).toHaveLength(SHORTCUTS.length);
    for (const shortcut of SHORTCUTS) {
      expect(rows.some((row) => row.includes(shortcut.description))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.close();
  });

  it('works a notebook with the keyboard alone: add a cell, type, move between cells, run, save', async () => {
    const notebook = await copyExample(session, 'keyboard');
    const { page, errors } = await openNotebook(session, notebook.name);
    await commandModeOn(page, 'Prompt');
    await page.keyboard.press('b');
    await expect.poll(() => cellCount(page)).toBe(5);
    expect(await focusedName(page)).toBe('Prompt cell 5');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Say it in French');
    await page.keyboard.press('Escape');
    await page.keyboard.press('k');
    expect(await focusedName(page)).toBe('Prompt cell 4');
    await page.keyboard.press('ControlOrMeta+Enter');
    await waitForState(page, CLAUDE, 'Done');
    await page.keyboard.press('j');
    expect(await focusedName(page)).toBe('Prompt cell 5');
    await page.keyboard.press('Shift+Enter');
    await expect
      .poll(async () => (await recordsOf(notebook)).filter((r) => r.cellId !== 'email').length)
      .toBe(2);
    await page.keyboard.press('ControlOrMeta+s');
    await waitForSaved(page);
    expect(await readFile(notebook.file, 'utf8')).toContain('Say it in French');
    expect(errors).toEqual([]);
    await page.close();
  });
});
