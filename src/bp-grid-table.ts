import { LitElement, css, html, nothing } from 'lit';
import { describeRow } from '../cells/data.ts';
import { gridKeyId, markColumns, variation } from '../cells/grid.ts';
import './bp-grid-cell.ts';
import './bp-grid-column.ts';
import { callIndex } from './notebook-grids.ts';
import type { GridResults, GridView } from './notebook-grids.ts';
import type { NotebookStore } from './notebook-store.ts';

/** Each body row's height: a call is folded to a few lines, so thousands can be laid out. */
const ROW_HEIGHT = 150;
/** Rows rendered beyond the visible ones, above and below. */
const OVERSCAN = 6;

/**
 * A grid's table: a head with each column's summary, and a body of test cases (times repeats)
 * by targets. The body is as tall as all its rows, but only those on screen (and a few around
 * them) are rendered, so a grid of a thousand calls costs what a screenful does.
 */
export class BpGridTable extends LitElement {
  static override properties = {
    store: { attribute: false },
    view: { attribute: false },
    results: { attribute: false },
    number: { type: Number },
    idle: { type: Boolean },
    scrolled: { state: true },
    viewportHeight: { state: true },
    headerHeight: { state: true },
  };

  declare store: NotebookStore | undefined;
  declare view: GridView | undefined;
  declare results: GridResults | undefined;
  /** The cell's number, for accessible names. */
  declare number: number;
  /** Nothing of this grid is running: calls and columns can be run again. */
  declare idle: boolean;
  declare private scrolled: number;
  declare private viewportHeight: number;
  declare private headerHeight: number;

  private frame: number | undefined;
  /** Sizes are observed, never read while rendering: a read would force a layout each time. */
  private readonly resize = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const height = entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height;
      if ((entry.target as HTMLElement).classList.contains('head')) this.headerHeight = height;
      else this.viewportHeight = entry.contentRect.height;
    }
  });

  static override styles = css`
    :host {
      display: block;
    }
    .scroll {
      overflow: auto;
      max-height: min(70vh, 900px);
      border: 1px solid var(--bp-border);
      border-radius: var(--bp-radius);
    }
    .row {
      display: grid;
      grid-template-columns: var(--bp-grid-columns);
      min-width: min-content;
    }
    .head {
      position: sticky;
      top: 0;
      z-index: 1;
      background: var(--bp-surface-2);
      border-bottom: 1px solid var(--bp-border-strong);
    }
    .body {
      position: relative;
      contain: layout style;
    }
    .body .row {
      position: absolute;
      left: 0;
      right: 0;
      height: ${ROW_HEIGHT}px;
      border-bottom: 1px solid var(--bp-border);
      background: var(--bp-surface);
      contain: strict;
    }
    .corner,
    .rowheader {
      padding: 6px 8px;
      font-size: 12px;
      min-width: 0;
      overflow: hidden;
    }
    .rowheader strong {
      display: block;
    }
    .values {
      color: var(--bp-muted);
      overflow-wrap: anywhere;
    }
  `;

  constructor() {
    super();
    this.number = 0;
    this.idle = true;
    this.scrolled = 0;
    this.viewportHeight = 800;
    this.headerHeight = 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
  }

  protected override firstUpdated(): void {
    for (const selector of ['.scroll', '.head']) {
      const element = this.renderRoot.querySelector(selector);
      if (element) this.resize.observe(element);
    }
  }

  private readonly onScroll = (event: Event): void => {
    const scroller = event.currentTarget as HTMLElement;
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.scrolled = scroller.scrollTop;
    });
  };

  protected override render() {
    const { store, view, results } = this;
    if (!store || !view || !results) return nothing;
    const repeat = view.shape.repeat;
    const marks = markColumns(results.summaries);
    const order = store.notebook.targets.map((t) => t.id);
    const columns = `minmax(150px, 0.7fr) repeat(${view.targets.length}, minmax(230px, 1fr))`;
    const top = Math.max(0, this.scrolled - this.headerHeight);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      view.rowCount,
      Math.ceil((top + this.viewportHeight) / ROW_HEIGHT) + OVERSCAN,
    );
    const rows = Array.from({ length: Math.max(0, last - first) }, (_, i) => first + i);
    const cases = `${view.rows.length} test case${view.rows.length === 1 ? '' : 's'}`;
    return html`<div
      class="scroll"
      role="table"
      aria-label="Answers of cell ${this.number}"
      aria-rowcount=${view.rowCount + 1}
      style="--bp-grid-columns: ${columns}"
      @scroll=${this.onScroll}
    >
      <div class="row head" role="row" aria-rowindex="1">
        <div class="corner" role="columnheader">
          ${cases}${repeat > 1 ? ` × ${repeat} repeats` : ''}
        </div>
        ${view.targets.map((t, i) => {
          const earned = [
            marks.fastest.has(t.id) ? 'Fastest' : '',
            marks.cheapest.has(t.id) ? 'Cheapest' : '',
            marks.best.has(t.id) ? 'Best pass rate' : '',
          ].filter(Boolean);
          return html`<bp-grid-column
            .target=${t}
            .summary=${results.summaries[i]}
            .marks=${earned}
            .idle=${this.idle}
            .colorIndex=${Math.max(0, order.indexOf(t.id))}
          ></bp-grid-column>`;
        })}
      </div>
      <div class="body" role="rowgroup" style="height: ${view.rowCount * ROW_HEIGHT}px">
        ${rows.map((i) => this.renderRow(store, view, results, i))}
      </div>
    </div>`;
  }

  private renderRow(store: NotebookStore, view: GridView, results: GridResults, index: number) {
    const repeat = view.shape.repeat;
    const row = Math.floor(index / repeat);
    const r = index % repeat;
    const values = view.rows[row] ?? {};
    const caseName = `test case ${row + 1}${repeat > 1 ? `, repeat ${r + 1}` : ''}`;
    return html`<div
      class="row"
      role="row"
      aria-rowindex=${index + 2}
      style="top: ${index * ROW_HEIGHT}px"
    >
      <div class="rowheader" role="rowheader">
        <strong>${row + 1}${repeat > 1 ? html` <small>· repeat ${r + 1}</small>` : nothing}</strong>
        ${
          view.columns.length
            ? html`<span class="values">${describeRow(values, view.columns, 140)}</span>`
            : nothing
        }
      </div>
      ${view.targets.map((t) => {
        const key = { row, repeat: r, targetId: t.id };
        const call = results.calls[callIndex(view, key)];
        const record = call?.record;
        return html`<bp-grid-cell
          .call=${call}
          .checks=${record ? store.grids.checksOf(view, record) : []}
          .variation=${r === 0 && repeat > 1 ? variationOf(view, results, row, t.id) : ''}
          .idle=${this.idle}
          label="${t.label}, ${caseName}"
          cell-key=${gridKeyId(key)}
        ></bp-grid-cell>`;
      })}
    </div>`;
  }
}

/** How a test case's repeated answers from one target vary: "identical", "82 % alike". */
function variationOf(view: GridView, results: GridResults, row: number, targetId: string): string {
  const texts: string[] = [];
  for (let r = 0; r < view.shape.repeat; r++) {
    const call = results.calls[callIndex(view, { row, repeat: r, targetId })];
    if (call?.state === 'done' && call.record) texts.push(call.record.text);
  }
  const v = variation(texts);
  if (!v) return '';
  return v.identical ? 'identical' : `${Math.round(v.similarity * 100)} % alike`;
}

customElements.define('bp-grid-table', BpGridTable);

declare global {
  interface HTMLElementTagNameMap {
    'bp-grid-table': BpGridTable;
  }
}
