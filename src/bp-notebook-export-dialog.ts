import { Task } from '@lit/task';
import { LitElement, html } from 'lit';
import type * as Exporters from '../cells/export/index.ts';
import type * as Format from '../cells/format.ts';
import './bp-code-output.ts';
import type { GeneratedFile } from './bp-code-output.ts';
import { dialogHead } from './dialog.ts';
import { nameFrom } from './notebook-files.ts';
import { controlStyles, dialogStyles, exportDialogStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';
import { focusSelectedTab, tabList } from './tabs.ts';

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
  };

  declare private opened: boolean;
  declare private form: Form;
  /** One target's column only; all targets when empty. */
  declare private targetId: string;
  declare private streaming: boolean;

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

  static override styles = [controlStyles, dialogStyles, exportDialogStyles];

  constructor() {
    super();
    this.opened = false;
    this.form = 'md';
    this.targetId = '';
    this.streaming = true;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  show(): void {
    this.opened = true;
    void this.updateComplete.then(() => {
      this.dialog?.showModal();
      focusSelectedTab(this.renderRoot);
    });
  }

  private select(index: number): void {
    const next = FORMS[index];
    if (!next) return;
    this.form = next.form;
    void this.updateComplete.then(() => focusSelectedTab(this.renderRoot));
  }

  private generate(
    format: typeof Format,
    exporters: typeof Exporters,
  ): GeneratedFile | { problem: string } {
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

  protected override render() {
    const store = this.state.store;
    const targets = store?.notebook.targets ?? [];
    const loaded = this.modules.value;
    const result: Partial<GeneratedFile> & { problem?: string } = loaded
      ? this.generate(...loaded)
      : { problem: '' };
    const form = FORMS.find((f) => f.form === this.form) ?? FORMS[0]!;
    const program = this.form !== 'md';
    return html`<dialog aria-labelledby="title" @close=${() => (this.opened = false)}>
      ${dialogHead('title', 'Export the notebook', () => this.dialog?.close())}
      <div class="dialog-body">
        ${tabList({
          label: 'Format',
          tabs: FORMS.map((f) => ({ id: f.form, label: f.label })),
          selected: this.form,
          panel: 'preview',
          select: (i) => this.select(i),
        })}
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
        </div>
        <bp-code-output
          id="preview"
          role="tabpanel"
          aria-labelledby="tab-${form.form}"
          .code=${result.code}
          problem=${result.problem ?? ''}
          file-name=${result.fileName ?? ''}
          language=${form.monaco}
          label="${form.label} preview"
          ?wrap=${this.form === 'md'}
        ></bp-code-output>
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
