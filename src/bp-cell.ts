import { LitElement, css, html, nothing } from 'lit';
import { CELL_KINDS } from '../cells/notebook.ts';
import type { Cell, CellKind } from '../cells/notebook.ts';
import './bp-cell-editor.ts';
import type { BpCellEditor } from './bp-cell-editor.ts';
import './bp-cell-output.ts';
import type { EditorCommandEvent } from './bp-code-editor.ts';
import { ExportCellEvent } from './bp-export-dialog.ts';
import './bp-request-view.ts';
import { icons } from './icons.ts';
import { isRunnable } from './notebook-store.ts';
import { controlStyles } from './shared-styles.ts';
import { describeKeys, KeyMatcher } from './shortcuts.ts';
import type { Command } from './shortcuts.ts';
import { StoreController } from './store-controller.ts';

/** Human names of the cell kinds. */
export const KIND_NAMES: Record<CellKind, string> = {
  markdown: 'Markdown',
  system: 'System prompt',
  config: 'Inference config',
  prompt: 'Prompt',
  assistant: 'Assistant turn',
  native: 'Native body',
  data: 'Test cases',
};

/**
 * Asks the notebook to move the keyboard `by` cells from `cellId` (0: to that cell itself), into
 * the cell's editor or onto the cell; `create` adds a prompt cell when there is none below.
 */
export class CellNavigateEvent extends Event {
  static readonly eventName = 'cell-navigate';
  constructor(
    readonly cellId: string,
    readonly by: -1 | 0 | 1,
    readonly options: { editor?: boolean; create?: boolean } = {},
  ) {
    super(CellNavigateEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Asks the notebook to carry out a command on a cell (delete, insert, move, go to another). */
export class CellCommandEvent extends Event {
  static readonly eventName = 'cell-command';
  constructor(
    readonly cellId: string,
    readonly command: Command,
  ) {
    super(CellCommandEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The commands a cell passes to the notebook. */
const NOTEBOOK_COMMANDS = new Set<Command>([
  'previous-cell',
  'next-cell',
  'insert-above',
  'insert-below',
  'delete-cell',
  'move-up',
  'move-down',
]);

/**
 * One notebook cell: its toolbar (kind, run, request, export, move, duplicate, delete, add), its editor,
 * and for cells that run, the request view and the answers side by side.
 */
export class BpCell extends LitElement {
  static override properties = {
    cell: { attribute: false },
    index: { type: Number },
    count: { type: Number },
    showRequest: { state: true },
  };

  /** The cell shown. */
  declare cell: Cell | undefined;
  /** Its position in the notebook, from 0. */
  declare index: number;
  /** How many cells the notebook has. */
  declare count: number;
  declare private showRequest: boolean;

  private readonly state = new StoreController(this, {
    runs: (id) => id === undefined || id === this.cell?.id,
  });
  /** Command mode's keys, on the focused cell. */
  private readonly keys = new KeyMatcher(['cell']);

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      section {
        position: relative;
        border: 1px solid var(--bp-border);
        border-left: 4px solid var(--bp-kind-color, var(--bp-border-strong));
        border-radius: var(--bp-radius);
        background: var(--bp-surface);
        box-shadow: var(--bp-shadow);
      }
      section:focus-visible,
      section:focus {
        outline: 2px solid var(--bp-focus);
        outline-offset: 2px;
      }
      section:focus-within {
        border-color: var(--bp-border-strong);
        border-left-color: var(--bp-kind-color, var(--bp-accent));
      }
      .kind-prompt {
        --bp-kind-color: var(--bp-accent);
      }
      .kind-system {
        --bp-kind-color: #8456ce;
      }
      .kind-config {
        --bp-kind-color: #2ea597;
      }
      .kind-assistant {
        --bp-kind-color: #c33d69;
      }
      .kind-native {
        --bp-kind-color: #e07941;
      }
      .toolbar {
        display: flex;
        align-items: center;
        gap: 4px;
        flex-wrap: wrap;
        padding: 6px 8px;
        border-bottom: 1px solid var(--bp-border);
      }
      .number {
        font: 12px var(--bp-mono);
        color: var(--bp-muted);
        min-width: 2.5em;
        text-align: right;
        padding-right: 4px;
      }
      select.kind {
        border-color: transparent;
        background: transparent;
        font-weight: 600;
      }
      select.kind:hover {
        border-color: var(--bp-border-strong);
      }
      .spacer {
        flex: 1;
      }
      .editor {
        padding: 4px;
      }
      .request,
      .output {
        padding: 8px 12px 12px;
      }
      .output:empty,
      .grid[hidden] {
        display: none;
      }
      .grid {
        padding: 8px 12px 12px;
      }
      @media (max-width: 640px) {
        .toolbar .secondary,
        .toolbar .label {
          display: none;
        }
        .toolbar {
          gap: 2px;
          padding: 4px;
        }
        .toolbar button.icon {
          width: 26px;
        }
        .number {
          min-width: 0;
        }
      }
    `,
  ];

  constructor() {
    super();
    this.index = 0;
    this.count = 0;
    this.showRequest = false;
  }

  /** Puts the keyboard in this cell's editor. */
  focusEditor(): void {
    this.renderRoot.querySelector<BpCellEditor>('bp-cell-editor')?.focus();
  }

  /** Focuses the cell itself: command mode, where keys act on the cell. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('section')?.focus();
  }

  private run(advance: boolean): void {
    const store = this.state.store;
    const cell = this.cell;
    if (!store || !cell) return;
    if (isRunnable(cell)) void store.runCell(cell.id);
    if (advance)
      this.dispatchEvent(new CellNavigateEvent(cell.id, 1, { editor: true, create: true }));
  }

  /** Carries out a command on this cell, or passes it to the notebook. */
  private execute(command: Command): boolean {
    const cell = this.cell;
    if (!cell) return false;
    if (NOTEBOOK_COMMANDS.has(command)) {
      this.dispatchEvent(new CellCommandEvent(cell.id, command));
      return true;
    }
    switch (command) {
      case 'run':
      case 'run-advance':
        this.run(command === 'run-advance');
        return true;
      case 'edit-mode':
        this.focusEditor();
        return true;
      case 'command-mode':
        this.focus();
        return true;
      default:
        return false; // a page command: the app carries it out
    }
  }

  private readonly onEditorCommand = (event: EditorCommandEvent): void => {
    if (this.execute(event.command)) event.stopPropagation();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented) return;
    const onSection = event.target === event.currentTarget;
    if (!onSection) {
      // Esc on a control of the cell (its toolbar) goes back to the cell, as from its editor.
      if (event.key === 'Escape' && !(event.target instanceof HTMLSelectElement)) {
        event.preventDefault();
        this.focus();
      }
      return;
    }
    const match = this.keys.match(event);
    if (!match) return;
    event.preventDefault();
    if ('command' in match) this.execute(match.command);
  };

  protected override render() {
    const store = this.state.store;
    const cell = this.cell;
    if (!store || !cell) return nothing;
    const n = this.index + 1;
    const name = `${KIND_NAMES[cell.kind]} cell ${n}`;
    const runnable = isRunnable(cell);
    const running = store.isRunning(cell.id);
    return html`<section
      class="kind-${cell.kind}"
      aria-label=${name}
      tabindex="-1"
      @keydown=${this.onKeyDown}
      @editor-command=${this.onEditorCommand}
    >
      <div class="toolbar" role="toolbar" aria-label="Cell ${n} actions">
        <span class="number" aria-hidden="true">[${n}]</span>
        <select
          class="kind"
          aria-label="Kind of cell ${n}"
          @change=${(e: Event) =>
            store.changeKind(cell.id, (e.target as HTMLSelectElement).value as CellKind)}
        >
          ${CELL_KINDS.map(
            (kind) =>
              html`<option value=${kind} ?selected=${kind === cell.kind}>
                ${KIND_NAMES[kind]}
              </option>`,
          )}
        </select>
        ${
          runnable
            ? html`<button
                  class="primary"
                  aria-label="Run cell ${n}"
                  title=${`Run (${describeKeys('Mod+Enter')})`}
                  ?disabled=${running}
                  @click=${() => this.run(false)}
                >
                  ${icons.play} Run
                </button>
                <button
                  class="secondary"
                  aria-label="Run cell ${n} and all below"
                  ?disabled=${store.running}
                  @click=${() => void store.runAll(this.index)}
                >
                  ${icons.runBelow} Run from here
                </button>
                <button
                  aria-label="Show request of cell ${n}"
                  aria-pressed=${this.showRequest ? 'true' : 'false'}
                  @click=${() => (this.showRequest = !this.showRequest)}
                >
                  ${icons.code}<span class="label">Request</span>
                </button>
                <button
                  aria-label="Export cell ${n} as code"
                  aria-haspopup="dialog"
                  title="Export as Python, JavaScript, Java, C# or AWS CLI"
                  @click=${() => this.dispatchEvent(new ExportCellEvent(cell.id))}
                >
                  ${icons.exportCode}<span class="label">Export</span>
                </button>`
            : nothing
        }
        <span class="spacer"></span>
        <button
          class="icon"
          aria-label="Add cell above cell ${n}"
          title="Add above"
          @click=${() => this.add(this.index)}
        >
          ${icons.addAbove}
        </button>
        <button
          class="icon"
          aria-label="Add cell below cell ${n}"
          title="Add below"
          @click=${() => this.add(this.index + 1)}
        >
          ${icons.addBelow}
        </button>
        <button
          class="icon"
          aria-label="Move cell ${n} up"
          title="Move up"
          ?disabled=${this.index === 0}
          @click=${() => this.execute('move-up')}
        >
          ${icons.up}
        </button>
        <button
          class="icon"
          aria-label="Move cell ${n} down"
          title="Move down"
          ?disabled=${this.index >= this.count - 1}
          @click=${() => this.execute('move-down')}
        >
          ${icons.down}
        </button>
        <button
          class="icon"
          aria-label="Duplicate cell ${n}"
          title="Duplicate"
          @click=${() => store.duplicateCell(cell.id)}
        >
          ${icons.copy}
        </button>
        <button
          class="icon"
          aria-label="Delete cell ${n}"
          title="Delete"
          @click=${() => this.execute('delete-cell')}
        >
          ${icons.trash}
        </button>
      </div>
      <div class="editor"><bp-cell-editor .cell=${cell}></bp-cell-editor></div>
      ${
        runnable && this.showRequest
          ? html`<div class="request"><bp-request-view cell-id=${cell.id}></bp-request-view></div>`
          : nothing
      }
      ${
        runnable && store.runOf(cell.id)
          ? html`<div class="output"><bp-cell-output cell-id=${cell.id}></bp-cell-output></div>`
          : nothing
      }
      ${runnable ? html`<bp-grid class="grid" cell-id=${cell.id} .number=${n}></bp-grid>` : nothing}
    </section>`;
  }

  private add(index: number): void {
    const store = this.state.store;
    if (!store) return;
    const id = store.insertCell(index, 'prompt');
    this.dispatchEvent(new CellNavigateEvent(id, 0, { editor: true }));
  }
}

customElements.define('bp-cell', BpCell);

declare global {
  interface HTMLElementTagNameMap {
    'bp-cell': BpCell;
  }
  interface HTMLElementEventMap {
    'cell-navigate': CellNavigateEvent;
    'cell-command': CellCommandEvent;
  }
}
