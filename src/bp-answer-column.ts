import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import './bp-markdown-view.ts';
import './bp-request-json.ts';
import { operationOf } from './bp-request-json.ts';
import './bp-run-compare.ts';
import './bp-wire-view.ts';
import { icons } from './icons.ts';
import './bp-run-figures.ts';
import './bp-reasoning-fold.ts';
import './bp-run-error.ts';
import './bp-run-nav.ts';
import type { RunStepEvent } from './bp-run-nav.ts';
import { controlStyles } from './shared-styles.ts';
import type { RunState, TargetRun } from './target-run.ts';

type View = 'rendered' | 'raw' | 'request' | 'wire' | 'compare';

const STATE_LABELS: Record<RunState, string> = {
  waiting: 'Waiting',
  streaming: 'Streaming',
  done: 'Done',
  stopped: 'Stopped',
  failed: 'Failed',
};

const API_NAMES = { converse: 'Converse', invoke: 'InvokeModel' } as const;

/** Asks for this column's target to run the cell again, alone. */
export class RerunTargetEvent extends Event {
  static readonly eventName = 'rerun-target';
  constructor(readonly targetId: string) {
    super(RerunTargetEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * One target's answer to a cell: its label, the model and API actually called, state, the answer
 * (rendered Markdown, raw text, the request it was sent with, or the wire events) and the run's
 * figures and backend. With earlier runs of the same model, ‹ › step back through them ("Run 3 of
 * 5"), each shown with its own request and figures, and Compare shows how two runs differ.
 */
export class BpAnswerColumn extends LitElement {
  static override properties = {
    answer: { attribute: false },
    tick: { type: Number },
    colorIndex: { type: Number, attribute: 'color-index' },
    history: { attribute: false },
    rerunnable: { type: Boolean },
    runFirstCell: { type: Number, attribute: 'run-first-cell' },
    view: { state: true },
    index: { state: true },
  };

  /** The answer shown; mutated in place while streaming, so `tick` says when to re-render. */
  declare answer: TargetRun | undefined;
  /** Changes whenever the answer has new content. */
  declare tick: number;
  /** Which of the target colours marks this column. */
  declare colorIndex: number;
  /**
   * Every run of this cell against this target's model and API, oldest first (the latest is
   * `answer`).
   */
  declare history: readonly TargetRun[];
  /** The target can run the cell again on its own now (it exists and nothing is running). */
  declare rerunnable: boolean;
  /** The number of the earlier cell to run first for this target (0: none). */
  declare runFirstCell: number;
  declare private view: View;
  /** The run shown, as an index into `history`; undefined follows the latest. */
  declare private index: number | undefined;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-width: 0;
        border: 1px solid var(--bp-border);
        border-top: 3px solid var(--bp-column-color, var(--bp-accent));
        border-radius: var(--bp-radius);
        background: var(--bp-surface);
      }
      header {
        display: flex;
        align-items: flex-start;
        gap: 4px 8px;
        padding: 8px 12px 4px;
      }
      .title {
        flex: 1 1 auto;
        min-width: 0;
      }
      h3 {
        margin: 0;
        font-size: 14px;
        overflow-wrap: anywhere;
      }
      .model {
        display: block;
        font: 12px var(--bp-mono);
        color: var(--bp-muted);
        overflow-wrap: anywhere;
      }
      .state {
        flex: none;
        font-size: 12px;
        font-weight: 600;
        padding: 0 8px;
        border-radius: 999px;
        border: 1px solid currentColor;
        color: var(--bp-muted);
      }
      .state.streaming {
        color: var(--bp-accent);
      }
      .state.done {
        color: var(--bp-ok);
      }
      .state.stopped {
        color: var(--bp-warn);
      }
      .state.failed {
        color: var(--bp-danger);
      }
      header button.icon {
        flex: none;
        min-height: 22px;
        height: 22px;
      }
      .views {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        padding: 0 12px 4px;
      }
      .views button {
        min-height: 24px;
        padding: 0 10px;
        font-size: 12px;
      }
      .body {
        padding: 8px 12px;
        flex: 1;
        min-height: 48px;
        max-height: 560px;
        overflow: auto;
      }
      .raw {
        margin: 0;
        white-space: pre-wrap;
        font: 13px/1.5 var(--bp-mono);
        overflow-wrap: anywhere;
      }
      .request-head {
        margin: 0 0 4px;
        font-size: 12px;
        color: var(--bp-muted);
        overflow-wrap: anywhere;
      }
      .placeholder {
        color: var(--bp-muted);
        font-style: italic;
      }
      .cursor::after {
        content: '▍';
        color: var(--bp-accent);
        animation: blink 1s steps(2) infinite;
      }
      @keyframes blink {
        50% {
          opacity: 0;
        }
      }
      .warnings {
        margin: 0 12px 8px;
        padding: 6px 12px 6px 28px;
        border-radius: 6px;
        background: var(--bp-warn-soft);
        font-size: 12px;
      }
    `,
  ];

  constructor() {
    super();
    this.tick = 0;
    this.colorIndex = 0;
    this.history = [];
    this.rerunnable = false;
    this.runFirstCell = 0;
    this.view = 'rendered';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get('history');
    // A new run starts: show it, as the latest.
    if (changed.has('history') && old && old.length !== this.history.length) {
      this.index = undefined;
      if (this.view === 'compare') this.view = 'rendered';
    }
  }

  /** The position of the shown run in the history. */
  private get position(): number {
    const last = this.history.length - 1;
    return this.index === undefined ? last : Math.max(0, Math.min(this.index, last));
  }

  private readonly onStep = (event: RunStepEvent): void => {
    if (event.by === 'latest') {
      this.index = undefined;
      return;
    }
    const next = this.position + event.by;
    if (next < 0 || next >= this.history.length) return;
    this.index = next === this.history.length - 1 ? undefined : next;
  };

  protected override render() {
    const latest = this.answer;
    if (!latest) return nothing;
    const a = this.index !== undefined ? (this.history[this.position] ?? latest) : latest;
    this.style.setProperty('--bp-column-color', `var(--bp-target-${this.colorIndex % 4})`);
    const api = a.request?.api ?? a.target.api;
    const label = a.target.label;
    const model = `${a.target.modelId} · ${API_NAMES[api]}`;
    const views: [View, string][] = [
      ['rendered', 'Rendered'],
      ['raw', 'Raw text'],
      ['request', 'Request'],
      ['wire', 'Wire events'],
    ];
    return html`<header>
        <div class="title">
          <h3>${label}</h3>
          <span class="model" title=${model}>${model}</span>
        </div>
        <span class="state ${a.state}" role="status" aria-label="State of ${label}"
          >${STATE_LABELS[a.state]}</span
        >
        ${
          this.rerunnable
            ? html`<button
                class="icon"
                aria-label="Re-run ${label} only"
                title="Run this cell again for ${label} only"
                @click=${() => this.dispatchEvent(new RerunTargetEvent(latest.target.id))}
              >
                ${icons.rerun}
              </button>`
            : nothing
        }
      </header>
      ${
        this.history.length > 1
          ? html`<bp-run-nav
              .position=${this.position + 1}
              .count=${this.history.length}
              label=${a.target.label}
              started-at=${a.startedAt ?? ''}
              @run-step=${this.onStep}
            ></bp-run-nav>`
          : nothing
      }
      <div class="views" role="group" aria-label="Show the answer of ${label} as">
        ${views.map(
          ([view, name]) =>
            html`<button
              aria-pressed=${this.view === view ? 'true' : 'false'}
              aria-label="${name} of ${label}"
              @click=${() => (this.view = view)}
            >
              ${name}
            </button>`,
        )}
        ${
          this.history.length > 1
            ? html`<button
                aria-pressed=${this.view === 'compare' ? 'true' : 'false'}
                aria-label="Compare runs of ${label}"
                @click=${() => (this.view = this.view === 'compare' ? 'rendered' : 'compare')}
              >
                ${icons.compare} Compare
              </button>`
            : nothing
        }
      </div>
      ${
        a.warnings.length
          ? html`<ul class="warnings" aria-label="Warnings">
              ${a.warnings.map((w) => html`<li>${w}</li>`)}
            </ul>`
          : nothing
      }
      ${
        this.view === 'rendered' || this.view === 'raw'
          ? html`<bp-reasoning-fold
              .text=${a.reasoning}
              .label=${label}
              .streaming=${a.state === 'streaming' && !a.text}
            ></bp-reasoning-fold>`
          : nothing
      }
      <div class="body" aria-label="Answer of ${label}" role="region" aria-live="off">
        ${this.renderBody(a)}
      </div>
      <bp-run-error
        .run=${a}
        .latest=${a === this.answer}
        .rerunnable=${this.rerunnable}
        .runFirstCell=${a === this.answer ? this.runFirstCell : 0}
      ></bp-run-error>
      <bp-run-figures .run=${a} .tick=${this.tick}></bp-run-figures>`;
  }

  private renderBody(a: TargetRun) {
    const label = a.target.label;
    switch (this.view) {
      case 'compare':
        return this.history.length > 1
          ? html`<bp-run-compare
              .history=${this.history}
              .position=${this.position}
              label=${label}
            ></bp-run-compare>`
          : this.renderText(a);
      case 'request':
        return this.renderRequest(a);
      case 'wire':
        return html`<bp-wire-view .run=${a} .tick=${this.tick}></bp-wire-view>`;
      default:
        return this.renderText(a);
    }
  }

  private renderText(a: TargetRun) {
    if (!a.text) {
      const waiting = a.state === 'waiting' || a.state === 'streaming';
      const thinking = a.reasoning ? 'The model is reasoning; its answer follows.' : '';
      return html`<p class="placeholder">
        ${waiting ? thinking || 'Waiting for the first token…' : 'No text.'}
      </p>`;
    }
    const cursor = a.state === 'streaming' ? 'cursor' : '';
    return this.view === 'raw'
      ? html`<pre class="raw ${cursor}">${a.text}</pre>`
      : html`<bp-markdown-view class=${cursor} .markdown=${a.text}></bp-markdown-view>`;
  }

  /** The request this run was sent with (for an earlier run: from its record). */
  private renderRequest(a: TargetRun) {
    const request = a.request;
    const label = a.target.label;
    if (!request) {
      return html`<p class="placeholder">Nothing was sent: the cell did not compile.</p>`;
    }
    return html`<p class="request-head">${operationOf(request)} · ${request.modelId}</p>
      <bp-request-json
        .request=${request}
        body-label="Request sent to ${label}"
        prompt-label="Prompt sent to ${label}"
      ></bp-request-json>`;
  }
}

customElements.define('bp-answer-column', BpAnswerColumn);

declare global {
  interface HTMLElementTagNameMap {
    'bp-answer-column': BpAnswerColumn;
  }
  interface HTMLElementEventMap {
    'rerun-target': RerunTargetEvent;
  }
}
