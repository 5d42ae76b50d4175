import { LitElement, css, html, nothing } from 'lit';
import type { CheckResult } from '../cells/checks.ts';
import type { RunRecord } from '../cells/run-record.ts';
import './bp-markdown-view.ts';
import './bp-request-json.ts';
import { operationOf } from './bp-request-json.ts';
import { checkMark } from './bp-grid-cell.ts';
import { formatCount, formatMs, formatUsd } from './format.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import { estimateCost } from '../cells/models/catalog.ts';

/** Closes the details of a grid call. */
export class GridCloseEvent extends Event {
  static readonly eventName = 'grid-close';
  constructor() {
    super(GridCloseEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * One call of a grid in full: the answer rendered, its figures, every check with its reason (a
 * model-graded check's verdict and the grader's reply), the error, and the request it sent.
 */
export class BpGridDetails extends LitElement {
  static override properties = {
    record: { attribute: false },
    checks: { attribute: false },
    label: { type: String },
    showRequest: { state: true },
  };

  declare record: RunRecord | undefined;
  declare checks: readonly CheckResult[];
  /** "Haiku, test case 2, repeat 1". */
  declare label: string;
  declare private showRequest: boolean;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        margin-top: 8px;
        padding: 8px 12px;
        border: 1px solid var(--bp-border-strong);
        border-radius: var(--bp-radius);
        background: var(--bp-surface);
      }
      header {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      h4 {
        margin: 0;
        flex: 1;
        font-size: 14px;
      }
      .figures {
        color: var(--bp-muted);
        font-size: 12px;
      }
      ul {
        padding-left: 20px;
        font-size: 13px;
      }
      .pass {
        color: var(--bp-ok);
      }
      .fail {
        color: var(--bp-danger);
      }
      .reason {
        color: var(--bp-text);
      }
      .error {
        color: var(--bp-danger);
      }
      .body {
        max-height: 420px;
        overflow: auto;
      }
    `,
  ];

  constructor() {
    super();
    this.checks = [];
    this.label = '';
    this.showRequest = false;
  }

  protected override render() {
    const r = this.record;
    if (!r) return nothing;
    const cost = r.usage
      ? estimateCost(r.modelId, r.usage.inputTokens, r.usage.outputTokens)
      : undefined;
    return html`<section aria-label="Details of ${this.label}">
      <header>
        <h4>${this.label}</h4>
        <button
          aria-pressed=${this.showRequest ? 'true' : 'false'}
          @click=${() => (this.showRequest = !this.showRequest)}
        >
          ${icons.code} Request
        </button>
        <button
          class="icon"
          aria-label="Close the details"
          @click=${() => this.dispatchEvent(new GridCloseEvent())}
        >
          ${icons.close}
        </button>
      </header>
      <p class="figures">
        ${operationOf(r.request)} · ${r.modelId} · attempt ${r.grid?.attempt ?? 1} ·
        ${formatMs(r.metrics?.timeToFirstTokenMs)} to first token · ${formatMs(r.metrics?.totalMs)}
        total · ${formatCount(r.usage?.inputTokens)} in · ${formatCount(r.usage?.outputTokens)} out
        · ${formatUsd(cost)} · stop ${r.stopReason ?? '—'}
      </p>
      ${r.error ? html`<p class="error" role="alert">${r.error.name}: ${r.error.message}</p>` : nothing}
      ${
        this.checks.length
          ? html`<ul aria-label="Checks of ${this.label}">
              ${this.checks.map(
                (c) =>
                  html`<li class=${c.pass === true ? 'pass' : c.pass === false ? 'fail' : ''}>
                    ${checkMark(c)} ${c.label}: <span class="reason">${c.reason}</span>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      <div class="body" role="region" aria-label="Answer of ${this.label}">
        ${
          this.showRequest
            ? html`<bp-request-json
                .request=${r.request}
                body-label="Request of ${this.label}"
                prompt-label="Prompt of ${this.label}"
              ></bp-request-json>`
            : html`<bp-markdown-view .markdown=${r.text}></bp-markdown-view>`
        }
      </div>
    </section>`;
  }
}

customElements.define('bp-grid-details', BpGridDetails);

declare global {
  interface HTMLElementTagNameMap {
    'bp-grid-details': BpGridDetails;
  }
  interface HTMLElementEventMap {
    'grid-close': GridCloseEvent;
  }
}
