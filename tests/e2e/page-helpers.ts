import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { parseRunRecordLines } from '../../cells/run-record.ts';
import type { RunRecord } from '../../cells/run-record.ts';
import { openPage, ROOT } from './support.ts';
import type { Session } from './support.ts';

/** A notebook of a test's own in the server's folder. */
export interface TestNotebook {
  name: string;
  /** Its `.md` file. */
  file: string;
  /** Its run log. */
  runs: string;
}

/** Copies an example from `notebooks/` under `name`, so each test has a notebook of its own. */
export async function copyExample(
  session: Session,
  name: string,
  example = 'pirate-email',
): Promise<TestNotebook> {
  const file = path.join(session.server.dir, `${name}.md`);
  await copyFile(path.join(ROOT, 'notebooks', `${example}.md`), file);
  return { name, file, runs: path.join(session.server.dir, `${name}.runs.jsonl`) };
}

/** Opens a notebook of the server's folder by name. */
export function openNotebook(session: Session, name: string) {
  return openPage(session, `?notebook=${encodeURIComponent(name)}`);
}

/** A notebook's run records as they are on disk (none before the first run). */
export async function recordsOf(notebook: TestNotebook): Promise<RunRecord[]> {
  const text = await readFile(notebook.runs, 'utf8').catch(() => '');
  return parseRunRecordLines(text).records;
}

/** The save state the header shows ("Saved", "Not saved: cell 3 is not valid JSON"…). */
export const saveState = (page: Page) => page.getByRole('status', { name: 'Save state' });

export async function waitForSaved(page: Page): Promise<void> {
  await expect.poll(() => saveState(page).textContent(), { timeout: 10_000 }).toBe('Saved');
}

/** Clicks into the editor named `label` (the first such), as a person clicks into its text. */
export async function clickInto(page: Page, label: string): Promise<void> {
  await page.locator(`bp-code-editor[label="${label}"]`).first().click();
}

/** What has the keyboard: the accessible name (or tag) of the focused element, inside shadows. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('aria-label') ?? active?.tagName ?? '';
  });
}

/**
 * The text of every cell editor on the page, and the save state, read together once the page has
 * handled what came before (after an animation frame).
 */
export function screenState(page: Page): Promise<{ editors: string[]; saveState: string }> {
  return page.evaluate(
    () =>
      new Promise<{ editors: string[]; saveState: string }>((resolve) =>
        requestAnimationFrame(() => {
          const editors: string[] = [];
          let saveState = '';
          const walk = (root: Document | ShadowRoot): void => {
            for (const el of root.querySelectorAll('*')) {
              if (el.tagName === 'BP-CODE-EDITOR')
                editors.push((el as { text?: string }).text ?? '');
              if (el.tagName === 'BP-SAVE-STATUS') saveState = el.shadowRoot?.textContent ?? '';
              if (el.shadowRoot) walk(el.shadowRoot);
            }
          };
          walk(document);
          resolve({ editors, saveState: saveState.replace(/\s+/g, ' ').trim() });
        }),
      ),
  );
}

/** The text in the editor named `label` (the first such), as typed. */
export async function editorText(page: Page, label: string): Promise<string> {
  return page
    .locator(`bp-code-editor[label="${label}"]`)
    .first()
    .evaluate((el) => (el as HTMLElement & { text: string }).text);
}

/** Puts the keyboard on cell `n` (command mode): into its editor, then Esc. */
export async function commandModeOn(page: Page, label: string): Promise<void> {
  await clickInto(page, label);
  await page.keyboard.press('Escape');
}

/** How many cells the notebook shows. */
export const cellCount = (page: Page) =>
  page.getByRole('list', { name: 'Cells' }).locator(':scope > li').count();

/**
 * Picks a target's model as a person does: into the model picker of the target labelled
 * `label`, types `search` key by key (a name to search for, or an id to use as typed), Enter.
 */
export async function pickModel(page: Page, label: string, search: string): Promise<void> {
  const picker = page.getByRole('combobox', { name: `Model of ${label}`, exact: true });
  await picker.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(search);
  await page.getByRole('listbox', { name: 'Models' }).waitFor();
  await page.keyboard.press('Enter');
}
