import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import './bp-answer-column.ts';
import { StoreController } from './store-controller.ts';

/**
 * A cell's latest answers: one column per target, side by side (stacked when narrow); each column
 * can step back through that target's earlier runs of the cell.
 */
export class BpCellOutput extends LitElement {
  static override properties = { cellId: { type: String, attribute: 'cell-id' } };
  /** The cell whose answers are shown. */
  declare cellId: string;

  private tick = 0;
  private readonly state = new StoreController(this, {
    notebook: true,
    runs: (id) => id === this.cellId,
  });

  static override styles = css`
    :host {
      display: block;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr));
      gap: 12px;
    }
  `;

  constructor() {
    super();
    this.cellId = '';
  }

  protected override render() {
    const run = this.state.store?.runOf(this.cellId);
    if (!run) return nothing;
    this.tick++;
    const order = this.state.store?.notebook.targets.map((t) => t.id) ?? [];
    return html`<div class="grid" role="group" aria-label="Answers">
      ${repeat(
        run.answers,
        (a) => a.target.id,
        (a) =>
          html`<bp-answer-column
            .answer=${a}
            .history=${[...(this.state.store?.historyOf(this.cellId, a.target.id) ?? [])]}
            .tick=${this.tick}
            .colorIndex=${Math.max(0, order.indexOf(a.target.id))}
          ></bp-answer-column>`,
      )}
    </div>`;
  }
}

customElements.define('bp-cell-output', BpCellOutput);

declare global {
  interface HTMLElementTagNameMap {
    'bp-cell-output': BpCellOutput;
  }
}
