import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { lstatOrNull, readRegular, syncDir, writeFileAtomic } from './atomic.ts';
import { checkName, NOTEBOOK_EXTENSION, RUNS_EXTENSION } from './names.ts';

/**
 * Renaming a notebook moves two files, the notebook and its run log, and a kill between the two
 * moves would split them. A journal (`.NAME.renaming`, hidden) names the move before it starts
 * and is removed after it; a start finishes every move whose journal it finds.
 */
const JOURNAL_EXTENSION = '.renaming';

/** Moves notebook `from` and its run log to `to` (both free and checked) as one step. */
export async function renameNotebook(dir: string, from: string, to: string): Promise<void> {
  const journal = path.join(dir, `.${from}${JOURNAL_EXTENSION}`);
  await writeFileAtomic(journal, JSON.stringify({ from, to }));
  await moveNotebook(dir, from, to);
  await rm(journal);
  await syncDir(dir);
}

/**
 * Moves a notebook and then its run log. Each step is skipped when it is already done, so a
 * start after a crash can run it again from the journal and finish the move.
 */
async function moveNotebook(dir: string, from: string, to: string): Promise<void> {
  const file = (name: string, extension: string) => path.join(dir, `${name}${extension}`);
  if (!(await lstatOrNull(file(to, NOTEBOOK_EXTENSION)))) {
    if (await lstatOrNull(file(from, NOTEBOOK_EXTENSION))) {
      await rename(file(from, NOTEBOOK_EXTENSION), file(to, NOTEBOOK_EXTENSION));
    }
  }
  const moved =
    (await lstatOrNull(file(to, NOTEBOOK_EXTENSION))) &&
    !(await lstatOrNull(file(from, NOTEBOOK_EXTENSION)));
  if (moved && (await lstatOrNull(file(from, RUNS_EXTENSION)))) {
    await rename(file(from, RUNS_EXTENSION), file(to, RUNS_EXTENSION));
  }
}

/** Finishes the renames that a crash interrupted, from their journals. */
export async function finishRenames(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.startsWith('.') || !name.endsWith(JOURNAL_EXTENSION)) continue;
    const journal = path.join(dir, name);
    const move = await readRegular(journal, 4096)
      .then((read) => (read ? (JSON.parse(read.text) as { from?: unknown; to?: unknown }) : null))
      .catch(() => null);
    const { from, to } = move ?? {};
    if (typeof from === 'string' && typeof to === 'string' && validNames(from, to)) {
      await moveNotebook(dir, from, to);
    }
    await rm(journal, { force: true });
  }
  await syncDir(dir);
}

function validNames(...names: string[]): boolean {
  try {
    names.forEach(checkName);
    return true;
  } catch {
    return false;
  }
}
