import { ContextProvider } from '@lit/context';
import { Task } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { getModels, getNotebook, getStatus, listNotebooks } from './api.ts';
import type { NotebookEntry } from './api.ts';
import './bp-notebook.ts';
import { AppErrorEvent } from './bp-notifier.ts';
import './bp-notifier.ts';
import './bp-shortcuts-dialog.ts';
import type { BpShortcutsDialog } from './bp-shortcuts-dialog.ts';
import './bp-status-bar.ts';
import './bp-targets-bar.ts';
import { NotebookStore, StoreProblemEvent, storeContext } from './notebook-store.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/** The example a first start opens. */
const FIRST_NOTEBOOK = 'pirate-email';

function isTyping(event: KeyboardEvent): boolean {
  return event
    .composedPath()
    .some(
      (node) =>
        node instanceof HTMLElement &&
        (node.isContentEditable ||
          node.classList.contains('monaco-editor') ||
          ['INPUT', 'TEXTAREA', 'SELECT'].includes(node.tagName)),
    );
}

/**
 * The page: owns the notebook store (provided to every element below through `@lit/context`),
 * loads the backend status, the models and the first notebook, and lays out the header, targets,
 * cells and status bar. Global keys: Esc stops, `?` shows the shortcuts, Ctrl/⌘+Shift+Enter runs
 * all.
 */
export class BpApp extends LitElement {
  private readonly store = new NotebookStore();

  private readonly load = new Task(this, {
    task: async (_args: readonly [], { signal }) => {
      const [status, models, notebooks] = await Promise.all([
        getStatus(signal),
        getModels(signal),
        listNotebooks(signal),
      ]);
      this.store.status = status;
      this.store.models = models;
      const wanted = new URLSearchParams(location.search).get('notebook') ?? FIRST_NOTEBOOK;
      const name = notebooks.some((n) => n.name === wanted) ? wanted : notebooks[0]?.name;
      if (name) {
        const file = await getNotebook(name, signal);
        this.store.load(file.name, file.notebook);
      }
      return notebooks;
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
        display: flex;
        align-items: center;
        gap: 12px;
        margin-bottom: 16px;
      }
      .targets h2 {
        margin: 0;
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
          padding-left: 12px;
          padding-right: 12px;
        }
      }
    `,
  ];

  constructor() {
    super();
    new ContextProvider(this, { context: storeContext, initialValue: this.store });
    // Re-render the header (title, Run all / Stop) as the notebook and runs change.
    new StoreController(this, { notebook: true, runs: (id) => !id }, this.store);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKeyDown);
    this.store.addEventListener(StoreProblemEvent.eventName, this.onProblem);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKeyDown);
    this.store.removeEventListener(StoreProblemEvent.eventName, this.onProblem);
  }

  private readonly onProblem = (event: Event): void => {
    if (!(event instanceof StoreProblemEvent)) return;
    this.dispatchEvent(new AppErrorEvent(event.problem.message, undefined, event.problem.hint));
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented) return;
    if (event.key === 'Escape' && this.store.running) {
      this.store.stop();
    } else if (event.key === 'Enter' && event.shiftKey && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.store.runAll();
    } else if (event.key === '?' && !isTyping(event)) {
      event.preventDefault();
      this.renderRoot.querySelector<BpShortcutsDialog>('bp-shortcuts-dialog')?.show();
    }
  };

  private async open(name: string): Promise<void> {
    try {
      const file = await getNotebook(name);
      this.store.load(file.name, file.notebook);
      const url = new URL(location.href);
      url.searchParams.set('notebook', name);
      history.replaceState(null, '', url);
    } catch (error) {
      this.dispatchEvent(new AppErrorEvent(`Could not open the notebook "${name}".`, error));
    }
  }

  protected override render() {
    return html`${this.load.render({
        pending: () => html`<p class="loading" role="status">Loading the playground…</p>`,
        error: (error) =>
          html`<p class="failed" role="alert">
            <strong>The playground could not start.</strong><br />
            ${error instanceof Error ? error.message : String(error)}<br />
            Is the local server running (<code>npm start</code>)?
          </p>`,
        complete: (notebooks) => this.renderPlayground(notebooks),
      })}
      <bp-status-bar></bp-status-bar>
      <bp-notifier></bp-notifier>
      <bp-shortcuts-dialog></bp-shortcuts-dialog>`;
  }

  private renderPlayground(notebooks: NotebookEntry[]) {
    const store = this.store;
    const running = store.running;
    return html`<header>
        <span class="brand"><span class="logo" aria-hidden="true"></span>Bedrock Playground</span>
        <h1>
          <input
            type="text"
            aria-label="Notebook title"
            .value=${store.notebook.title}
            @change=${(e: Event) => store.setTitle((e.target as HTMLInputElement).value)}
          />
        </h1>
        <select
          aria-label="Open notebook"
          @change=${(e: Event) => void this.open((e.target as HTMLSelectElement).value)}
        >
          ${notebooks.map(
            (n) =>
              html`<option value=${n.name} ?selected=${n.name === store.name}>${n.title}</option>`,
          )}
        </select>
        <span class="spacer"></span>
        <button class="primary" ?disabled=${running} @click=${() => void store.runAll()}>
          ${icons.play} Run all
        </button>
        <button class="danger" ?disabled=${!running} @click=${() => store.stop()}>
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
        <section class="targets" aria-label="Targets being compared">
          <h2>Compare</h2>
          <bp-targets-bar></bp-targets-bar>
        </section>
        <bp-notebook></bp-notebook>
      </main>`;
  }
}

customElements.define('bp-app', BpApp);

declare global {
  interface HTMLElementTagNameMap {
    'bp-app': BpApp;
  }
}
