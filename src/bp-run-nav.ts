import { LitElement, css, html, nothing } from 'lit';
import { formatRunTime } from './format.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';

/** Asks the column to show another run: one earlier or later, or the latest. */
export class RunStepEvent extends Event {
  static readonly eventName = 'run-step';
  constructor(readonly by: -1 | 1 | 'latest') {
    super(RunStepEvent.eventName);
  }
}

/** "‹ Run 3 of 5 › 14:03:12 Latest": where the shown run is in a column's history. */
export class BpRunNav extends LitElement {
  static override properties = {
    position: { type: Number },
    count: { type: Number },
    label: { type: String },
    startedAt: { type: String, attribute: 'started-at' },
  };

  /** The shown run's number, from 1. */
  declare position: number;
  /** How many runs the history has. */
  declare count: number;
  /** The target's label. */
  declare label: string;
  /** When the shown run was sent (ISO 8601), or empty. */
  declare startedAt: string;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: 2px;
        margin: 0 12px 6px;
        padding: 2px 4px;
        border-radius: 6px;
        background: var(--bp-surface-2);
        font-size: 12px;
      }
      .run {
        font-weight: 600;
        font-variant-numeric: tabular-nums;
        min-width: 6.5em;
        text-align: center;
      }
      time {
        color: var(--bp-muted);
        margin-left: 6px;
      }
      .latest {
        margin-left: auto;
        min-height: 22px;
        padding: 0 8px;
        font-size: 12px;
      }
    `,
  ];

  constructor() {
    super();
    this.position = 1;
    this.count = 1;
    this.label = '';
    this.startedAt = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'group');
  }

  protected override willUpdate(): void {
    this.setAttribute('aria-label', `Runs of ${this.label}`);
  }

  private step(by: -1 | 1 | 'latest'): void {
    this.dispatchEvent(new RunStepEvent(by));
  }

  protected override render() {
    const { position: n, count, label } = this;
    return html`<button
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
      <time datetime=${this.startedAt}>${formatRunTime(this.startedAt || null)}</time>
      ${
        n < count
          ? html`<button class="latest" @click=${() => this.step('latest')}>Latest</button>`
          : nothing
      }`;
  }
}

customElements.define('bp-run-nav', BpRunNav);

declare global {
  interface HTMLElementTagNameMap {
    'bp-run-nav': BpRunNav;
  }
  interface HTMLElementEventMap {
    'run-step': RunStepEvent;
  }
}
