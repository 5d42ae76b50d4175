import { createContext } from '@lit/context';
import type { Notebook } from '../cells/notebook.ts';
import {
  ApiError,
  ConflictError,
  UnreadableNotebookError,
  getNotebook,
  getLatestRuns,
  listNotebooks,
  saveNotebook,
} from './api.ts';
import { NotebookChangeEvent, RunChangeEvent } from './notebook-store.ts';
import type { NotebookStore } from './notebook-store.ts';
import { freeName } from './notebook-names.ts';

export { freeName, nameFrom } from './notebook-names.ts';

/**
 * Keeps the store's notebook on disk: opens notebooks (with their run logs), saves each edit
 * about a second after it is made, and never overwrites a file that changed on disk since it was
 * read. Such a change is a conflict the person resolves (reload from disk, or keep both). When the
 * window regains focus the file's version is checked; a file changed on disk while nothing was
 * edited here is reloaded at once (there is nothing to lose), otherwise it is a conflict; while
 * answers are streaming the check waits for them to end. Renders nothing: `<bp-app>` and the
 * notebook list show its state.
 */

/**
 * How the notebook on screen relates to its file; `invalid`: some text on screen cannot be saved
 * (a config that is not valid JSON yet), whatever else is.
 */
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'failed' | 'conflict' | 'invalid';

/** The file changed on disk under unsaved edits (or was deleted): the person must choose. */
export interface Conflict {
  name: string;
  message: string;
  /** The version on disk now; null when the file no longer exists. */
  diskVersion: string | null;
}

/** A notebook file that does not parse: shown with its error instead of the notebook. */
export interface Unreadable {
  name: string;
  message: string;
  text: string;
}

export class FilesChangeEvent extends Event {
  static readonly eventName = 'files-change';
  constructor() {
    super(FilesChangeEvent.eventName);
  }
}

/** Something the person should know about that is not an error (a reload from disk). */
export class FilesNoticeEvent extends Event {
  static readonly eventName = 'files-notice';
  constructor(readonly message: string) {
    super(FilesNoticeEvent.eventName);
  }
}

/** How long after the last edit the notebook is saved. */
export const AUTOSAVE_DELAY_MS = 1000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class NotebookFiles extends EventTarget {
  /** Where the notebook on screen stands against its file. */
  state: SaveState = 'saved';
  /** Why the last save failed (state `failed`). */
  problem = '';
  /** Set while a conflict waits for the person's choice; autosave waits too. */
  conflict: Conflict | undefined;
  /** Set while the opened file cannot be read (the page shows its error instead). */
  unreadable: Unreadable | undefined;

  /** The version of the file the notebook on screen was read from or last saved as. */
  private version: string | null = null;
  /** The store's revision that is on disk. */
  private savedRevision = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> | undefined;
  /** Bumped on every open, so a late answer about a previous notebook is ignored. */
  private generation = 0;
  /** A disk check came while answers were streaming: it is made when they have ended. */
  private checkWhenIdle = false;
  /** The state last announced, so a change in what is shown is announced once. */
  private lastShown: SaveState = 'saved';

  constructor(private readonly store: NotebookStore) {
    super();
    store.addEventListener(NotebookChangeEvent.eventName, this.onEdit);
    store.addEventListener(RunChangeEvent.eventName, this.onRunChange);
  }

  /** True when closing the page now would lose edits (or text that could not be saved). */
  get hasUnsavedChanges(): boolean {
    return this.hasUnsavedRevision || (this.store.name !== undefined && this.unsaveable !== '');
  }

  /** True when the notebook has edits that are not on disk yet. */
  private get hasUnsavedRevision(): boolean {
    return this.store.name !== undefined && this.store.revision !== this.savedRevision;
  }

  /**
   * Which text on screen cannot be saved ("cell 3 is not valid JSON"), or empty. The rest of the
   * notebook is still saved; that cell keeps its last valid content on disk.
   */
  get unsaveable(): string {
    const [first, ...more] = this.store.unsaveable;
    if (!first) return '';
    return `cell ${first.number} ${first.summary}${more.length ? ` (and ${more.length} more)` : ''}`;
  }

  /**
   * What the save state shows: a conflict or a failed save first, then text that cannot be saved
   * (never "Saved" while some of the screen is not on disk), then the save itself.
   */
  get shown(): SaveState {
    if (this.state === 'conflict' || this.state === 'failed') return this.state;
    return this.unsaveable ? 'invalid' : this.state;
  }

  private set(state: SaveState): void {
    this.state = state;
    this.lastShown = this.shown;
    this.dispatchEvent(new FilesChangeEvent());
  }

  private readonly onEdit = (): void => {
    if (this.shown !== this.lastShown) this.set(this.state);
    if (!this.hasUnsavedRevision) return;
    if (this.state === 'saved' || this.state === 'failed') this.set('unsaved');
    if (this.conflict) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), AUTOSAVE_DELAY_MS);
  };

  // ---- opening ----

  /**
   * Opens a stored notebook with its run log; the current one is saved first. A `background`
   * reload (the disk check) gives way instead: when, once the file is read, answers are streaming,
   * edits were made or another notebook is being opened, nothing changes and it returns false.
   */
  async open(
    name: string,
    signal?: AbortSignal,
    { background = false }: { background?: boolean } = {},
  ): Promise<boolean> {
    if (!background) await this.settle();
    // A background reload claims the page only once it is sure to load (see `mayLoad`).
    let generation = background ? this.generation : ++this.generation;
    const mayLoad = (): boolean => {
      if (generation !== this.generation) return false;
      if (!background) return true;
      if (this.store.running || this.saving || this.hasUnsavedChanges) return false;
      generation = ++this.generation;
      return true;
    };
    try {
      const [file, runs] = await Promise.all([
        getNotebook(name, signal),
        getLatestRuns(name, signal).catch((error: unknown) => {
          // A notebook without a readable run log still opens; its answers are just missing.
          this.notice(`The run history of "${name}" could not be read: ${message(error)}`);
          return { records: [], warnings: [], counts: {} };
        }),
      ]);
      if (!mayLoad()) return false;
      this.show(file.version);
      this.store.load(file.name, file.notebook, runs.records, runs.counts);
      if (runs.warnings.length) {
        this.notice(`Some run records of "${name}" were skipped: ${runs.warnings.join('; ')}`);
      }
    } catch (error) {
      if (!(error instanceof UnreadableNotebookError)) throw error;
      if (!mayLoad()) return false;
      this.show(null);
      this.unreadable = { name, message: error.message, text: error.text };
      this.store.load(undefined, { version: 1, title: name, targets: [], cells: [] });
      this.dispatchEvent(new FilesChangeEvent());
    }
    return true;
  }

  /** Creates a notebook under a free name based on `name` and opens it; returns its name. */
  async create(name: string, content: { notebook: Notebook } | { text: string }): Promise<string> {
    const taken = (await listNotebooks()).map((n) => n.name);
    for (let attempt = 0; ; attempt++) {
      const free = freeName(name, taken);
      try {
        await saveNotebook(free, content, null);
        return free;
      } catch (error) {
        // Taken in the meantime (another window): try the next free name.
        if (!(error instanceof ConflictError) || attempt > 5) throw error;
        taken.push(free);
      }
    }
  }

  /** Starts afresh on a file at `version` (the caller then loads the store). */
  private show(version: string | null): void {
    clearTimeout(this.timer);
    this.version = version;
    this.savedRevision = 0;
    this.conflict = undefined;
    this.unreadable = undefined;
    this.problem = '';
    this.state = 'saved';
    this.dispatchEvent(new FilesChangeEvent());
  }

  /** Leaves the notebook on screen without saving it (its file is about to be deleted). */
  close(): void {
    ++this.generation;
    this.show(null);
    this.store.load(undefined, { version: 1, title: 'Untitled', targets: [], cells: [] });
  }

  /** The notebook was renamed in the list: the same file, under its new name. */
  renamed(from: string, to: string): void {
    if (this.store.name === from) this.store.rename(to);
  }

  // ---- saving ----

  /** Saves now if there are edits, and waits for any save in flight. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    if (this.saving) await this.saving;
    if (this.hasUnsavedRevision && !this.conflict) await this.save();
  }

  /** Saves pending edits before the notebook on screen changes; throws if they cannot be. */
  private async settle(): Promise<void> {
    await this.flush();
    if (this.hasUnsavedChanges) {
      const why = this.conflict?.message ?? (this.problem || this.unsaveable);
      throw new Error(
        `Your changes to "${this.store.name}" are not saved yet (${why}). Resolve that first.`,
      );
    }
  }

  private save(): Promise<void> {
    if (this.saving) {
      // One save at a time; the edits made meanwhile go in the next one.
      return this.saving.then(() => (this.hasUnsavedRevision ? this.save() : undefined));
    }
    const name = this.store.name;
    if (name === undefined || !this.hasUnsavedRevision || this.conflict) return Promise.resolve();
    clearTimeout(this.timer);
    const generation = this.generation;
    const revision = this.store.revision;
    const notebook = this.store.notebook;
    this.set('saving');
    this.saving = saveNotebook(name, { notebook }, this.version)
      .then(
        (saved) => {
          if (generation !== this.generation) return;
          this.version = saved.version;
          this.savedRevision = revision;
          this.problem = '';
          this.set(this.hasUnsavedRevision ? 'unsaved' : 'saved');
        },
        (error: unknown) => {
          if (generation !== this.generation) return;
          if (error instanceof ConflictError) {
            this.conflict = {
              name,
              message: error.message,
              diskVersion: error.currentVersion,
            };
            this.set('conflict');
          } else {
            this.problem = message(error);
            this.set('failed');
          }
        },
      )
      .finally(() => {
        this.saving = undefined;
      });
    return this.saving.then(() => {
      if (generation === this.generation && this.state === 'unsaved') {
        this.timer = setTimeout(() => void this.save(), AUTOSAVE_DELAY_MS);
      }
    });
  }

  /** Saves again after a failure (not a conflict). */
  retry(): Promise<void> {
    return this.save();
  }

  // ---- conflicts ----

  /** Drops the edits made here and shows the file as it is on disk now. */
  async reloadFromDisk(): Promise<void> {
    const name = this.conflict?.name ?? this.store.name;
    if (name === undefined) return;
    this.savedRevision = this.store.revision;
    this.store.discardDrafts();
    this.conflict = undefined;
    await this.open(name);
  }

  /**
   * Keeps the file on disk as it is and saves the notebook on screen beside it, under a free
   * name; the page goes on with that copy. Returns its name.
   */
  async keepBoth(): Promise<string> {
    const name = this.conflict?.name ?? this.store.name ?? 'Untitled';
    const revision = this.store.revision;
    const generation = this.generation;
    const taken = (await listNotebooks()).map((n) => n.name);
    const copy = freeName(`${name} (mine)`, taken);
    const saved = await saveNotebook(copy, { notebook: this.store.notebook }, null);
    if (generation !== this.generation) return copy;
    this.version = saved.version;
    this.savedRevision = revision;
    this.conflict = undefined;
    this.store.rename(copy);
    this.set(this.hasUnsavedRevision ? 'unsaved' : 'saved');
    if (this.hasUnsavedRevision) void this.save();
    return copy;
  }

  /** The file was deleted on disk: writes the notebook on screen back under its name. */
  async saveAgain(): Promise<void> {
    if (!this.conflict || this.conflict.diskVersion !== null) return;
    this.version = null;
    this.conflict = undefined;
    await this.save();
  }

  // ---- changes on disk ----

  /**
   * Checks whether the file changed on disk (another window, a text editor, git). With no local
   * edits the new version is loaded at once; with local edits it is a conflict. While answers are
   * streaming the check waits until they have ended: loading would stop them, and a background
   * check never aborts a person's run.
   */
  async checkDisk(): Promise<void> {
    const name = this.store.name;
    if (name === undefined || this.saving || this.conflict || this.state === 'saving') return;
    if (this.deferUntilIdle()) return;
    const generation = this.generation;
    let version: string | null;
    try {
      version = (await getNotebook(name)).version;
    } catch (error) {
      if (error instanceof UnreadableNotebookError) version = error.version;
      else if (error instanceof ApiError && error.status === 404) version = null;
      else return; // The server is away; the next save will tell.
    }
    if (generation !== this.generation || version === this.version || this.saving) return;
    if (this.deferUntilIdle()) return;
    if (!this.hasUnsavedChanges && version !== null) {
      if (await this.open(name, undefined, { background: true })) {
        this.notice(`Reloaded "${name}": it changed on disk.`);
      } else {
        // A run started meanwhile: check again after it. (Edits made meanwhile are saved
        // against the version read before, which reports the conflict.)
        this.deferUntilIdle();
      }
      return;
    }
    clearTimeout(this.timer);
    this.conflict = {
      name,
      message:
        version === null
          ? `Notebook "${name}" no longer exists on disk.`
          : `Notebook "${name}" changed on disk since it was loaded.`,
      diskVersion: version,
    };
    this.set('conflict');
  }

  /** True (and the check is repeated once the runs have ended) while answers are streaming. */
  private deferUntilIdle(): boolean {
    if (!this.store.running) return false;
    this.checkWhenIdle = true;
    return true;
  }

  /** The set of running cells changed: a deferred check is made once none is left. */
  private readonly onRunChange = (event: Event): void => {
    if (!(event instanceof RunChangeEvent) || event.cellId !== undefined) return;
    if (!this.checkWhenIdle || this.store.running) return;
    this.checkWhenIdle = false;
    void this.checkDisk();
  };

  private notice(text: string): void {
    this.dispatchEvent(new FilesNoticeEvent(text));
  }
}

/** The page's notebook files, provided by `<bp-app>`. */
export const filesContext = createContext<NotebookFiles>(Symbol('bp-notebook-files'));
