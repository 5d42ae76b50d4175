import { LitElement, css, html, nothing } from 'lit';
import { costNote, runFigures } from './run-figures.ts';
import type { TargetRun } from './target-run.ts';

/** A run's figures under its answer: times, tokens, speed, latency, stop reason, cost, backend. */
export class BpRunFigures extends LitElement {
  static override properties = {
    run: { attribute: false },
    tick: { type: Number },
  };

  /** The run whose figures are shown (they fill in while it streams). */
  declare run: TargetRun | undefined;
  /** Changes whenever the run has new figures. */
  declare tick: number;

  static override styles = css`
    :host {
      display: block;
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
    div {
      min-width: 0;
    }
    div.wide {
      grid-column: 1 / -1;
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
  `;

  constructor() {
    super();
    this.tick = 0;
  }

  protected override render() {
    const run = this.run;
    if (!run) return nothing;
    return html`<dl aria-label="Figures of ${run.target.label}">
      ${runFigures(run).map(
        (f) =>
          html`<div class=${f.label === 'Backend' ? 'wide' : ''}>
            <dt>${f.label}</dt>
            <dd>
              ${f.text}
              ${f.label === 'Cost' ? html`<span class="estimate">${costNote(run)}</span>` : nothing}
            </dd>
          </div>`,
      )}
    </dl>`;
  }
}

customElements.define('bp-run-figures', BpRunFigures);

declare global {
  interface HTMLElementTagNameMap {
    'bp-run-figures': BpRunFigures;
  }
}
