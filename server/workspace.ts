import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { NotebookParseError, parseNotebook, serializeNotebook } from '../cells/format.ts';
import type { Notebook } from '../cells/notebook.ts';
import { parseRunRecordLines, runRecordLine, type RunRecord } from '../cells/run-record.ts';
import { appendLine, writeFileAtomic, type BeforeRename } from './atomic.ts';
import { HttpError } from './http.ts';

/** Notebook files end in this; the name a user sees is the file name without it. */
export const NOTEBOOK_EXTENSION = '.md';
/** Run records sit beside the notebook, append-only, never inside its source. */
export const RUNS_EXTENSION = '.runs.jsonl';
export const MAX_NAME_LENGTH = 100;

/** A notebook in the list: a broken file is listed with its parse error, not hidden. */
export interface NotebookEntry {
  name: string;
  title: string | null;
  modified: string;
  error: string | null;
}

/** A notebook as read from disk, with the version a later save must name. */
export interface StoredNotebook {
  name: string;
  text: string;
  notebook: Notebook;
  version: string;
  modified: string;
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
  if (name.endsWith('.runs')) throw new HttpError('A notebook name must not end in ".runs".', 400);
  return name;
}

/** The version of a notebook file: a digest of its bytes, so any edit on disk changes it. */
export function versionOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The folder of notebooks the server reads and writes (`--dir`). */
export class Workspace {
  /** One write at a time per notebook, so the version check and the write are one step. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Renames done while this server ran, so a run that ends after one is recorded where it went. */
  private readonly renamed = new Map<string, string>();

  constructor(
    /** Absolute path of the folder. */
    readonly dir: string,
    /** Test seam for crash tests: runs between the flushed temporary file and the rename. */
    private readonly beforeRename?: BeforeRename,
  ) {}

  /** Creates the folder on first start and seeds it with copies of the examples. */
  static async open(
    dir: string,
    examplesDir: string,
    beforeRename?: BeforeRename,
  ): Promise<Workspace> {
    const absolute = path.resolve(dir);
    await mkdir(absolute, { recursive: true });
    // A new or empty folder is a first start.
    if ((await readdir(absolute)).length === 0) {
      for (const file of await readdir(examplesDir)) {
        if (file.endsWith(NOTEBOOK_EXTENSION) && file !== 'README.md') {
          await copyFile(path.join(examplesDir, file), path.join(absolute, file));
        }
      }
    }
    return new Workspace(absolute, beforeRename);
  }

  /** Whether a notebook of that (checked) name exists. */
  has(name: string): Promise<boolean> {
    return exists(this.fileOf(name));
  }

  /** The file a (checked) name maps to. */
  fileOf(name: string): string {
    return path.join(this.dir, `${checkName(name)}${NOTEBOOK_EXTENSION}`);
  }

  private runsFileOf(name: string): string {
    return path.join(this.dir, `${checkName(name)}${RUNS_EXTENSION}`);
  }

  async list(): Promise<NotebookEntry[]> {
    const files = (await readdir(this.dir)).filter(
      (file) => file.endsWith(NOTEBOOK_EXTENSION) && !file.startsWith('.'),
    );
    const entries = await Promise.all(
      files.map(async (file): Promise<NotebookEntry | null> => {
        const full = path.join(this.dir, file);
        const read = await Promise.all([readFile(full, 'utf8'), stat(full)]).catch(() => null);
        if (!read) return null; // deleted between readdir and read
        const [text, info] = read;
        const name = file.slice(0, -NOTEBOOK_EXTENSION.length);
        const modified = info.mtime.toISOString();
        try {
          // A file a person named by hand may break the name rules: list it with the rule, so
          // they learn why it cannot be opened and what to rename it to.
          checkName(name);
          return { name, title: parseNotebook(text).title, modified, error: null };
        } catch (error) {
          return { name, title: null, modified, error: errorText(error) };
        }
      }),
    );
    return entries.filter((entry) => entry !== null).sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(name: string): Promise<StoredNotebook> {
    const file = this.fileOf(name);
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new HttpError(`No notebook named "${name}".`, 404);
        throw error;
      },
    );
    try {
      const notebook = parseNotebook(text);
      return { name, text, notebook, version: versionOf(text), modified: info.mtime.toISOString() };
    } catch (error) {
      throw new HttpError(`Notebook "${name}" cannot be read: ${errorText(error)}`, 422, {
        cause: error,
        details: { version: versionOf(text), text },
      });
    }
  }

  /**
   * Saves a notebook if the file is still at `version` (null: it must not exist yet). A stale
   * version is a 409 carrying the current version, so the client can reload or keep both.
   */
  save(name: string, notebook: Notebook, version: string | null): Promise<StoredNotebook> {
    const file = this.fileOf(name);
    return this.exclusive([name], async () => {
      const current = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      const currentVersion = current === null ? null : versionOf(current);
      if (currentVersion !== version) {
        throw new HttpError(
          current === null
            ? `Notebook "${name}" no longer exists on disk.`
            : version === null
              ? `A notebook named "${name}" already exists.`
              : `Notebook "${name}" changed on disk since it was loaded.`,
          409,
          { details: { version: currentVersion } },
        );
      }
      const text = serializeNotebook(notebook);
      await writeFileAtomic(file, text, this.beforeRename);
      if (version === null) this.renamed.delete(name); // a new notebook under an old name
      const info = await stat(file);
      return { name, text, notebook, version: versionOf(text), modified: info.mtime.toISOString() };
    });
  }

  /** Deletes a notebook and its run records. */
  remove(name: string): Promise<void> {
    const file = this.fileOf(name);
    return this.exclusive([name], async () => {
      await rm(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new HttpError(`No notebook named "${name}".`, 404);
        throw error;
      });
      await rm(this.runsFileOf(name), { force: true });
    });
  }

  /** Renames a notebook and its run records; refuses to overwrite another notebook. */
  rename(from: string, to: string): Promise<void> {
    const source = this.fileOf(from);
    const target = this.fileOf(to);
    return this.exclusive([from, to], async () => {
      if (!(await exists(source))) throw new HttpError(`No notebook named "${from}".`, 404);
      if (from === to) return;
      if (await exists(target)) {
        throw new HttpError(`A notebook named "${to}" already exists.`, 409);
      }
      await rename(source, target);
      await rename(this.runsFileOf(from), this.runsFileOf(to)).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        },
      );
      this.renamed.set(from, to);
      this.renamed.delete(to);
    });
  }

  /** The run records of a notebook, oldest first, with warnings for lines that were skipped. */
  async runs(name: string): Promise<{ records: RunRecord[]; warnings: string[] }> {
    const text = await readFile(this.runsFileOf(name), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      },
    );
    return parseRunRecordLines(text);
  }

  /**
   * Appends one run record as one whole line, under the notebook's lock so that a delete or a
   * rename cannot interleave. A run that ends after its notebook was renamed is recorded under
   * the new name.
   */
  async appendRun(name: string, record: RunRecord): Promise<string> {
    let current = checkName(name);
    for (let hops = 0; this.renamed.has(current) && hops < 100; hops++) {
      current = this.renamed.get(current)!;
    }
    const target = current;
    await this.exclusive([target], async () => {
      if (!(await exists(this.fileOf(target)))) {
        throw new HttpError(`No notebook named "${target}".`, 404);
      }
      await appendLine(this.runsFileOf(target), runRecordLine({ ...record, notebook: target }));
    });
    return target;
  }

  /**
   * Runs `work` once every earlier operation on any of `names` has settled. All the names are
   * taken in one step, so two operations can never wait on each other (no lock-order deadlock).
   */
  private exclusive<T>(names: readonly string[], work: () => Promise<T>): Promise<T> {
    const keys = [...new Set(names)];
    const previous = Promise.all(keys.map((key) => this.queues.get(key) ?? Promise.resolve()));
    const next = previous.then(work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.queues.set(key, settled);
    void settled.then(() => {
      for (const key of keys) if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function errorText(error: unknown): string {
  if (error instanceof NotebookParseError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
