import { LitElement, css, html } from 'lit';
import { controlStyles } from './shared-styles.ts';
import type { TargetRun, WireEntry } from './target-run.ts';

/**
 * What came over the wire for one run: Bedrock's events exactly as they were received, or, when
 * asked for, the app's own normalized events (text, stop, usage, metrics, error) made from them.
 */
export class BpWireView extends LitElement {
  static override properties = {
    run: { attribute: false },
    tick: { type: Number },
    normalized: { state: true },
  };

  /** The run whose events are listed (its lists grow while it streams). */
  declare run: TargetRun | undefined;
  /** Changes whenever the run has new events. */
  declare tick: number;
  /** Shows the app's normalized events instead of Bedrock's. */
  declare private normalized: boolean;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        margin-bottom: 6px;
        font-size: 12px;
        color: var(--bp-muted);
      }
      .bar button {
        min-height: 24px;
        padding: 0 10px;
        font-size: 12px;
      }
      ol {
        margin: 0;
        padding: 0;
        list-style: none;
        font: 12px/1.5 var(--bp-mono);
      }
      li {
        display: grid;
        grid-template-columns: 5em minmax(0, 1fr);
        gap: 8px;
        border-bottom: 1px dashed var(--bp-border);
        padding: 2px 0;
      }
      time {
        color: var(--bp-muted);
        text-align: right;
      }
      code {
        overflow-wrap: anywhere;
        white-space: pre-wrap;
      }
      .placeholder {
        margin: 0;
        color: var(--bp-muted);
        font-style: italic;
      }
    `,
  ];

  constructor() {
    super();
    this.tick = 0;
    this.normalized = false;
  }

  protected override render() {
    const run = this.run;
    if (!run) return html``;
    if (run.fromRecord) {
      return html`<p class="placeholder">
        This run was read back from the notebook’s run log, which keeps its request, text and
        figures but not its wire events.
      </p>`;
    }
    const label = run.target.label;
    const entries: WireEntry<unknown>[] = this.normalized ? run.events : run.raw;
    const what = this.normalized ? `App events of ${label}` : `Bedrock events of ${label}`;
    return html`<div class="bar">
        <span
          >${
            this.normalized
              ? 'The app’s normalized events, made from Bedrock’s.'
              : 'Bedrock’s events, as received.'
          }</span
        >
        <button
          aria-pressed=${this.normalized ? 'true' : 'false'}
          aria-label="Show the app’s normalized events of ${label}"
          @click=${() => (this.normalized = !this.normalized)}
        >
          App events
        </button>
      </div>
      ${
        entries.length
          ? html`<ol aria-label=${what}>
              ${entries.map(
                (entry) =>
                  html`<li>
                    <time>+${entry.at} ms</time><code>${JSON.stringify(entry.event)}</code>
                  </li>`,
              )}
            </ol>`
          : html`<p class="placeholder">
              ${
                this.normalized
                  ? 'No events yet.'
                  : run.state === 'waiting' || run.state === 'streaming'
                    ? 'No events from Bedrock yet.'
                    : 'Bedrock sent no events for this run (see the app’s events for why).'
              }
            </p>`
      }`;
  }
}

customElements.define('bp-wire-view', BpWireView);

declare global {
  interface HTMLElementTagNameMap {
    'bp-wire-view': BpWireView;
  }
}
