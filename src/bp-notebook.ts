import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { CELL_KINDS } from '../cells/notebook.ts';
import type { CellKind } from '../cells/notebook.ts';
import './bp-cell.ts';
import { CellNavigateEvent, KIND_NAMES } from './bp-cell.ts';
import type { BpCell } from './bp-cell.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/** The cells, top to bottom, with a bar to add a cell of any kind at the end. */
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
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('cell-navigate', this.onNavigate);
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
    if (!id) return;
    void this.updateComplete.then(() => {
      const cell = this.renderRoot.querySelector<BpCell>(`bp-cell[data-id="${CSS.escape(id)}"]`);
      if (!cell) return;
      void cell.updateComplete.then(() => {
        if (event.options.editor) cell.focusEditor();
        else cell.focus();
        cell.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      });
    });
  };

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
                (c) => c.id,
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
