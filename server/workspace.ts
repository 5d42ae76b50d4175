import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import {
  formatBytes,
  NOTEBOOK_LIMITS,
  NotebookParseError,
  parseNotebook,
  serializeNotebook,
} from '../cells/format.ts';
import { ATTACHMENTS_DIR } from '../cells/attachments.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from '../cells/json-depth.ts';
import type { Notebook } from '../cells/notebook.ts';
import { parseRunRecordLines, runRecordLine, type RunRecord } from '../cells/run-record.ts';
import {
  appendLine,
  FILE_MODE,
  kindOf,
  lstatOrNull,
  notRegular,
  readRegular,
  removeStrayTemps,
  syncDir,
  writeFileAtomic,
  type BeforeRename,
} from './atomic.ts';
import { HttpError } from './http.ts';
import { checkName, NOTEBOOK_EXTENSION, RUNS_EXTENSION } from './names.ts';
import { finishRenames, renameNotebook } from './renames.ts';
import { RunIndexes, type LatestRuns } from './run-index.ts';

/** How much of a run log is read: the newest records, if it has grown larger. */
export const RUN_LOG_READ_LIMIT = 8 * 1024 * 1024;
/** How much of a run log is parsed between two turns of the event loop. */
const RUN_LOG_SLICE = 256 * 1024;
/** How many notebook files a listing reads at once: each may be megabytes. */
const LIST_BATCH = 4;

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
 * A notebook as this server knows it. Locks are taken on it, not on a name, and its `name`
 * follows renames: work queued on a notebook (the record of a run that is still streaming) lands
 * where the notebook went, whatever renames happen meanwhile.
 */
export class NotebookRef {
  /** Set when the notebook is deleted: work queued on it finds no notebook. */
  deleted = false;
  constructor(
    /** The notebook's name now. */
    public name: string,
  ) {}
}

/** The version of a notebook file: a digest of its bytes, so any edit on disk changes it. */
export function versionOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The folder of notebooks the server reads and writes (`--dir`). */
export class Workspace {
  /** One operation at a time per notebook, so a version check and its write are one step. */
  private readonly queues = new Map<NotebookRef, Promise<void>>();
  /** The notebooks this server has touched, by their current name. */
  private readonly refs = new Map<string, NotebookRef>();
  /** Where each run log's lines are, so a page opens without reading a log whole. */
  private readonly runIndexes = new RunIndexes();

  constructor(
    /** Absolute path of the folder. */
    readonly dir: string,
    /** Test seam for crash tests: runs between the flushed temporary file and the rename. */
    private readonly beforeRename?: BeforeRename,
  ) {}

  /**
   * Creates the folder (private to its user) on first start and seeds it with copies of the
   * examples. Every start first finishes the renames a crash interrupted and removes the
   * temporary files a killed process left.
   */
  static async open(
    dir: string,
    examplesDir: string,
    beforeRename?: BeforeRename,
  ): Promise<Workspace> {
    const absolute = path.resolve(dir);
    await mkdir(absolute, { recursive: true, mode: 0o700 });
    await finishRenames(absolute);
    await removeStrayTemps(absolute);
    // A new or empty folder is a first start.
    if ((await readdir(absolute)).length === 0) {
      for (const file of await readdir(examplesDir)) {
        if (file.endsWith(NOTEBOOK_EXTENSION) && file !== 'README.md') {
          const text = await readFile(path.join(examplesDir, file));
          await writeFile(path.join(absolute, file), text, { mode: FILE_MODE, flag: 'wx' });
        }
      }
      await copyAttachments(examplesDir, absolute);
    }
    return new Workspace(absolute, beforeRename);
  }

  /** The notebook named `name`, to record its runs wherever it goes; 404 when there is none. */
  async notebook(name: string): Promise<NotebookRef> {
    const file = this.fileOf(name);
    const info = await lstatOrNull(file);
    if (!info) throw new HttpError(`No notebook named "${name}".`, 404);
    if (!info.isFile()) throw notRegular(file, kindOf(info));
    return this.refOf(name);
  }

  /** The file a (checked) name maps to. */
  fileOf(name: string): string {
    return path.join(this.dir, `${checkName(name)}${NOTEBOOK_EXTENSION}`);
  }

  private runsFileOf(name: string): string {
    return path.join(this.dir, `${checkName(name)}${RUNS_EXTENSION}`);
  }

  /**
   * The notebooks: regular files ending in `.md`, each with its title or its parse error.
   * A symbolic link is listed with the reason it is not opened; folders, FIFOs and devices
   * are skipped.
   */
  async list(): Promise<NotebookEntry[]> {
    const files = (await readdir(this.dir, { withFileTypes: true }))
      .filter((entry) => entry.name.endsWith(NOTEBOOK_EXTENSION) && !entry.name.startsWith('.'))
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => entry.name);
    const entries: NotebookEntry[] = [];
    for (let i = 0; i < files.length; i += LIST_BATCH) {
      const batch = await Promise.all(files.slice(i, i + LIST_BATCH).map((f) => this.entry(f)));
      for (const entry of batch) if (entry) entries.push(entry);
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async entry(file: string): Promise<NotebookEntry | null> {
    const name = file.slice(0, -NOTEBOOK_EXTENSION.length);
    const full = path.join(this.dir, file);
    let read;
    try {
      read = await readRegular(full, NOTEBOOK_LIMITS.fileBytes);
    } catch (error) {
      // Listed with the reason (a symbolic link, a file over the limit), but never opened.
      const info = await lstatOrNull(full);
      if (!info || !(info.isFile() || info.isSymbolicLink())) return null;
      return { name, title: null, modified: info.mtime.toISOString(), error: errorText(error) };
    }
    if (!read) return null; // deleted between readdir and read
    const modified = read.stats.mtime.toISOString();
    try {
      // A file a person named by hand may break the name rules: list it with the rule, so
      // they learn why it cannot be opened and what to rename it to.
      checkName(name);
      return { name, title: parseNotebook(read.text).title, modified, error: null };
    } catch (error) {
      return { name, title: null, modified, error: errorText(error) };
    }
  }

  async read(name: string): Promise<StoredNotebook> {
    const read = await readRegular(this.fileOf(name), NOTEBOOK_LIMITS.fileBytes);
    if (!read) throw new HttpError(`No notebook named "${name}".`, 404);
    const { text, stats } = read;
    try {
      const notebook = parseNotebook(text);
      return {
        name,
        text,
        notebook,
        version: versionOf(text),
        modified: stats.mtime.toISOString(),
      };
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
    return this.locked([name], async () => {
      const current = await readRegular(file, NOTEBOOK_LIMITS.fileBytes);
      const currentVersion = current === null ? null : versionOf(current.text);
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
      checkReadable(text);
      await writeFileAtomic(file, text, this.beforeRename);
      const info = await lstat(file);
      return { name, text, notebook, version: versionOf(text), modified: info.mtime.toISOString() };
    });
  }

  /** Deletes a notebook and its run records. */
  remove(name: string): Promise<void> {
    const file = this.fileOf(name);
    return this.locked([name], async ([ref]) => {
      const info = await lstatOrNull(file);
      if (!info) throw new HttpError(`No notebook named "${name}".`, 404);
      if (!info.isFile()) throw notRegular(file, kindOf(info));
      // The run log first: a crash in between leaves a notebook without runs, never runs that
      // a later notebook of the same name would inherit. `rm` removes a link, not its target.
      await rm(this.runsFileOf(name), { force: true });
      this.runIndexes.forget(this.runsFileOf(name));
      await rm(file);
      await syncDir(this.dir);
      ref!.deleted = true;
      this.refs.delete(name);
    });
  }

  /**
   * Renames a notebook and its run records as one step a crash cannot split: a journal names
   * the move before it starts and is removed after it, and a start finishes any journal it
   * finds. Refuses to overwrite another notebook.
   */
  rename(from: string, to: string): Promise<void> {
    const source = this.fileOf(from);
    const target = this.fileOf(to);
    return this.locked([from, to], async ([moving, replaced]) => {
      const info = await lstatOrNull(source);
      if (!info) throw new HttpError(`No notebook named "${from}".`, 404);
      if (!info.isFile()) throw notRegular(source, kindOf(info));
      if (from === to) return;
      if (await lstatOrNull(target)) {
        throw new HttpError(`A notebook named "${to}" already exists.`, 409);
      }
      const runs = await lstatOrNull(this.runsFileOf(from));
      if (runs && !runs.isFile()) throw notRegular(this.runsFileOf(from), kindOf(runs));

      await renameNotebook(this.dir, from, to);
      this.runIndexes.forget(this.runsFileOf(from));
      this.runIndexes.forget(this.runsFileOf(to));
      moving!.name = to;
      replaced!.deleted = true;
      this.refs.delete(from);
      this.refs.set(to, moving!);
    });
  }

  /**
   * The run records of a notebook, oldest first, with warnings for lines that were skipped.
   * Parsed a slice at a time, so a long log never holds up other requests.
   */
  async runs(name: string): Promise<{ records: RunRecord[]; warnings: string[] }> {
    const file = this.runsFileOf(name);
    const read = await readRegular(file, RUN_LOG_READ_LIMIT, { tail: true });
    if (!read) return { records: [], warnings: [] };
    const records: RunRecord[] = [];
    const warnings: string[] = [];
    let text = read.text;
    if (read.skipped > 0) {
      text = text.slice(text.indexOf('\n') + 1); // the first line is cut: skip it
      warnings.push(
        `${path.basename(file)} is larger than ${formatBytes(RUN_LOG_READ_LIMIT)}: only its newest records are read, and line numbers count from there.`,
      );
    }
    let line = 1;
    for (let start = 0; start < text.length;) {
      const newline = text.indexOf('\n', start + RUN_LOG_SLICE);
      const end = newline < 0 ? text.length : newline + 1;
      // A line nested too deep is blanked first: JSON.parse's work grows with depth.
      const slice = text
        .slice(start, end)
        .split('\n')
        .map((record, i) => {
          if (tooDeepAt(record) === null) return record;
          warnings.push(`line ${line + i}: nests more than ${MAX_JSON_DEPTH} levels deep; skipped`);
          return '';
        })
        .join('\n');
      const parsed = parseRunRecordLines(slice, line);
      records.push(...parsed.records);
      warnings.push(...parsed.warnings);
      line += slice.split('\n').length - 1;
      start = end;
      if (start < text.length) await yieldToEvents();
    }
    return { records, warnings };
  }

  /**
   * Each history's latest run of a notebook (the answers a page shows when it opens), with how
   * many runs each history has, read through the log's index: as quick for a log of thousands of
   * runs as for one of ten.
   */
  latestRuns(name: string): Promise<LatestRuns> {
    return this.runIndexes.latest(this.runsFileOf(name));
  }

  /** The runs of one history of a notebook (a `runKeyId`), oldest first, the newest at most. */
  runHistory(name: string, key: string): Promise<{ records: RunRecord[]; total: number }> {
    return this.runIndexes.history(this.runsFileOf(name), key);
  }

  /**
   * Appends one run record as one whole line, under the notebook's lock so that a delete or a
   * rename cannot interleave. Given a `NotebookRef` (taken when the run started), the record
   * goes to that notebook under its current name. Resolves to the name it was recorded under.
   */
  async appendRun(notebook: NotebookRef | string, record: RunRecord): Promise<string> {
    const append = async (ref: NotebookRef) => {
      const name = ref.name;
      const info = ref.deleted ? null : await lstatOrNull(this.fileOf(name));
      if (!info) throw new HttpError(`No notebook named "${name}".`, 404);
      if (!info.isFile()) throw notRegular(this.fileOf(name), kindOf(info));
      await appendLine(this.runsFileOf(name), runRecordLine({ ...record, notebook: name }));
      return name;
    };
    if (typeof notebook === 'string') return this.locked([notebook], ([ref]) => append(ref!));
    return this.exclusive([notebook], () => append(notebook));
  }

  private refOf(name: string): NotebookRef {
    let ref = this.refs.get(checkName(name));
    if (!ref) this.refs.set(name, (ref = new NotebookRef(name)));
    return ref;
  }

  /**
   * Runs `work` with the notebooks now named `names` locked. The names are looked up again once
   * the locks are held: a rename that held one may have given a name to another notebook.
   */
  private async locked<T>(
    names: readonly string[],
    work: (refs: NotebookRef[]) => Promise<T>,
  ): Promise<T> {
    for (;;) {
      const refs = names.map((name) => this.refOf(name));
      const outcome = await this.exclusive(refs, async () =>
        refs.every((ref, i) => this.refs.get(names[i]!) === ref)
          ? { value: await work(refs) }
          : null,
      );
      if (outcome) return outcome.value;
    }
  }

  /**
   * Runs `work` once every earlier operation on any of `refs` has settled. All of them are taken
   * in one step, so two operations can never wait on each other (no lock-order deadlock).
   */
  private exclusive<T>(refs: readonly NotebookRef[], work: () => Promise<T>): Promise<T> {
    const keys = [...new Set(refs)];
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

/** The examples' attachments (`notebooks/attachments/`), copied beside the copied notebooks. */
async function copyAttachments(examplesDir: string, workspace: string): Promise<void> {
  const from = path.join(examplesDir, ATTACHMENTS_DIR);
  const files = await readdir(from, { withFileTypes: true }).catch(() => []);
  if (!files.length) return;
  await mkdir(path.join(workspace, ATTACHMENTS_DIR), { mode: 0o700 });
  for (const entry of files) {
    if (!entry.isFile()) continue;
    const bytes = await readFile(path.join(from, entry.name));
    const to = path.join(workspace, ATTACHMENTS_DIR, entry.name);
    await writeFile(to, bytes, { mode: FILE_MODE, flag: 'wx' });
  }
}

/** A file the server writes must read back: a 413 over the size limit, a 400 for the rest. */
function checkReadable(text: string): void {
  if (Buffer.byteLength(text) > NOTEBOOK_LIMITS.fileBytes) {
    throw new HttpError(
      `The notebook would be larger than ${formatBytes(NOTEBOOK_LIMITS.fileBytes)}, the limit for a notebook file.`,
      413,
    );
  }
  try {
    parseNotebook(text);
  } catch (error) {
    throw new HttpError(`The notebook cannot be saved: ${errorText(error)}`, 400);
  }
}

function errorText(error: unknown): string {
  if (error instanceof NotebookParseError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
