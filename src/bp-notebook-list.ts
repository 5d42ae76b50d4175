import { ContextConsumer } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Notebook } from '../cells/notebook.ts';
import {
  ApiError,
  UnreadableNotebookError,
  deleteNotebook,
  getNotebook,
  listNotebooks,
  renameNotebook,
} from './api.ts';
import type { NotebookEntry } from './api.ts';
import { downloadText } from './download.ts';
import { formatWhen } from './format.ts';
import { icons } from './icons.ts';
import { dialogHead } from './dialog.ts';
import { filesContext, nameFrom } from './notebook-files.ts';
import type { NotebookFiles } from './notebook-files.ts';
import { notebookListStyles } from './bp-notebook-list-styles.ts';
import { StoreController } from './store-controller.ts';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The notebooks of the workspace in a dialog: open one, create a new one, upload a `.md` file,
 * and duplicate, rename, download or delete (after confirming) any of them. A file that does not
 * parse is listed with its error rather than hidden.
 */
export class BpNotebookList extends LitElement {
  static override properties = {
    reload: { state: true },
    renaming: { state: true },
    deleting: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  /** Bumped to read the list again. */
  declare private reload: number;
  /** The notebook whose name is being edited. */
  declare private renaming: string | undefined;
  /** The notebook waiting for its deletion to be confirmed. */
  declare private deleting: string | undefined;
  /** What went wrong with the last action (a name rule, a file that does not parse). */
  declare private error: string;
  declare private busy: boolean;

  private readonly state = new StoreController(this, { notebook: true });
  private files: NotebookFiles | undefined;

  private readonly list = new Task(this, {
    task: ([, open]: readonly [number, boolean], { signal }) =>
      open ? listNotebooks(signal) : Promise.resolve([] as NotebookEntry[]),
    args: () => [this.reload, this.dialog?.open ?? false] as const,
  });

  static override styles = notebookListStyles;

  constructor() {
    super();
    this.reload = 0;
    this.error = '';
    this.busy = false;
    new ContextConsumer(this, {
      context: filesContext,
      subscribe: true,
      callback: (files) => (this.files = files),
    });
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector<HTMLDialogElement>('dialog.list');
  }

  /** Opens the dialog and reads the list afresh. */
  show(): void {
    this.error = '';
    this.renaming = undefined;
    this.dialog?.showModal();
    this.reload++;
  }

  close(): void {
    this.dialog?.close();
  }

  /** Runs one action of the list, showing its failure in the dialog. */
  private async act(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await work();
    } catch (error) {
      this.error = describe(error);
    } finally {
      this.busy = false;
      this.reload++;
    }
  }

  private open(name: string): Promise<void> {
    return this.act(async () => {
      await this.files?.open(name);
      this.close();
    });
  }

  private create(): Promise<void> {
    return this.act(async () => {
      const store = this.state.store;
      const files = this.files;
      if (!store || !files) return;
      const notebook: Notebook = {
        version: 1,
        title: 'Untitled',
        // The models being compared so far are the likeliest next comparison.
        targets: structuredClone(store.notebook.targets),
        cells: [
          {
            kind: 'prompt',
            id: 'prompt-1',
            text: '',
            newThread: false,
            parts: [],
            repeat: 1,
            checks: [],
          },
        ],
      };
      const name = await files.create('Untitled', { notebook });
      await files.open(name);
      this.close();
    });
  }

  private duplicate(name: string): Promise<void> {
    return this.act(async () => {
      const files = this.files;
      if (!files) return;
      if (name === this.state.store?.name) await files.flush();
      const { text } = await getNotebook(name);
      await files.create(`${name} (copy)`, { text });
    });
  }

  private rename(name: string, to: string): Promise<void> {
    return this.act(async () => {
      const files = this.files;
      if (!files || to === name) {
        this.renaming = undefined;
        return;
      }
      const current = name === this.state.store?.name;
      if (current) await files.flush();
      const renamed = await renameNotebook(name, to);
      if (current) files.renamed(name, renamed);
      this.renaming = undefined;
    });
  }

  private deleteFile(name: string): Promise<void> {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm')?.close();
    this.deleting = undefined;
    return this.act(async () => {
      const files = this.files;
      if (!files) return;
      const current = name === this.state.store?.name;
      if (current) files.close();
      await deleteNotebook(name);
      if (current) {
        const next = (await listNotebooks()).find((n) => n.error === null);
        if (next) await files.open(next.name);
      }
    });
  }

  private download(name: string): Promise<void> {
    return this.act(async () => {
      if (name === this.state.store?.name) await this.files?.flush();
      let text: string;
      try {
        text = (await getNotebook(name)).text;
      } catch (error) {
        // A file that does not parse is still the person's file: download it as it is.
        if (!(error instanceof UnreadableNotebookError)) throw error;
        text = error.text;
      }
      downloadText(`${name}.md`, text, 'text/markdown');
    });
  }

  private upload(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return Promise.resolve();
    return this.act(async () => {
      const files = this.files;
      if (!files) return;
      const text = await file.text();
      let name: string;
      try {
        name = await files.create(nameFrom(file.name), { text });
      } catch (error) {
        if (error instanceof ApiError && error.status === 400) {
          throw new Error(`${file.name} is not a notebook file: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      }
      await files.open(name);
      this.close();
    });
  }

  private confirmDelete(name: string): void {
    this.deleting = name;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm')?.showModal(),
    );
  }

  private startRename(name: string): void {
    this.renaming = name;
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>('form.rename input');
      input?.focus();
      input?.select();
    });
  }

  protected override render() {
    const current = this.state.store?.name;
    return html`<dialog class="list" aria-labelledby="list-title">
        ${dialogHead('list-title', 'Notebooks', () => this.close())}
        <div class="dialog-body">
          <div class="tools">
            <button class="primary" ?disabled=${this.busy} @click=${() => void this.create()}>
              + New notebook
            </button>
            <button
              ?disabled=${this.busy}
              @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#upload')?.click()}
            >
              ${icons.upload} Upload a .md file…
            </button>
            <input
              id="upload"
              type="file"
              accept=".md,text/markdown"
              aria-label="Notebook file to upload"
              @change=${(e: Event) => void this.upload(e.target as HTMLInputElement)}
            />
          </div>
          ${this.error ? html`<p class="dialog-error" role="alert">${this.error}</p>` : nothing}
          ${this.list.render({
            pending: () => html`<p class="placeholder" role="status">Reading the workspace…</p>`,
            error: (error) =>
              html`<p class="dialog-error" role="alert">
                The notebooks could not be listed: ${describe(error)}
              </p>`,
            complete: (notebooks) =>
              notebooks.length
                ? html`<ul class="bare-list" aria-label="Notebooks in the workspace">
                    ${repeat(
                      notebooks,
                      (n) => n.name,
                      (n) => this.renderEntry(n, n.name === current),
                    )}
                  </ul>`
                : html`<p class="placeholder">No notebooks yet: create one or upload a file.</p>`,
          })}
        </div>
      </dialog>
      ${this.renderConfirm()}`;
  }

  private renderEntry(n: NotebookEntry, current: boolean) {
    if (this.renaming === n.name) {
      return html`<li aria-label=${n.name}>
        <form
          class="rename"
          @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            const input = (e.target as HTMLFormElement).querySelector('input');
            void this.rename(n.name, input?.value.trim() ?? n.name);
          }}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key !== 'Escape') return;
            e.preventDefault();
            this.renaming = undefined;
          }}
        >
          <input type="text" aria-label="New name for ${n.name}" .value=${n.name} required />
          <button class="primary" ?disabled=${this.busy}>Rename</button>
          <button type="button" @click=${() => (this.renaming = undefined)}>Cancel</button>
        </form>
      </li>`;
    }
    return html`<li class=${current ? 'current' : ''} aria-label=${n.name}>
      <div class="info">
        <button
          class="open"
          aria-label="Open ${n.name}"
          ?disabled=${this.busy}
          @click=${() => void this.open(n.name)}
        >
          ${n.title ?? n.name}</button
        >${current ? html`<span class="badge">Open now</span>` : nothing}
        <div class="meta">
          <code>${n.name}.md</code> · changed
          <time datetime=${n.modified} title=${new Date(n.modified).toLocaleString()}
            >${formatWhen(n.modified)}</time
          >
        </div>
        ${
          n.error
            ? html`<p class="broken" aria-label="Error in ${n.name}">Cannot be read: ${n.error}</p>`
            : nothing
        }
      </div>
      <div class="actions">
        <button
          class="icon"
          aria-label="Duplicate ${n.name}"
          title="Duplicate"
          ?disabled=${this.busy || n.error !== null}
          @click=${() => void this.duplicate(n.name)}
        >
          ${icons.copy}
        </button>
        <button
          class="icon"
          aria-label="Rename ${n.name}"
          title="Rename"
          ?disabled=${this.busy}
          @click=${() => this.startRename(n.name)}
        >
          ${icons.edit}
        </button>
        <button
          class="icon"
          aria-label="Download ${n.name}.md"
          title="Download the .md file"
          ?disabled=${this.busy}
          @click=${() => void this.download(n.name)}
        >
          ${icons.download}
        </button>
        <button
          class="icon"
          aria-label="Delete ${n.name}"
          title="Delete"
          ?disabled=${this.busy}
          @click=${() => this.confirmDelete(n.name)}
        >
          ${icons.trash}
        </button>
      </div>
    </li>`;
  }

  private renderConfirm() {
    const name = this.deleting;
    return html`<dialog
      class="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      @close=${() => (this.deleting = undefined)}
    >
      <div class="dialog-head"><h2 id="confirm-title">Delete “${name}”?</h2></div>
      <div class="dialog-body">
        <p id="confirm-text">
          This deletes the file <code>${name}.md</code> and its run history from the workspace. It
          cannot be undone.
        </p>
      </div>
      <div class="dialog-foot">
        <button
          autofocus
          @click=${() =>
            this.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm')?.close()}
        >
          Cancel
        </button>
        <button class="danger" @click=${() => name !== undefined && void this.deleteFile(name)}>
          ${icons.trash} Delete
        </button>
      </div>
    </dialog>`;
  }
}

customElements.define('bp-notebook-list', BpNotebookList);

declare global {
  interface HTMLElementTagNameMap {
    'bp-notebook-list': BpNotebookList;
  }
}
