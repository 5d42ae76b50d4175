import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import { estimateCost, findModel, PRICES_AS_OF } from '../cells/models/catalog.ts';
import './bp-markdown-view.ts';
import './bp-run-diff.ts';
import { formatCount, formatMs, formatRate, formatRunTime, formatUsd } from './format.ts';
import { icons } from './icons.ts';
import type { RunState, TargetRun } from './notebook-store.ts';
import { controlStyles } from './shared-styles.ts';

type View = 'rendered' | 'raw' | 'wire';

const STATE_LABELS: Record<RunState, string> = {
  waiting: 'Waiting',
  streaming: 'Streaming',
  done: 'Done',
  stopped: 'Stopped',
  failed: 'Failed',
};

const API_NAMES = { converse: 'Converse', invoke: 'InvokeModel' } as const;

/**
 * One target's answer to a cell: its label, model and API, state, the answer (rendered Markdown,
 * raw text, or the wire events as they arrived) and the run's figures. With earlier runs in the
 * history, ‹ › step back through them ("Run 3 of 5"), and Compare shows two runs' answers word by
 * word.
 */
export class BpAnswerColumn extends LitElement {
  static override properties = {
    answer: { attribute: false },
    tick: { type: Number },
    colorIndex: { type: Number, attribute: 'color-index' },
    history: { attribute: false },
    view: { state: true },
    index: { state: true },
    comparing: { state: true },
    compareWith: { state: true },
  };

  /** The answer shown; mutated in place while streaming, so `tick` says when to re-render. */
  declare answer: TargetRun | undefined;
  /** Changes whenever the answer has new content. */
  declare tick: number;
  /** Which of the target colours marks this column. */
  declare colorIndex: number;
  /** Every run of this cell against this target, oldest first (the latest is `answer`). */
  declare history: readonly TargetRun[];
  declare private view: View;
  /** The run shown, as an index into `history`; undefined follows the latest. */
  declare private index: number | undefined;
  declare private comparing: boolean;
  /** The run compared with the shown one; undefined picks the latest (or the one before). */
  declare private compareWith: number | undefined;

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
        flex-wrap: wrap;
        align-items: baseline;
        gap: 4px 8px;
        padding: 8px 12px 4px;
      }
      h3 {
        margin: 0;
        font-size: 14px;
      }
      .model {
        font: 12px var(--bp-mono);
        color: var(--bp-muted);
        overflow-wrap: anywhere;
      }
      .state {
        margin-left: auto;
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
      .views {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        padding: 0 12px 4px;
      }
      .history {
        display: flex;
        align-items: center;
        gap: 2px;
        margin: 0 12px 6px;
        padding: 2px 4px;
        border-radius: 6px;
        background: var(--bp-surface-2);
        font-size: 12px;
      }
      .history .run {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        min-width: 6.5em;
        text-align: center;
      }
      .history time {
        color: var(--bp-muted);
        margin-left: 6px;
      }
      .history .latest {
        margin-left: auto;
        min-height: 22px;
        padding: 0 8px;
        font-size: 12px;
      }
      .compare-with {
        display: flex;
        align-items: center;
        gap: 6px;
        margin-bottom: 8px;
        font-size: 12px;
        color: var(--bp-muted);
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
      .wire {
        margin: 0;
        padding: 0;
        list-style: none;
        font: 12px/1.5 var(--bp-mono);
      }
      .wire li {
        display: grid;
        grid-template-columns: 5em 1fr;
        gap: 8px;
        border-bottom: 1px dashed var(--bp-border);
        padding: 2px 0;
      }
      .wire time {
        color: var(--bp-muted);
        text-align: right;
      }
      .wire code {
        overflow-wrap: anywhere;
        white-space: pre-wrap;
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
      .error {
        margin: 0 12px 8px;
        padding: 8px 12px;
        border-radius: 6px;
        background: var(--bp-danger-soft);
        border: 1px solid var(--bp-danger);
      }
      .error strong {
        color: var(--bp-danger);
      }
      .error p {
        margin: 4px 0 0;
      }
      .warnings {
        margin: 0 12px 8px;
        padding: 6px 12px 6px 28px;
        border-radius: 6px;
        background: var(--bp-warn-soft);
        font-size: 12px;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(118px, 1fr));
        gap: 6px 12px;
        margin: 0;
        padding: 8px 12px 10px;
        border-top: 1px solid var(--bp-border);
        background: var(--bp-surface-2);
        border-radius: 0 0 var(--bp-radius) var(--bp-radius);
      }
      dl div {
        min-width: 0;
      }
      dt {
        font-size: 11px;
        color: var(--bp-muted);
        text-transform: uppercase;
        letter-spacing: 0.03em;
      }
      dd {
        margin: 0;
        font: 600 13px var(--bp-mono);
        overflow-wrap: anywhere;
      }
      .estimate {
        font-weight: 400;
        color: var(--bp-muted);
        font-family: var(--bp-font);
        font-size: 11px;
      }
    `,
  ];

  constructor() {
    super();
    this.tick = 0;
    this.colorIndex = 0;
    this.history = [];
    this.view = 'rendered';
    this.comparing = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get('history');
    // A new run starts: show it, as the latest.
    if (changed.has('history') && old && old.length !== this.history.length) {
      this.index = undefined;
      this.compareWith = undefined;
    }
  }

  /** The position of the shown run in the history. */
  private get position(): number {
    const last = this.history.length - 1;
    return this.index === undefined ? last : Math.max(0, Math.min(this.index, last));
  }

  private step(by: -1 | 1): void {
    const next = this.position + by;
    if (next < 0 || next >= this.history.length) return;
    this.index = next === this.history.length - 1 ? undefined : next;
    this.compareWith = undefined;
  }

  /** The run the shown one is compared with. */
  private get other(): number {
    const last = this.history.length - 1;
    if (this.compareWith !== undefined && this.compareWith !== this.position) {
      return this.compareWith;
    }
    return this.position === last ? last - 1 : last;
  }

  protected override render() {
    const latest = this.answer;
    if (!latest) return nothing;
    const a = this.index !== undefined ? (this.history[this.position] ?? latest) : latest;
    this.style.setProperty('--bp-column-color', `var(--bp-target-${this.colorIndex % 4})`);
    const api = a.request?.api ?? a.target.api;
    return html`<header>
        <h3>${a.target.label}</h3>
        <span class="model">${a.target.modelId} · ${API_NAMES[api]}</span>
        <span class="state ${a.state}" role="status" aria-label="State of ${a.target.label}"
          >${STATE_LABELS[a.state]}</span
        >
      </header>
      ${this.renderHistory(a)}
      <div class="views" role="group" aria-label="Show the answer of ${a.target.label} as">
        ${(
          [
            ['rendered', 'Rendered'],
            ['raw', 'Raw text'],
            ['wire', 'Wire events'],
          ] as const
        ).map(
          ([view, label]) =>
            html`<button
              aria-pressed=${this.view === view && !this.comparing ? 'true' : 'false'}
              @click=${() => {
                this.view = view;
                this.comparing = false;
              }}
            >
              ${label}
            </button>`,
        )}
        ${
          this.history.length > 1
            ? html`<button
                aria-pressed=${this.comparing ? 'true' : 'false'}
                aria-label="Compare runs of ${a.target.label}"
                @click=${() => (this.comparing = !this.comparing)}
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
      <div class="body" aria-label="Answer of ${a.target.label}" role="region" aria-live="off">
        ${this.renderBody(a)}
      </div>
      ${
        a.error
          ? html`<div class="error" role="alert">
              <strong>${a.error.name}</strong>
              <p>${a.error.message}</p>
              ${a.error.hint ? html`<p class="hint">${a.error.hint}</p>` : nothing}
            </div>`
          : nothing
      }
      ${this.renderFigures(a)}`;
  }

  private renderHistory(a: TargetRun) {
    const count = this.history.length;
    if (count < 2) return nothing;
    const n = this.position + 1;
    const label = a.target.label;
    return html`<div class="history" role="group" aria-label="Runs of ${label}">
      <button
        class="icon"
        aria-label="Earlier run of ${label}"
        title="Earlier run"
        ?disabled=${n <= 1}
        @click=${() => this.step(-1)}
      >
        ${icons.chevronLeft}
      </button>
      <span class="run" aria-live="polite" aria-label="Run ${n} of ${count} of ${label}"
        >Run ${n} of ${count}</span
      >
      <button
        class="icon"
        aria-label="Later run of ${label}"
        title="Later run"
        ?disabled=${n >= count}
        @click=${() => this.step(1)}
      >
        ${icons.chevronRight}
      </button>
      <time datetime=${a.startedAt ?? ''}>${formatRunTime(a.startedAt)}</time>
      ${
        n < count
          ? html`<button class="latest" @click=${() => (this.index = undefined)}>Latest</button>`
          : nothing
      }
    </div>`;
  }

  private renderDiff(a: TargetRun) {
    const other = this.other;
    const [older, newer] = other < this.position ? [other, this.position] : [this.position, other];
    const label = a.target.label;
    return html`<label class="compare-with"
        >Compare run ${this.position + 1} with
        <select
          @change=${(e: Event) =>
            (this.compareWith = Number((e.target as HTMLSelectElement).value))}
        >
          ${this.history.map((run, i) =>
            i === this.position
              ? nothing
              : html`<option value=${i} ?selected=${i === other}>
                  Run ${i + 1}${run.startedAt ? ` · ${formatRunTime(run.startedAt)}` : ''}
                </option>`,
          )}
        </select></label
      >
      <bp-run-diff
        .older=${this.history[older]?.text ?? ''}
        .newer=${this.history[newer]?.text ?? ''}
        label="Changes from run ${older + 1} to run ${newer + 1} of ${label}"
      ></bp-run-diff>`;
  }

  private renderBody(a: TargetRun) {
    if (this.comparing && this.history.length > 1) return this.renderDiff(a);
    if (this.view === 'wire' && a.fromRecord) {
      return html`<p class="placeholder">
        This run was read back from the notebook’s run log, which keeps its text and figures but not
        its wire events.
      </p>`;
    }
    if (this.view === 'wire') {
      return a.wire.length
        ? html`<ol class="wire" aria-label="Wire events of ${a.target.label}">
            ${a.wire.map(
              (w) =>
                html`<li>
                  <time>+${w.at} ms</time
                  ><code>${JSON.stringify(w.event.type === 'raw' ? w.event.event : w.event)}</code>
                </li>`,
            )}
          </ol>`
        : html`<p class="placeholder">No events yet.</p>`;
    }
    if (!a.text) {
      const waiting = a.state === 'waiting' || a.state === 'streaming';
      return html`<p class="placeholder">
        ${waiting ? 'Waiting for the first token…' : 'No text.'}
      </p>`;
    }
    const cursor = a.state === 'streaming' ? 'cursor' : '';
    return this.view === 'raw'
      ? html`<pre class="raw ${cursor}">${a.text}</pre>`
      : html`<bp-markdown-view class=${cursor} .markdown=${a.text}></bp-markdown-view>`;
  }

  private renderFigures(a: TargetRun) {
    const ttft = a.metrics?.timeToFirstTokenMs ?? a.clientFirstTokenMs;
    const total =
      a.metrics?.totalMs ??
      (a.state === 'waiting' || a.state === 'streaming' ? null : a.clientTotalMs);
    const out = a.usage?.outputTokens;
    const genMs = total !== null && ttft !== null && total > ttft ? total - ttft : total;
    const rate = out !== undefined && genMs ? (out / genMs) * 1000 : null;
    const cost = a.usage
      ? estimateCost(a.target.modelId, a.usage.inputTokens, a.usage.outputTokens)
      : undefined;
    const known = findModel(a.target.modelId) !== undefined;
    const figure = (label: string, value: unknown) =>
      html`<div>
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    return html`<dl aria-label="Figures of ${a.target.label}">
      ${figure('Time to first token', formatMs(ttft))} ${figure('Total time', formatMs(total))}
      ${figure('Input tokens', formatCount(a.usage?.inputTokens))}
      ${figure('Output tokens', formatCount(out))} ${figure('Output speed', formatRate(rate))}
      ${figure('Bedrock latency', formatMs(a.metrics?.latencyMs))}
      ${figure('Stop reason', a.stopReason ?? '—')}
      ${figure(
        'Cost',
        html`${formatUsd(cost)}
          <span class="estimate"
            >${known ? `estimate, prices as of ${PRICES_AS_OF}` : 'no price known'}</span
          >`,
      )}
    </dl>`;
  }
}

customElements.define('bp-answer-column', BpAnswerColumn);

declare global {
  interface HTMLElementTagNameMap {
    'bp-answer-column': BpAnswerColumn;
  }
}
