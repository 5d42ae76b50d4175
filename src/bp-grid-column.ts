import { LitElement, css, html, nothing } from 'lit';
import type { ColumnSummary } from '../cells/grid.ts';
import type { Target } from '../cells/notebook.ts';
import { formatCount, formatMs, formatUsd } from './format.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';

const API_NAMES = { converse: 'Converse', invoke: 'InvokeModel' } as const;

/** Asks the grid to run one column: all its calls, or only the missing and failed ones. */
export class GridColumnRunEvent extends Event {
  static readonly eventName = 'grid-column-run';
  constructor(
    readonly targetId: string,
    readonly missing: boolean,
  ) {
    super(GridColumnRunEvent.eventName, { bubbles: true, composed: true });
  }
}

const percent = (rate: number) => `${Math.round(rate * 100)} %`;

/**
 * A grid column's head: the target, what it called, and its summary over the answers so far —
 * pass rate, p50 and p95 time to first token and total time, tokens and cost — with the marks
 * of the fastest, cheapest and best-passing column.
 */
export class BpGridColumn extends LitElement {
  static override properties = {
    target: { attribute: false },
    summary: { attribute: false },
    marks: { attribute: false },
    idle: { type: Boolean },
    colorIndex: { type: Number },
  };

  declare target: Target | undefined;
  declare summary: ColumnSummary | undefined;
  /** The marks this column earned: "Fastest", "Cheapest", "Best pass rate". */
  declare marks: readonly string[];
  declare idle: boolean;
  declare colorIndex: number;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        min-width: 0;
        padding: 6px 8px;
        border-left: 1px solid var(--bp-border);
        border-top: 3px solid var(--bp-column-color, var(--bp-accent));
        font-size: 12px;
      }
      h4 {
        margin: 0;
        font-size: 13px;
        overflow-wrap: anywhere;
      }
      .model {
        color: var(--bp-muted);
        font: 11px var(--bp-mono);
        overflow-wrap: anywhere;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 8px;
        margin: 4px 0;
      }
      dt {
        color: var(--bp-muted);
      }
      dd {
        margin: 0;
      }
      .marks {
        display: flex;
        gap: 4px;
        flex-wrap: wrap;
      }
      .mark {
        padding: 0 6px;
        border-radius: 999px;
        background: var(--bp-accent-soft);
        color: var(--bp-accent);
        font-weight: 600;
      }
      .actions {
        display: flex;
        gap: 4px;
        flex-wrap: wrap;
        margin-top: 4px;
      }
      button {
        min-height: 22px;
        padding: 0 8px;
        font-size: 12px;
      }
    `,
  ];

  constructor() {
    super();
    this.marks = [];
    this.idle = true;
    this.colorIndex = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'columnheader');
  }

  protected override render() {
    const target = this.target;
    const s = this.summary;
    if (!target) return nothing;
    this.setAttribute('aria-label', target.label);
    this.style.setProperty('--bp-column-color', `var(--bp-target-${this.colorIndex % 4})`);
    return html`<h4>${target.label}</h4>
      <div class="model">${target.modelId} · ${API_NAMES[target.api]}</div>
      ${
        this.marks.length
          ? html`<div class="marks">
              ${this.marks.map((m) => html`<span class="mark">${m}</span>`)}
            </div>`
          : nothing
      }
      ${
        s && s.finished
          ? html`<dl aria-label="Summary of ${target.label}">
              ${
                s.passRate !== null
                  ? html`<dt>Pass</dt>
                      <dd>${s.passed} of ${s.finished} (${percent(s.passRate)})</dd>`
                  : nothing
              }
              <dt>First token</dt>
              <dd>p50 ${formatMs(s.ttftP50)} · p95 ${formatMs(s.ttftP95)}</dd>
              <dt>Total</dt>
              <dd>p50 ${formatMs(s.totalP50)} · p95 ${formatMs(s.totalP95)}</dd>
              <dt>Tokens</dt>
              <dd>${formatCount(s.inputTokens)} in · ${formatCount(s.outputTokens)} out</dd>
              <dt>Cost</dt>
              <dd>${s.cost === null ? 'no price known' : formatUsd(s.cost)}</dd>
              ${
                s.failed
                  ? html`<dt>Failed</dt>
                      <dd>${s.failed}</dd>`
                  : nothing
              }
            </dl>`
          : nothing
      }
      <div class="actions">
        <button
          aria-label="Re-run column ${target.label}"
          ?disabled=${!this.idle}
          @click=${() => this.dispatchEvent(new GridColumnRunEvent(target.id, false))}
        >
          ${icons.rerun} Column
        </button>
      </div>`;
  }
}

customElements.define('bp-grid-column', BpGridColumn);

declare global {
  interface HTMLElementTagNameMap {
    'bp-grid-column': BpGridColumn;
  }
  interface HTMLElementEventMap {
    'grid-column-run': GridColumnRunEvent;
  }
}
