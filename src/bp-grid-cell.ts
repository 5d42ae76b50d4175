import { LitElement, css, html, nothing } from 'lit';
import type { CheckResult } from '../cells/checks.ts';
import { estimateCost } from '../cells/models/catalog.ts';
import { icons } from './icons.ts';
import { formatCount, formatMs, formatUsd } from './format.ts';
import type { GridCall } from './grid-runs.ts';
import { controlStyles } from './shared-styles.ts';

const STATES: Record<GridCall['state'] | 'missing', string> = {
  missing: 'Not run',
  queued: 'Queued',
  running: 'Running',
  retrying: 'Retrying',
  done: 'Done',
  failed: 'Failed',
  stopped: 'Stopped',
  unsent: 'Not sent',
};

/** Asks the grid to show one call in full (its answer, figures, checks and request). */
export class GridShowEvent extends Event {
  static readonly eventName = 'grid-show';
  constructor(readonly cellKey: string) {
    super(GridShowEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Asks the grid to make one call again. */
export class GridRerunEvent extends Event {
  static readonly eventName = 'grid-rerun';
  constructor(readonly cellKey: string) {
    super(GridRerunEvent.eventName, { bubbles: true, composed: true });
  }
}

/** "✓ contains "Paris"" for a passed check, ✗ for a failed one, … for one not decided. */
export function checkMark(result: CheckResult): string {
  return result.pass === true ? '✓' : result.pass === false ? '✗' : '…';
}

/**
 * One call of a grid: its state, the answer folded to a few lines, its figures and its checks.
 * Fixed in height, so the grid can lay out thousands of them and render only those on screen.
 */
export class BpGridCell extends LitElement {
  static override properties = {
    call: { attribute: false },
    checks: { attribute: false },
    variation: { type: String },
    label: { type: String },
    cellKey: { type: String, attribute: 'cell-key' },
    idle: { type: Boolean },
  };

  /** The call shown; undefined when it has not run. */
  declare call: GridCall | undefined;
  declare checks: readonly CheckResult[];
  /** How this test case's repeats vary, on the first repeat ("identical", "82 % alike"). */
  declare variation: string;
  /** What the cell is, for its accessible name: "Haiku, test case 2, repeat 1". */
  declare label: string;
  /** The call's key in the grid. */
  declare cellKey: string;
  /** Nothing runs in this grid now, so the call can be made again. */
  declare idle: boolean;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 3px;
        min-width: 0;
        height: 100%;
        box-sizing: border-box;
        padding: 6px 8px;
        border-left: 1px solid var(--bp-border);
        font-size: 12px;
        overflow: hidden;
      }
      .head {
        display: flex;
        align-items: center;
        gap: 4px;
      }
      .state {
        font-weight: 600;
        color: var(--bp-muted);
      }
      .state.done {
        color: var(--bp-ok);
      }
      .state.failed,
      .state.unsent {
        color: var(--bp-danger);
      }
      .state.stopped,
      .state.retrying {
        color: var(--bp-warn);
      }
      .state.running {
        color: var(--bp-accent);
      }
      .spacer {
        flex: 1;
      }
      button {
        min-height: 20px;
        padding: 0 8px;
        font-size: 12px;
      }
      button.icon {
        width: 22px;
      }
      .text {
        margin: 0;
        font-size: 13px;
        line-height: 1.35;
        display: -webkit-box;
        -webkit-line-clamp: 3;
        -webkit-box-orient: vertical;
        overflow: hidden;
        overflow-wrap: anywhere;
      }
      .note {
        color: var(--bp-danger);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .figures,
      .variation {
        color: var(--bp-muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 2px 8px;
      }
      li {
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        max-width: 100%;
      }
      .pass {
        color: var(--bp-ok);
      }
      .fail {
        color: var(--bp-danger);
      }
    `,
  ];

  constructor() {
    super();
    this.checks = [];
    this.variation = '';
    this.label = '';
    this.cellKey = '';
    this.idle = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'cell');
  }

  protected override render() {
    this.setAttribute('aria-label', this.label);
    const call = this.call;
    const state = call?.state ?? 'missing';
    const record = call?.record;
    const usage = record?.usage;
    const cost = usage
      ? estimateCost(record.modelId, usage.inputTokens, usage.outputTokens)
      : undefined;
    const error = record?.error && record.error.name !== 'Stopped' ? record.error : undefined;
    return html`<div class="head">
        <span class="state ${state}" aria-label="State">
          ${STATES[state]}${call && call.attempt > 1 ? ` · attempt ${call.attempt}` : ''}
        </span>
        <span class="spacer"></span>
        ${
          record
            ? html`<button
                aria-label="Show ${this.label}"
                @click=${() => this.dispatchEvent(new GridShowEvent(this.cellKey))}
              >
                Show
              </button>`
            : nothing
        }
        <button
          class="icon"
          aria-label="Re-run ${this.label}"
          title="Run this call again"
          ?disabled=${!this.idle}
          @click=${() => this.dispatchEvent(new GridRerunEvent(this.cellKey))}
        >
          ${icons.rerun}
        </button>
      </div>
      ${
        call?.note
          ? html`<p class="note" title=${call.note}>${call.note}</p>`
          : error
            ? html`<p class="note" title=${error.message}>${error.name}: ${error.message}</p>`
            : nothing
      }
      ${record?.text ? html`<p class="text">${record.text}</p>` : nothing}
      ${
        record?.metrics
          ? html`<span class="figures"
              >${formatMs(record.metrics.timeToFirstTokenMs)} to first token ·
              ${formatMs(record.metrics.totalMs)} · ${formatCount(usage?.outputTokens)} tokens ·
              ${formatUsd(cost)}</span
            >`
          : nothing
      }
      ${this.variation ? html`<span class="variation">Repeats: ${this.variation}</span>` : nothing}
      ${
        this.checks.length
          ? html`<ul aria-label="Checks">
              ${this.checks.map(
                (c) =>
                  html`<li
                    class=${c.pass === true ? 'pass' : c.pass === false ? 'fail' : ''}
                    title=${c.reason}
                  >
                    ${checkMark(c)} ${c.label}
                  </li>`,
              )}
            </ul>`
          : nothing
      }`;
  }
}

customElements.define('bp-grid-cell', BpGridCell);

declare global {
  interface HTMLElementTagNameMap {
    'bp-grid-cell': BpGridCell;
  }
  interface HTMLElementEventMap {
    'grid-show': GridShowEvent;
    'grid-rerun': GridRerunEvent;
  }
}
