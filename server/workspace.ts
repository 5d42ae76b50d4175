import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { NotebookParseError, parseNotebook } from '../cells/format.ts';
import type { Notebook } from '../cells/notebook.ts';
import { HttpError } from './http.ts';

/** Notebook files end in this; the name a user sees is the file name without it. */
export const NOTEBOOK_EXTENSION = '.md';
export const MAX_NAME_LENGTH = 100;

/** A notebook in the list: a broken file is listed with its parse error, not hidden. */
export interface NotebookEntry {
  name: string;
  title: string | null;
  modified: string;
  error: string | null;
}

/**
 * Checks a notebook name from a URL or a request; the message names the rule it breaks.
 * Names are file names without the extension, so they cannot leave the workspace.
 */
export function checkName(name: string): string {
  if (name.length === 0) throw new HttpError('A notebook name must not be empty.', 400);
  if (name.length > MAX_NAME_LENGTH) {
    throw new HttpError(`A notebook name must be at most ${MAX_NAME_LENGTH} characters.`, 400);
  }
  if (/[/\\]/.test(name)) throw new HttpError('A notebook name must not contain "/" or "\\".', 400);
  if (name.includes('..')) throw new HttpError('A notebook name must not contain "..".', 400);
  if (name.startsWith('.')) throw new HttpError('A notebook name must not start with ".".', 400);
  if (!/^[\p{L}\p{N}][\p{L}\p{N} ._()-]*$/u.test(name)) {
    throw new HttpError(
      'A notebook name may contain only letters, digits, spaces, ".", "_", "-" and parentheses, and must start with a letter or digit.',
      400,
    );
  }
  return name;
}

/** The folder of notebooks the server reads and writes (`--dir`). */
export class Workspace {
  constructor(
    /** Absolute path of the folder. */
    readonly dir: string,
  ) {}

  /** Creates the folder on first start and seeds it with copies of the examples. */
  static async open(dir: string, examplesDir: string): Promise<Workspace> {
    const absolute = path.resolve(dir);
    await mkdir(absolute, { recursive: true });
    // A new or empty folder is a first start; a folder the user emptied on purpose stays a choice
    // they can undo by deleting it.
    if ((await readdir(absolute)).length === 0) {
      for (const file of await readdir(examplesDir)) {
        if (file.endsWith(NOTEBOOK_EXTENSION) && file !== 'README.md') {
          await copyFile(path.join(examplesDir, file), path.join(absolute, file));
        }
      }
    }
    return new Workspace(absolute);
  }

  /** The file a (checked) name maps to. */
  fileOf(name: string): string {
    return path.join(this.dir, `${checkName(name)}${NOTEBOOK_EXTENSION}`);
  }

  async list(): Promise<NotebookEntry[]> {
    const files = (await readdir(this.dir)).filter(
      (file) => file.endsWith(NOTEBOOK_EXTENSION) && !file.startsWith('.'),
    );
    const entries = await Promise.all(
      files.map(async (file): Promise<NotebookEntry> => {
        const full = path.join(this.dir, file);
        const [text, info] = await Promise.all([readFile(full, 'utf8'), stat(full)]);
        const name = file.slice(0, -NOTEBOOK_EXTENSION.length);
        const modified = info.mtime.toISOString();
        try {
          return { name, title: parseNotebook(text).title, modified, error: null };
        } catch (error) {
          return { name, title: null, modified, error: errorText(error) };
        }
      }),
    );
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(name: string): Promise<{ name: string; text: string; notebook: Notebook }> {
    const file = this.fileOf(name);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new HttpError(`No notebook named "${name}".`, 404);
      throw error;
    });
    try {
      return { name, text, notebook: parseNotebook(text) };
    } catch (error) {
      throw new HttpError(`Notebook "${name}" cannot be read: ${errorText(error)}`, 422, {
        cause: error,
      });
    }
  }
}

function errorText(error: unknown): string {
  if (error instanceof NotebookParseError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
