import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { CELL_KINDS } from '../cells/notebook.ts';
import type { CellKind } from '../cells/notebook.ts';
import './bp-cell.ts';
import { CellNavigateEvent, KIND_NAMES } from './bp-cell.ts';
import type { BpCell, CellCommandEvent } from './bp-cell.ts';
import { AppErrorEvent, AppNoticeEvent } from './bp-notifier.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/**
 * The cells, top to bottom, with a bar to add a cell of any kind at the end. Carries out the
 * commands that act on the notebook around a cell (go to, insert, move, delete) and undo and
 * redo, putting the keyboard where the change is.
 */
export class BpNotebook extends LitElement {
  private readonly state = new StoreController(this, { notebook: true });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      ol {
        display: flex;
        flex-direction: column;
        gap: 14px;
      }
      .add {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        margin-top: 16px;
        padding: 10px;
        border: 1px dashed var(--bp-border-strong);
        border-radius: var(--bp-radius);
        color: var(--bp-muted);
        font-size: 13px;
      }
      .empty {
        color: var(--bp-muted);
        text-align: center;
        padding: 32px;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('cell-navigate', this.onNavigate);
    this.addEventListener('cell-command', this.onCommand);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('cell-navigate', this.onNavigate);
    this.removeEventListener('cell-command', this.onCommand);
  }

  private readonly onNavigate = (event: CellNavigateEvent): void => {
    const store = this.state.store;
    if (!store) return;
    const cells = store.notebook.cells;
    let index = cells.findIndex((c) => c.id === event.cellId) + event.by;
    if (index >= cells.length && event.options.create) {
      store.insertCell(cells.length, 'prompt');
      index = store.notebook.cells.length - 1;
    }
    const id = store.notebook.cells[index]?.id;
    if (id) this.focusCell(id, event.options);
  };

  /** Puts the keyboard on a cell (command mode), or in its editor, once it is on screen. */
  focusCell(id: string, { editor = false }: { editor?: boolean } = {}): void {
    void this.updateComplete.then(() => {
      const cell = this.renderRoot.querySelector<BpCell>(`bp-cell[data-id="${CSS.escape(id)}"]`);
      if (!cell) return;
      void cell.updateComplete.then(() => {
        if (editor) cell.focusEditor();
        else cell.focus();
        cell.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      });
    });
  }

  private readonly onCommand = (event: CellCommandEvent): void => {
    const store = this.state.store;
    if (!store) return;
    const cells = store.notebook.cells;
    const index = cells.findIndex((c) => c.id === event.cellId);
    if (index < 0) return;
    switch (event.command) {
      case 'previous-cell':
      case 'next-cell': {
        const next = cells[index + (event.command === 'next-cell' ? 1 : -1)];
        if (next) this.focusCell(next.id);
        return;
      }
      case 'insert-above':
      case 'insert-below':
        this.focusCell(
          store.insertCell(index + (event.command === 'insert-below' ? 1 : 0), 'prompt'),
        );
        return;
      case 'move-up':
      case 'move-down':
        store.moveCell(event.cellId, event.command === 'move-up' ? -1 : 1);
        this.focusCell(event.cellId);
        return;
      case 'delete-cell':
        this.delete(event.cellId, index);
        return;
      default:
        return;
    }
  };

  /**
   * Deletes a cell (its runs are kept, in memory and on disk) and offers to undo it; the keyboard
   * goes to the cell that takes its place.
   */
  private delete(id: string, index: number): void {
    const store = this.state.store;
    if (!store) return;
    const cells = store.notebook.cells;
    const neighbour = cells[index + 1] ?? cells[index - 1];
    const runs = store.runOf(id) ? ' Its runs are kept.' : '';
    store.deleteCell(id);
    const step = store.lastEdit;
    this.dispatchEvent(
      new AppNoticeEvent(`Deleted cell ${index + 1}.${runs}`, {
        label: 'Undo',
        run: () => {
          if (store.lastEdit === step) this.undo();
          else {
            this.dispatchEvent(
              new AppErrorEvent(
                'Other edits were made after that delete.',
                undefined,
                'Undo them first (Z, or Ctrl/⌘+Z outside an editor), one at a time.',
              ),
            );
          }
        },
      }),
    );
    if (neighbour) this.focusCell(neighbour.id);
  }

  /** Takes back the last notebook edit and shows where it was. */
  undo(): void {
    this.step(this.state.store?.undo(), 'Undone');
  }

  /** Makes the last undone edit again and shows where it was. */
  redo(): void {
    this.step(this.state.store?.redo(), 'Redone');
  }

  private step(step: { label: string; cellId?: string } | undefined, done: string): void {
    if (!step) {
      this.dispatchEvent(new AppNoticeEvent(`Nothing to ${done === 'Undone' ? 'undo' : 'redo'}.`));
      return;
    }
    this.dispatchEvent(new AppNoticeEvent(`${done}: ${step.label}.`));
    if (step.cellId && this.state.store?.cell(step.cellId)) this.focusCell(step.cellId);
  }

  private add(kind: CellKind): void {
    const store = this.state.store;
    if (!store) return;
    const id = store.insertCell(store.notebook.cells.length, kind);
    this.onNavigate(new CellNavigateEvent(id, 0, { editor: true }));
  }

  protected override render() {
    const store = this.state.store;
    if (!store) return nothing;
    const cells = store.notebook.cells;
    return html`${
        cells.length
          ? html`<ol class="bare-list" aria-label="Cells">
              ${repeat(
                cells,
                // A loaded notebook gets fresh cells (and editors), even where ids are the same.
                (c) => `${store.generation}:${c.id}`,
                (c, i) =>
                  html`<li>
                    <bp-cell
                      data-id=${c.id}
                      .cell=${c}
                      .index=${i}
                      .count=${cells.length}
                    ></bp-cell>
                  </li>`,
              )}
            </ol>`
          : html`<p class="empty">This notebook has no cells yet.</p>`
      }
      <div class="add" role="group" aria-label="Add a cell at the end">
        <span>Add</span>
        ${CELL_KINDS.map(
          (kind) =>
            html`<button aria-label="Add ${KIND_NAMES[kind]} cell" @click=${() => this.add(kind)}>
              + ${KIND_NAMES[kind]}
            </button>`,
        )}
      </div>`;
  }
}

customElements.define('bp-notebook', BpNotebook);

declare global {
  interface HTMLElementTagNameMap {
    'bp-notebook': BpNotebook;
  }
}
