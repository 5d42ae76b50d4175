import { LitElement, css, html, nothing } from 'lit';
import { describeCheck } from '../cells/checks.ts';
import { gridCsv, gridJsonLines } from '../cells/grid-export.ts';
import type { GridEstimate, GridKey } from '../cells/grid.ts';
import type { GridRerunEvent, GridShowEvent } from './bp-grid-cell.ts';
import type { GridColumnRunEvent } from './bp-grid-column.ts';
import './bp-grid-details.ts';
import './bp-grid-table.ts';
import { downloadText } from './download.ts';
import { formatCount, formatMs, formatUsd } from './format.ts';
import type { GridProgress } from './grid-runs.ts';
import { icons } from './icons.ts';
import { callIndex } from './notebook-grids.ts';
import type { GridView } from './notebook-grids.ts';
import type { NotebookStore } from './notebook-store.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/** A run this large asks first (calls, or dollars). */
const CONFIRM_CALLS = 100;
const CONFIRM_USD = 1;

const keyOf = (id: string): GridKey => {
  const [row, repeat, targetId] = id.split(':');
  return { row: Number(row), repeat: Number(repeat), targetId: targetId ?? '' };
};

function describeEstimate(estimate: GridEstimate): string {
  const calls = `${formatCount(estimate.calls)} call${estimate.calls === 1 ? '' : 's'}`;
  const grading = estimate.gradingCalls ? ` + ${estimate.gradingCalls} grading` : '';
  const unpriced = estimate.unpriced.length ? ' (some models without a price)' : '';
  return `${calls}${grading}, about ${formatUsd(estimate.cost)}${unpriced}`;
}

function describeProgress(p: GridProgress): string {
  const counts = `${p.finished} of ${p.total} calls`;
  const failed = p.failed ? ` · ${p.failed} failed` : '';
  const retries = p.retries ? ` · ${p.retries} ${p.retries === 1 ? 'retry' : 'retries'}` : '';
  if (p.error) return `The run failed: ${p.error}`;
  if (p.running) {
    const elapsed = performance.now() - p.startedAt;
    const left = p.finished ? (elapsed / p.finished) * (p.total - p.finished) : null;
    return `${counts}${failed}${retries}${left === null ? '' : ` · about ${formatMs(left)} left`}`;
  }
  const took = formatMs((p.endedAt ?? p.startedAt) - p.startedAt);
  return `${p.stopped ? 'Stopped' : 'Done'}: ${counts} in ${took}${failed}${retries}`;
}

/**
 * The grid of a prompt cell with test cases, repeats or checks: rows are test cases (times
 * repeats), columns are targets, each cell one call with its answer folded, its figures and its
 * checks, each column headed by its summary. Only the rows on screen are rendered. Runs start
 * with their estimate shown (and asked about when large), show their progress, stop keeping what
 * finished, and can be narrowed to the missing and failed calls, one column or one call.
 */
export class BpGrid extends LitElement {
  static override properties = {
    cellId: { type: String, attribute: 'cell-id' },
    number: { type: Number },
    confirming: { state: true },
    shown: { state: true },
  };

  declare cellId: string;
  /** The cell's number, for accessible names. */
  declare number: number;
  /** A large run waiting for the person's go-ahead. */
  declare private confirming: { keys: GridKey[]; estimate: GridEstimate } | undefined;
  /** The call whose details are open. */
  declare private shown: string | undefined;

  private readonly state = new StoreController(this, {
    notebook: true,
    runs: (id) => id === undefined || id === this.cellId,
  });
  private estimateCache: { key: unknown[]; estimate: GridEstimate } | undefined;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .toolbar {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        margin-bottom: 6px;
        font-size: 13px;
      }
      input.count {
        width: 3em;
      }
      .confirm {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        padding: 6px 10px;
        margin-bottom: 6px;
        border-radius: 6px;
        background: var(--bp-warn-soft);
      }
      .progress {
        display: flex;
        gap: 8px;
        align-items: center;
        margin-bottom: 6px;
        font-size: 13px;
      }
      progress {
        flex: 0 0 160px;
      }
      .problem {
        color: var(--bp-danger);
      }
    `,
  ];

  constructor() {
    super();
    this.cellId = '';
    this.number = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('grid-show', this.onShow);
    this.addEventListener('grid-rerun', this.onRerun);
    this.addEventListener('grid-column-run', this.onColumn);
    this.addEventListener('grid-close', this.onClose);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('grid-show', this.onShow);
    this.removeEventListener('grid-rerun', this.onRerun);
    this.removeEventListener('grid-column-run', this.onColumn);
    this.removeEventListener('grid-close', this.onClose);
  }

  private readonly onShow = (event: GridShowEvent): void => {
    this.shown = event.cellKey;
  };
  private readonly onClose = (): void => {
    this.shown = undefined;
  };
  private readonly onRerun = (event: GridRerunEvent): void => {
    void this.state.store?.runGrid(this.cellId, [keyOf(event.cellKey)]);
  };
  private readonly onColumn = (event: GridColumnRunEvent): void => {
    const store = this.state.store;
    const view = store?.grids.viewOf(this.cellId);
    if (store && view) this.start(store, view, store.grids.keys(view, [event.targetId]));
  };

  private estimate(store: NotebookStore, view: GridView, keys: GridKey[]): GridEstimate {
    const key = [store.notebook, view.rows, keys.length, view.targets];
    const cached = this.estimateCache;
    if (cached && cached.key.every((k, i) => k === key[i])) return cached.estimate;
    const estimate = store.grids.estimate(view, keys);
    this.estimateCache = { key, estimate };
    return estimate;
  }

  /** Runs `keys`, asking first when the run is large. */
  private start(store: NotebookStore, view: GridView, keys: GridKey[], confirmed = false): void {
    if (!keys.length) return;
    const estimate = store.grids.estimate(view, keys);
    if (!confirmed && (estimate.calls > CONFIRM_CALLS || estimate.cost > CONFIRM_USD)) {
      this.confirming = { keys, estimate };
      return;
    }
    this.confirming = undefined;
    void store.runGrid(this.cellId, keys);
  }

  private download(store: NotebookStore, view: GridView, format: 'csv' | 'jsonl'): void {
    const lines = store.grids.lines(view);
    const name = `${store.name ?? 'notebook'}-cell-${this.number}`;
    if (format === 'csv') {
      const checks = view.shape.checks.map(describeCheck);
      downloadText(`${name}.csv`, gridCsv(lines, view.columns, checks), 'text/csv');
    } else {
      downloadText(`${name}.jsonl`, gridJsonLines(lines), 'application/x-ndjson');
    }
  }

  protected override render() {
    const store = this.state.store;
    const view = store?.grids.viewOf(this.cellId);
    this.hidden = !view;
    if (!store || !view) return nothing;
    const n = this.number;
    const running = store.grids.isRunning(this.cellId);
    const all = store.grids.keys(view);
    const results = store.grids.results(view);
    const missing = results.missing;
    const estimate = 'table' in view.table ? this.estimate(store, view, all) : undefined;
    const progress = store.grids.progressOf(this.cellId);
    const hasResults = missing.length < all.length;
    return html`<div class="toolbar" role="toolbar" aria-label="Grid of cell ${n}">
        ${
          running
            ? html`<button
                class="danger"
                aria-label="Stop the grid of cell ${n}"
                @click=${() => store.grids.stop(this.cellId)}
              >
                ${icons.stop} Stop
              </button>`
            : html`<button
                  class="primary"
                  aria-label="Run the grid of cell ${n}"
                  ?disabled=${!estimate || !all.length}
                  @click=${() => this.start(store, view, all)}
                >
                  ${icons.play} Run ${estimate ? describeEstimate(estimate) : ''}
                </button>
                <button
                  aria-label="Run missing and failed calls of cell ${n}"
                  ?disabled=${!missing.length || missing.length === all.length}
                  @click=${() => this.start(store, view, missing)}
                >
                  Run missing and failed (${missing.length})
                </button>`
        }
        <label
          >Calls in flight per model
          <input
            class="count"
            type="text"
            inputmode="numeric"
            aria-label="Calls in flight per model"
            .value=${String(store.grids.concurrency)}
            @change=${(e: Event) => {
              const value = Number((e.target as HTMLInputElement).value);
              if (Number.isInteger(value) && value >= 1 && value <= 16)
                store.grids.concurrency = value;
              else (e.target as HTMLInputElement).value = String(store.grids.concurrency);
            }}
        /></label>
        <button
          aria-label="Download the grid of cell ${n} as CSV"
          ?disabled=${!hasResults}
          @click=${() => this.download(store, view, 'csv')}
        >
          ${icons.download} CSV
        </button>
        <button
          aria-label="Download the grid of cell ${n} as JSON lines"
          ?disabled=${!hasResults}
          @click=${() => this.download(store, view, 'jsonl')}
        >
          ${icons.download} JSON lines
        </button>
      </div>
      ${this.renderConfirm(store, view)} ${progress ? this.renderProgress(progress) : nothing}
      ${
        'error' in view.table
          ? html`<p class="problem" role="alert">
              The test cases cannot be read: ${view.table.error}
            </p>`
          : 'loading' in view.table
            ? html`<p>Reading the test cases…</p>`
            : html`<bp-grid-table
                .store=${store}
                .view=${view}
                .results=${results}
                .number=${n}
                .idle=${!running}
              ></bp-grid-table>`
      }
      ${this.renderDetails(store, view)}`;
  }

  private renderConfirm(store: NotebookStore, view: GridView) {
    const pending = this.confirming;
    if (!pending) return nothing;
    return html`<div
      class="confirm"
      role="alertdialog"
      aria-label="Confirm the run of cell ${this.number}"
    >
      This run makes ${describeEstimate(pending.estimate)}.
      <button class="primary" @click=${() => this.start(store, view, pending.keys, true)}>
        Run ${formatCount(pending.estimate.calls)} calls
      </button>
      <button @click=${() => (this.confirming = undefined)}>Cancel</button>
    </div>`;
  }

  private renderProgress(p: GridProgress) {
    return html`<div class="progress">
      <progress
        aria-label="Progress of the grid of cell ${this.number}"
        max=${p.total}
        .value=${p.finished}
      ></progress>
      <span role="status" aria-label="Grid status of cell ${this.number}"
        >${describeProgress(p)}</span
      >
    </div>`;
  }

  private renderDetails(store: NotebookStore, view: GridView) {
    if (!this.shown) return nothing;
    const key = keyOf(this.shown);
    const record = store.grids.results(view).calls[callIndex(view, key)]?.record;
    const target = view.targets.find((t) => t.id === key.targetId);
    if (!record || !target) return nothing;
    const repeat = view.shape.repeat > 1 ? `, repeat ${key.repeat + 1}` : '';
    return html`<bp-grid-details
      .record=${record}
      .checks=${store.grids.checksOf(view, record)}
      label="${target.label}, test case ${key.row + 1}${repeat}"
    ></bp-grid-details>`;
  }
}

customElements.define('bp-grid', BpGrid);

declare global {
  interface HTMLElementTagNameMap {
    'bp-grid': BpGrid;
  }
}
