import { diffLines } from 'diff';
import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import './bp-run-diff.ts';
import { formatRunTime } from './format.ts';
import { figureChange, runFigures } from './run-figures.ts';
import { controlStyles } from './shared-styles.ts';
import type { TargetRun } from './target-run.ts';

/** A request as it is compared: its JSON, laid out one field per line. */
function requestText(run: TargetRun | undefined): string {
  if (!run?.request) return '(no request was sent)';
  const { request } = run;
  return JSON.stringify(request.api === 'converse' ? request.input : request.body, null, 2);
}

/**
 * Two runs of one target's history side by side: the answers word by word, the requests line by
 * line, and how each figure changed. The shown run is compared with the latest (or, when the
 * latest is shown, the one before), or with any run picked.
 */
export class BpRunCompare extends LitElement {
  static override properties = {
    history: { attribute: false },
    position: { type: Number },
    label: { type: String },
    compareWith: { state: true },
  };

  /** The runs, oldest first (all of one cell, target, model and API). */
  declare history: readonly TargetRun[];
  /** The run shown in the column, as an index into `history`. */
  declare position: number;
  /** The target's label. */
  declare label: string;
  /** The run picked to compare with; undefined picks the latest (or the one before). */
  declare private compareWith: number | undefined;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      label {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 6px;
        margin-bottom: 8px;
        font-size: 12px;
        color: var(--bp-muted);
      }
      h4 {
        margin: 12px 0 4px;
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.03em;
        color: var(--bp-muted);
      }
      .lines {
        margin: 0;
        max-height: 320px;
        overflow: auto;
        font: 12px/1.5 var(--bp-mono);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .lines ins,
      .lines del {
        display: block;
        text-decoration: none;
      }
      .lines ins {
        background: color-mix(in srgb, var(--bp-ok) 16%, transparent);
      }
      .lines del {
        background: color-mix(in srgb, var(--bp-danger) 12%, transparent);
      }
      .same {
        margin: 0;
        font-size: 12px;
        color: var(--bp-muted);
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 12px;
      }
      th,
      td {
        text-align: left;
        padding: 2px 6px 2px 0;
        vertical-align: top;
        overflow-wrap: anywhere;
      }
      thead th {
        color: var(--bp-muted);
        font-weight: 600;
      }
      td {
        font-family: var(--bp-mono);
      }
    `,
  ];

  constructor() {
    super();
    this.history = [];
    this.position = 0;
    this.label = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The page hands down a new history array on every render: only a new run (a longer
    // history) or another shown run resets the run compared with.
    const old = changed.get('history');
    const newRun = changed.has('history') && old?.length !== this.history.length;
    if (changed.has('position') || newRun) this.compareWith = undefined;
  }

  /** The run compared with the shown one. */
  private get other(): number {
    const last = this.history.length - 1;
    if (this.compareWith !== undefined && this.compareWith !== this.position) {
      return this.compareWith;
    }
    return this.position === last ? last - 1 : last;
  }

  protected override render() {
    const other = this.other;
    const [a, b] = other < this.position ? [other, this.position] : [this.position, other];
    const older = this.history[a];
    const newer = this.history[b];
    if (!older || !newer) return nothing;
    const which = `from run ${a + 1} to run ${b + 1} of ${this.label}`;
    return html`<label
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
      <h4>Answer</h4>
      <bp-run-diff .older=${older.text} .newer=${newer.text} label="Changes ${which}"></bp-run-diff>
      <h4>Request</h4>
      ${this.renderRequestDiff(older, newer, which)}
      <h4>Figures</h4>
      ${this.renderFigures(older, newer, a, b, which)}`;
  }

  private renderRequestDiff(older: TargetRun, newer: TargetRun, which: string) {
    const parts = diffLines(requestText(older), requestText(newer));
    if (!parts.some((p) => p.added || p.removed)) {
      return html`<p class="same">The two requests are the same.</p>`;
    }
    return html`<pre
      class="lines"
      role="region"
      tabindex="0"
      aria-label="How the request changed ${which}"
    >
${parts.map((p) =>
        p.added
          ? html`<ins aria-label="added">${p.value}</ins>`
          : p.removed
            ? html`<del aria-label="removed">${p.value}</del>`
            : p.value,
      )}</pre>`;
  }

  private renderFigures(older: TargetRun, newer: TargetRun, a: number, b: number, which: string) {
    const before = runFigures(older);
    const after = runFigures(newer);
    return html`<table aria-label="How the figures changed ${which}">
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col">Run ${a + 1}</th>
          <th scope="col">Run ${b + 1}</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        ${before.map((figure, i) => {
          const next = after[i] ?? figure;
          return html`<tr>
            <th scope="row">${figure.label}</th>
            <td>${figure.text}</td>
            <td>${next.text}</td>
            <td>${figureChange(figure, next)}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }
}

customElements.define('bp-run-compare', BpRunCompare);

declare global {
  interface HTMLElementTagNameMap {
    'bp-run-compare': BpRunCompare;
  }
}
