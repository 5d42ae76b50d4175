import { LitElement, css, html, nothing } from 'lit';
import type { RunFix } from '../cells/events.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import type { TargetRun } from './target-run.ts';

/** Asks for the earlier cell this answer needed to run for this target, then this cell. */
export class RunFirstEvent extends Event {
  static readonly eventName = 'run-first';
  constructor(readonly targetId: string) {
    super(RunFirstEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Asks for the fix a failed run offers: its target calls another model id, or the emulator. */
export class FixRunEvent extends Event {
  static readonly eventName = 'fix-run';
  constructor(
    readonly targetId: string,
    readonly fix: RunFix,
  ) {
    super(FixRunEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Why a run failed: the error's name and message, the hint, and the one click that helps where
 * there is one: run the earlier cell it needed first, call the inference profile Bedrock asked
 * for, or use the emulator when credentials failed.
 */
export class BpRunError extends LitElement {
  static override properties = {
    run: { attribute: false },
    latest: { type: Boolean },
    rerunnable: { type: Boolean },
    runFirstCell: { type: Number },
  };
  /** The run shown. */
  declare run: TargetRun | undefined;
  /** The run is the latest one (an earlier run's error offers no action). */
  declare latest: boolean;
  /** The target can run the cell again now. */
  declare rerunnable: boolean;
  /** The number of the earlier cell to run first (0: none). */
  declare runFirstCell: number;

  static override styles = [
    controlStyles,
    css`
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
        overflow-wrap: anywhere;
      }
    `,
  ];

  constructor() {
    super();
    this.latest = false;
    this.rerunnable = false;
    this.runFirstCell = 0;
  }

  protected override render() {
    const a = this.run;
    if (!a?.error) return nothing;
    const first = this.latest ? this.runFirstCell : 0;
    const fix = this.latest ? a.error.fix : undefined;
    return html`<div class="error" role="alert">
      <strong>${a.error.name}</strong>
      <p>${a.error.message}</p>
      ${a.error.hint && !first ? html`<p class="hint">${a.error.hint}</p>` : nothing}
      ${fix ? this.renderFix(a, fix) : nothing}
      ${
        first
          ? html`<p>
              <button
                @click=${() => this.dispatchEvent(new RunFirstEvent(a.target.id))}
                ?disabled=${!this.rerunnable}
              >
                ${icons.play} Run cell ${first}, then this one, for ${a.target.label}
              </button>
            </p>`
          : nothing
      }
    </div>`;
  }

  private renderFix(a: TargetRun, fix: RunFix) {
    const text =
      fix.kind === 'model' ? `Use ${fix.modelId} and run again` : 'Use the local emulator';
    return html`<p>
      <button
        ?disabled=${fix.kind === 'model' && !this.rerunnable}
        @click=${() => this.dispatchEvent(new FixRunEvent(a.target.id, fix))}
      >
        ${text}
      </button>
    </p>`;
  }
}

customElements.define('bp-run-error', BpRunError);

declare global {
  interface HTMLElementTagNameMap {
    'bp-run-error': BpRunError;
  }
  interface HTMLElementEventMap {
    'run-first': RunFirstEvent;
    'fix-run': FixRunEvent;
  }
}
