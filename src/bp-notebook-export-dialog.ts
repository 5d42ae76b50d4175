import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import type * as Exporters from '../cells/export/index.ts';
import type * as Format from '../cells/format.ts';
import './bp-code-editor.ts';
import { copyText, downloadText, mimeTypeOf } from './download.ts';
import { icons } from './icons.ts';
import { nameFrom } from './notebook-files.ts';
import { controlStyles, dialogStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';
import { focusSelectedTab, tabKeyTarget } from './tabs.ts';

type Form = 'md' | 'ipynb' | 'python' | 'javascript';

const FORMS: readonly { form: Form; label: string; extension: string; monaco: string }[] = [
  { form: 'md', label: 'Notebook file (.md)', extension: 'md', monaco: 'markdown' },
  { form: 'ipynb', label: 'Jupyter notebook', extension: 'ipynb', monaco: 'json' },
  { form: 'python', label: 'Python script', extension: 'py', monaco: 'python' },
  { form: 'javascript', label: 'JavaScript script', extension: 'mjs', monaco: 'javascript' },
];

/** The file format and the exporters, loaded the first time the dialog opens. */
let modules: Promise<[typeof Format, typeof Exporters]> | undefined;

/**
 * Exports the whole notebook: its own `.md` file (as the playground saves it), or a program that
 * runs it top to bottom — a Jupyter notebook, a Python or a JavaScript script — for every target
 * or one. Previewed read-only, then copied or downloaded.
 */
export class BpNotebookExportDialog extends LitElement {
  static override properties = {
    opened: { state: true },
    form: { state: true },
    targetId: { state: true },
    streaming: { state: true },
    copied: { state: true },
  };

  declare private opened: boolean;
  declare private form: Form;
  /** One target's column only; all targets when empty. */
  declare private targetId: string;
  declare private streaming: boolean;
  declare private copied: string;

  private readonly state = new StoreController(this, { notebook: true });

  private readonly modules = new Task(this, {
    task: ([wanted]: readonly [boolean]) =>
      wanted
        ? (modules ??= Promise.all([
            import('../cells/format.ts'),
            import('../cells/export/index.ts'),
          ]))
        : Promise.resolve(undefined),
    args: () => [this.opened] as const,
  });

  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      dialog {
        --bp-dialog-width: 960px;
      }
      .options {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 20px;
        margin: 12px 0;
        font-size: 13px;
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      .file {
        margin-left: auto;
        font: 12px var(--bp-mono);
        color: var(--bp-muted);
      }
      .code {
        border: 1px solid var(--bp-border);
        border-radius: 6px;
        min-height: 120px;
      }
      .problem {
        margin: 0;
        padding: 12px;
        color: var(--bp-danger);
        white-space: pre-wrap;
      }
      .copied {
        margin-right: auto;
        font-size: 12px;
        color: var(--bp-ok);
      }
    `,
  ];

  constructor() {
    super();
    this.opened = false;
    this.form = 'md';
    this.targetId = '';
    this.streaming = true;
    this.copied = '';
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  show(): void {
    this.opened = true;
    this.copied = '';
    void this.updateComplete.then(() => {
      this.dialog?.showModal();
      focusSelectedTab(this.renderRoot, '.forms');
    });
  }

  private select(index: number): void {
    const next = FORMS[index];
    if (!next) return;
    this.form = next.form;
    this.copied = '';
    void this.updateComplete.then(() => focusSelectedTab(this.renderRoot, '.forms'));
  }

  private generate(
    format: typeof Format,
    exporters: typeof Exporters,
  ): { code: string; fileName: string } | { problem: string } {
    const store = this.state.store;
    if (!store) return { problem: '' };
    const base = store.name ?? nameFrom(store.notebook.title);
    const extension = FORMS.find((f) => f.form === this.form)?.extension ?? 'txt';
    // Scripts are imported and run by name: no spaces or parentheses in theirs.
    const stem = this.form === 'md' ? base : base.replace(/[^A-Za-z0-9_-]+/g, '_');
    const fileName = `${stem}.${extension}`;
    try {
      if (this.form === 'md') return { code: format.serializeNotebook(store.notebook), fileName };
      const code = exporters.exportNotebook(store.notebook, {
        lang: this.form,
        streaming: this.streaming,
        region: store.status?.region ?? 'us-east-1',
        ...(store.status?.profile ? { profile: store.status.profile } : {}),
        ...(this.targetId ? { targetId: this.targetId } : {}),
      });
      return { code, fileName };
    } catch (error) {
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  }

  private async copy(code: string): Promise<void> {
    try {
      await copyText(code);
      this.copied = 'Copied to the clipboard.';
    } catch {
      this.copied = 'The browser did not allow copying: select the text and copy it instead.';
    }
  }

  protected override render() {
    const store = this.state.store;
    const targets = store?.notebook.targets ?? [];
    const loaded = this.modules.value;
    const result = loaded ? this.generate(...loaded) : { problem: '' };
    const form = FORMS.find((f) => f.form === this.form) ?? FORMS[0]!;
    const program = this.form !== 'md';
    return html`<dialog aria-labelledby="title" @close=${() => (this.opened = false)}>
      <div class="dialog-head">
        <h2 id="title">Export the notebook</h2>
        <button class="icon" aria-label="Close" @click=${() => this.dialog?.close()}>
          ${icons.close}
        </button>
      </div>
      <div class="dialog-body">
        <div class="forms" role="tablist" aria-label="Format">
          ${FORMS.map(
            (f, i) =>
              html`<button
                role="tab"
                id="tab-${f.form}"
                aria-selected=${f.form === this.form ? 'true' : 'false'}
                aria-controls="preview"
                tabindex=${f.form === this.form ? '0' : '-1'}
                @click=${() => this.select(i)}
                @keydown=${(e: KeyboardEvent) => {
                  const next = tabKeyTarget(e, i, FORMS.length);
                  if (next !== undefined) this.select(next);
                }}
              >
                ${f.label}
              </button>`,
          )}
        </div>
        <div class="options">
          ${
            program
              ? html`<label
                    >Targets
                    <select
                      @change=${(e: Event) =>
                        (this.targetId = (e.target as HTMLSelectElement).value)}
                    >
                      <option value="" ?selected=${this.targetId === ''}>All targets</option>
                      ${targets.map(
                        (t) =>
                          html`<option value=${t.id} ?selected=${t.id === this.targetId}>
                            ${t.label}
                          </option>`,
                      )}
                    </select></label
                  >
                  <label
                    ><input
                      type="checkbox"
                      .checked=${this.streaming}
                      @change=${(e: Event) =>
                        (this.streaming = (e.target as HTMLInputElement).checked)}
                    />
                    Streaming</label
                  >`
              : html`<span>The notebook’s source, as saved; answers stay in its run log.</span>`
          }
          ${'fileName' in result ? html`<span class="file">${result.fileName}</span>` : nothing}
        </div>
        <div class="code" id="preview" role="tabpanel" aria-labelledby="tab-${form.form}">
          ${
            'code' in result
              ? html`<bp-code-editor
                  readonly
                  line-numbers
                  .wrap=${this.form === 'md'}
                  language=${form.monaco}
                  label="${form.label} preview"
                  max-height="520"
                  .value=${result.code}
                ></bp-code-editor>`
              : result.problem
                ? html`<p class="problem" role="alert">${result.problem}</p>`
                : html`<p class="problem" role="status">Loading…</p>`
          }
        </div>
      </div>
      <div class="dialog-foot">
        <span class="copied" role="status">${this.copied}</span>
        <button
          ?disabled=${!('code' in result)}
          @click=${() => 'code' in result && void this.copy(result.code)}
        >
          ${icons.copy} Copy
        </button>
        <button
          class="primary"
          ?disabled=${!('code' in result)}
          @click=${() =>
            'code' in result &&
            downloadText(result.fileName, result.code, mimeTypeOf(result.fileName))}
        >
          ${icons.download} Download
        </button>
      </div>
    </dialog>`;
  }
}

customElements.define('bp-notebook-export-dialog', BpNotebookExportDialog);

declare global {
  interface HTMLElementTagNameMap {
    'bp-notebook-export-dialog': BpNotebookExportDialog;
  }
}
