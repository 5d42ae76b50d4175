import { ContextProvider } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { getModels, getStatus, listNotebooks } from './api.ts';
import './bp-conflict-dialog.ts';
import type { BpConflictDialog } from './bp-conflict-dialog.ts';
import './bp-export-dialog.ts';
import type { BpExportDialog, ExportCellEvent } from './bp-export-dialog.ts';
import './bp-notebook.ts';
import type { BpNotebook } from './bp-notebook.ts';
import './bp-notebook-export-dialog.ts';
import type { BpNotebookExportDialog } from './bp-notebook-export-dialog.ts';
import './bp-notebook-list.ts';
import type { BpNotebookList } from './bp-notebook-list.ts';
import { AppErrorEvent, AppNoticeEvent } from './bp-notifier.ts';
import './bp-notifier.ts';
import './bp-save-status.ts';
import './bp-shortcuts-dialog.ts';
import type { BpShortcutsDialog } from './bp-shortcuts-dialog.ts';
import './bp-status-bar.ts';
import './bp-targets-bar.ts';
import './bp-unreadable-notebook.ts';
import {
  FilesChangeEvent,
  FilesNoticeEvent,
  NotebookFiles,
  filesContext,
} from './notebook-files.ts';
import {
  NotebookChangeEvent,
  NotebookStore,
  StoreProblemEvent,
  storeContext,
} from './notebook-store.ts';
import { loadGridIfNeeded } from './grid-loader.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import { PageKeys } from './page-keys.ts';
import { describeKeys } from './shortcuts.ts';
import type { Command } from './shortcuts.ts';
import { StoreController } from './store-controller.ts';

/** The example a first start opens. */
const FIRST_NOTEBOOK = 'pirate-email';

/**
 * The page: owns the notebook store (provided to every element below through `@lit/context`),
 * loads the backend status, the models and the first notebook, and lays out the header, targets,
 * cells and status bar. Carries out the page's shortcuts (see `shortcuts.ts`): run all, stop,
 * undo, redo, save, help.
 */
export class BpApp extends LitElement {
  private readonly store = new NotebookStore();
  private readonly files = new NotebookFiles(this.store);

  private readonly load = new Task(this, {
    task: async (_args: readonly [], { signal }) => {
      const [status, notebooks] = await Promise.all([getStatus(signal), listNotebooks(signal)]);
      this.store.setBackend(status);
      // The catalog comes when the backend's control plane has answered; the page works meanwhile.
      getModels(signal).then(
        (catalog) => this.store.setCatalog(catalog),
        (error: unknown) => {
          if (!signal.aborted)
            this.dispatchEvent(new AppErrorEvent('The model list could not be read.', error));
        },
      );
      const wanted = new URLSearchParams(location.search).get('notebook') ?? FIRST_NOTEBOOK;
      const readable = notebooks.filter((n) => n.error === null);
      const name = notebooks.some((n) => n.name === wanted) ? wanted : readable[0]?.name;
      if (name) await this.files.open(name, signal);
    },
    args: () => [] as const,
  });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
      }
      header {
        position: sticky;
        top: 0;
        z-index: 5;
        display: flex;
        align-items: center;
        gap: 12px;
        flex-wrap: wrap;
        padding: 10px 24px;
        background: var(--bp-surface);
        border-bottom: 1px solid var(--bp-border);
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 8px;
        font-weight: 700;
        font-size: 15px;
        white-space: nowrap;
      }
      .logo {
        width: 22px;
        height: 22px;
        border-radius: 6px;
        background: linear-gradient(135deg, #0972d3, #8456ce);
      }
      h1 {
        margin: 0;
        font-size: 15px;
        font-weight: 400;
        min-width: 0;
      }
      h1 input {
        font-size: 15px;
        border-color: transparent;
        background: transparent;
        min-width: 12em;
      }
      h1 input:hover,
      h1 input:focus {
        border-color: var(--bp-border-strong);
      }
      .spacer {
        flex: 1;
      }
      main {
        flex: 1;
        width: 100%;
        max-width: 1440px;
        box-sizing: border-box;
        margin: 0 auto;
        padding: 16px 24px 64px;
      }
      .targets {
        margin-bottom: 16px;
      }
      .targets h2 {
        margin: 0 0 6px;
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--bp-muted);
      }
      bp-status-bar {
        position: sticky;
        bottom: 0;
        z-index: 5;
      }
      .loading,
      .failed {
        padding: 48px;
        text-align: center;
        color: var(--bp-muted);
      }
      .failed strong {
        color: var(--bp-danger);
      }
      @media (max-width: 640px) {
        header,
        main {
          padding-left: 8px;
          padding-right: 8px;
        }
        /* A small window keeps its height for the cells: the bars scroll away with the page. */
        header,
        bp-status-bar {
          position: static;
        }
        header {
          gap: 6px 8px;
          padding-top: 6px;
          padding-bottom: 6px;
        }
        .brand .name,
        .long {
          display: none;
        }
        h1 {
          flex: 1 1 10em;
        }
        h1 input {
          min-width: 0;
          width: 100%;
          box-sizing: border-box;
        }
      }
    `,
  ];

  constructor() {
    super();
    new ContextProvider(this, { context: storeContext, initialValue: this.store });
    new ContextProvider(this, { context: filesContext, initialValue: this.files });
    // Re-render the header (title, Run all / Stop) as the notebook and runs change.
    new StoreController(this, { notebook: true, runs: (id) => !id }, this.store);
    new PageKeys(this, (command) => this.execute(command));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.onBeforeUnload);
    window.addEventListener('focus', this.onFocus);
    document.addEventListener('visibilitychange', this.onFocus);
    this.addEventListener('export-cell', this.onExportCell);
    this.addEventListener('resolve-conflict', this.onResolveConflict);
    this.store.addEventListener(StoreProblemEvent.eventName, this.onProblem);
    this.store.addEventListener(NotebookChangeEvent.eventName, this.onNotebookChange);
    this.files.addEventListener(FilesChangeEvent.eventName, this.onFilesChange);
    this.files.addEventListener(FilesNoticeEvent.eventName, this.onFilesNotice);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    window.removeEventListener('focus', this.onFocus);
    document.removeEventListener('visibilitychange', this.onFocus);
    this.removeEventListener('export-cell', this.onExportCell);
    this.removeEventListener('resolve-conflict', this.onResolveConflict);
    this.store.removeEventListener(StoreProblemEvent.eventName, this.onProblem);
    this.store.removeEventListener(NotebookChangeEvent.eventName, this.onNotebookChange);
    this.files.removeEventListener(FilesChangeEvent.eventName, this.onFilesChange);
    this.files.removeEventListener(FilesNoticeEvent.eventName, this.onFilesNotice);
  }

  /** Edits not yet on disk make the browser ask before the page goes away. */
  private readonly onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (!this.files.hasUnsavedChanges && this.files.state !== 'saving') return;
    event.preventDefault();
    event.returnValue = '';
  };

  /** Back in this window: the file may have been changed elsewhere meanwhile. */
  private readonly onFocus = (): void => {
    if (document.visibilityState !== 'visible') {
      // Leaving the page: save what is pending rather than wait for the timer.
      void this.files.flush();
      return;
    }
    void this.files.checkDisk();
  };

  private readonly onExportCell = (event: ExportCellEvent): void => {
    this.renderRoot.querySelector<BpExportDialog>('bp-export-dialog')?.show(event.cellId);
  };

  private readonly onResolveConflict = (): void => {
    this.renderRoot.querySelector<BpConflictDialog>('bp-conflict-dialog')?.show();
  };

  /** Keeps the address naming the open notebook, so a reload opens it again. */
  private readonly onNotebookChange = (): void => {
    const name = this.store.name;
    const url = new URL(location.href);
    if (name === undefined || url.searchParams.get('notebook') === name) return;
    url.searchParams.set('notebook', name);
    history.replaceState(null, '', url);
  };

  private readonly onFilesChange = (): void => this.requestUpdate();

  private readonly onFilesNotice = (event: Event): void => {
    if (event instanceof FilesNoticeEvent) this.dispatchEvent(new AppNoticeEvent(event.message));
  };

  private readonly onProblem = (event: Event): void => {
    if (!(event instanceof StoreProblemEvent)) return;
    this.dispatchEvent(new AppErrorEvent(event.problem.message, undefined, event.problem.hint));
  };

  private execute(command: Command): void {
    const notebook = this.renderRoot.querySelector<BpNotebook>('bp-notebook');
    switch (command) {
      case 'run-all':
        void this.store.runAll();
        return;
      case 'stop':
        this.store.stop();
        return;
      case 'undo':
        notebook?.undo();
        return;
      case 'redo':
        notebook?.redo();
        return;
      case 'save':
        void this.files.flush();
        return;
      case 'help':
        this.renderRoot.querySelector<BpShortcutsDialog>('bp-shortcuts-dialog')?.show();
        return;
      default:
        return;
    }
  }

  protected override render() {
    loadGridIfNeeded(this.store.notebook);
    return html`${this.load.render({
        pending: () => html`<p class="loading" role="status">Loading the playground…</p>`,
        error: (error) =>
          html`<p class="failed" role="alert">
            <strong>The playground could not start.</strong><br />
            ${error instanceof Error ? error.message : String(error)}<br />
            Is the local server running (<code>npm start</code>)?
          </p>`,
        complete: () => this.renderPlayground(),
      })}
      <bp-status-bar></bp-status-bar>
      <bp-notifier></bp-notifier>
      <bp-shortcuts-dialog></bp-shortcuts-dialog>
      <bp-notebook-list></bp-notebook-list>
      <bp-conflict-dialog></bp-conflict-dialog>
      <bp-export-dialog></bp-export-dialog>
      <bp-notebook-export-dialog></bp-notebook-export-dialog>`;
  }

  private renderPlayground() {
    const store = this.store;
    const running = store.running;
    return html`<header>
        <span class="brand"
          ><span class="logo" aria-hidden="true"></span
          ><span class="name">Bedrock Playground</span></span
        >
        <h1>
          <input
            type="text"
            aria-label="Notebook title"
            maxlength="200"
            .value=${store.notebook.title}
            @input=${(e: Event) => store.setTitle((e.target as HTMLInputElement).value)}
            @change=${() => store.sealEdits()}
          />
        </h1>
        <button
          aria-haspopup="dialog"
          @click=${() => this.renderRoot.querySelector<BpNotebookList>('bp-notebook-list')?.show()}
        >
          ${icons.folder} Notebooks
        </button>
        <bp-save-status></bp-save-status>
        <span class="spacer"></span>
        <button
          aria-haspopup="dialog"
          aria-label="Export notebook"
          ?disabled=${!store.notebook.cells.length}
          @click=${() =>
            this.renderRoot
              .querySelector<BpNotebookExportDialog>('bp-notebook-export-dialog')
              ?.show()}
        >
          ${icons.download} Export<span class="long">notebook</span>
        </button>
        <button
          class="primary"
          title=${`Run all (${describeKeys('Mod+Shift+Enter')})`}
          ?disabled=${running}
          @click=${() => void store.runAll()}
        >
          ${icons.play} Run all
        </button>
        <button
          class="danger"
          title="Stop every answer (I I)"
          ?disabled=${!running}
          @click=${() => store.stop()}
        >
          ${icons.stop} Stop
        </button>
        <button
          class="icon"
          aria-label="Keyboard shortcuts"
          @click=${() => this.renderRoot.querySelector<BpShortcutsDialog>('bp-shortcuts-dialog')?.show()}
        >
          ?
        </button>
      </header>
      <main>
        ${
          this.files.unreadable
            ? html`<bp-unreadable-notebook
                .file=${this.files.unreadable}
                @open-list=${() =>
                  this.renderRoot.querySelector<BpNotebookList>('bp-notebook-list')?.show()}
              ></bp-unreadable-notebook>`
            : html`<section class="targets" aria-label="Targets being compared">
                  <h2>Compare</h2>
                  <bp-targets-bar></bp-targets-bar>
                </section>
                <bp-notebook></bp-notebook>`
        }
      </main>`;
  }
}

customElements.define('bp-app', BpApp);

declare global {
  interface HTMLElementTagNameMap {
    'bp-app': BpApp;
  }
}
