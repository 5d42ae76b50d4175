import { Task } from '@lit/task';
import { LitElement, html } from 'lit';
import type { Target } from '../cells/notebook.ts';
import type * as Exporters from '../cells/export/index.ts';
import type { ExportLang } from '../cells/export/index.ts';
import './bp-code-output.ts';
import type { GeneratedFile } from './bp-code-output.ts';
import { dialogHead } from './dialog.ts';
import { controlStyles, dialogStyles, exportDialogStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';
import { focusSelectedTab, tabList } from './tabs.ts';

/** Asks the page to open the export dialog for one cell. */
export class ExportCellEvent extends Event {
  static readonly eventName = 'export-cell';
  constructor(readonly cellId: string) {
    super(ExportCellEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The tabs, in the order people reach for them. */
const LANGS: readonly { lang: ExportLang; label: string; monaco: string }[] = [
  { lang: 'python', label: 'Python', monaco: 'python' },
  { lang: 'javascript', label: 'JavaScript', monaco: 'javascript' },
  { lang: 'java', label: 'Java', monaco: 'java' },
  { lang: 'csharp', label: 'C#', monaco: 'csharp' },
  { lang: 'cli', label: 'AWS CLI', monaco: 'shell' },
];

/** The exporters, loaded the first time the dialog opens (the page starts without them). */
let exporters: Promise<typeof Exporters> | undefined;

/**
 * Exports one cell's request as a runnable program: Python (boto3), JavaScript (SDK v3), Java,
 * C# or the AWS CLI, for one of the cell's targets, streaming or not. The request is exactly
 * what the playground sends (compiled with the latest answers above the cell); the code is shown
 * read-only with highlighting, and can be copied or downloaded.
 */
export class BpExportDialog extends LitElement {
  static override properties = {
    cellId: { state: true },
    language: { state: true },
    targetId: { state: true },
    streaming: { state: true },
  };

  declare private cellId: string | undefined;
  declare private language: ExportLang;
  declare private targetId: string | undefined;
  declare private streaming: boolean;

  private readonly state = new StoreController(this, {
    notebook: true,
    runs: (id) => id === undefined,
  });

  private readonly exporters = new Task(this, {
    task: ([wanted]: readonly [boolean]) =>
      wanted ? (exporters ??= import('../cells/export/index.ts')) : Promise.resolve(undefined),
    args: () => [this.cellId !== undefined] as const,
  });

  static override styles = [controlStyles, dialogStyles, exportDialogStyles];

  constructor() {
    super();
    this.language = 'python';
    this.streaming = false;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Opens the dialog for a cell (its first target chosen unless one was chosen before). */
  show(cellId: string): void {
    const store = this.state.store;
    const cell = store?.cell(cellId);
    if (!store || !cell) return;
    this.cellId = cellId;
    const targets = store.targetsFor(cell);
    if (!targets.some((t) => t.id === this.targetId)) this.targetId = targets[0]?.id;
    void this.updateComplete.then(() => {
      this.dialog?.showModal();
      focusSelectedTab(this.renderRoot);
    });
  }

  private onClose = (): void => {
    this.cellId = undefined;
  };

  /** The program for the current choices, or why there is none. */
  private generate(module: typeof Exporters, target: Target): GeneratedFile | { problem: string } {
    const store = this.state.store;
    if (!store || !this.cellId) return { problem: '' };
    // A cell with test cases is exported with its first (the whole-notebook export loops).
    const compiled = store.grids.viewOf(this.cellId)?.shape.data
      ? store.grids.compileRow(this.cellId, 0, target)
      : store.compile(this.cellId, target);
    if ('error' in compiled) return { problem: compiled.error };
    const options = {
      lang: this.language,
      streaming: this.streaming,
      region: store.status?.region ?? 'us-east-1',
      ...(store.status?.profile ? { profile: store.status.profile } : {}),
    };
    try {
      return {
        code: module.exportRequest(compiled.request, options),
        fileName: module.exportFileName(compiled.request, options),
      };
    } catch (error) {
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  }

  private selectLang(index: number): void {
    const next = LANGS[index];
    if (!next) return;
    this.language = next.lang;
    void this.updateComplete.then(() => focusSelectedTab(this.renderRoot));
  }

  protected override render() {
    const store = this.state.store;
    const cell = this.cellId ? store?.cell(this.cellId) : undefined;
    const targets = cell && store ? store.targetsFor(cell) : [];
    const target = targets.find((t) => t.id === this.targetId) ?? targets[0];
    const index = cell && store ? store.notebook.cells.indexOf(cell) + 1 : 0;
    const langIndex = LANGS.findIndex((l) => l.lang === this.language);
    const lang = LANGS[langIndex] ?? LANGS[0]!;
    const module = this.exporters.value;
    const result: Partial<GeneratedFile> & { problem?: string } =
      module && target ? this.generate(module, target) : { problem: target ? '' : 'No target.' };
    return html`<dialog aria-labelledby="title" @close=${this.onClose}>
      ${dialogHead('title', `Export cell ${index} as code`, () => this.dialog?.close())}
      <div class="dialog-body">
        ${tabList({
          label: 'Language',
          tabs: LANGS.map((l) => ({ id: l.lang, label: l.label })),
          selected: this.language,
          panel: 'code-panel',
          select: (i) => this.selectLang(i),
        })}
        <div class="options">
          <label
            >Target
            <select
              @change=${(e: Event) => (this.targetId = (e.target as HTMLSelectElement).value)}
            >
              ${targets.map(
                (t) =>
                  html`<option value=${t.id} ?selected=${t.id === target?.id}>
                    ${t.label} (${t.api === 'converse' ? 'Converse' : 'InvokeModel'})
                  </option>`,
              )}
            </select></label
          >
          <label
            ><input
              type="checkbox"
              .checked=${this.streaming}
              @change=${(e: Event) => (this.streaming = (e.target as HTMLInputElement).checked)}
            />
            Streaming</label
          >
        </div>
        <bp-code-output
          id="code-panel"
          role="tabpanel"
          aria-labelledby="tab-${lang.lang}"
          .code=${result.code}
          problem=${result.problem ?? ''}
          file-name=${result.fileName ?? ''}
          language=${lang.monaco}
          label="${lang.label} code"
        ></bp-code-output>
      </div>
    </dialog>`;
  }
}

customElements.define('bp-export-dialog', BpExportDialog);

declare global {
  interface HTMLElementTagNameMap {
    'bp-export-dialog': BpExportDialog;
  }
  interface HTMLElementEventMap {
    'export-cell': ExportCellEvent;
  }
}
