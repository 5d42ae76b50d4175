import { LitElement, css, html, nothing } from 'lit';
import type { SaveState } from './notebook-files.ts';
import { controlStyles } from './shared-styles.ts';
import { FilesController } from './store-controller.ts';

const LABELS: Record<Exclude<SaveState, 'invalid'>, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  unsaved: 'Unsaved changes',
  failed: 'Not saved',
  conflict: 'Changed on disk',
};

/** Asks the page to show the open conflict again (its dialog was dismissed). */
export class ResolveConflictEvent extends Event {
  static readonly eventName = 'resolve-conflict';
  constructor() {
    super(ResolveConflictEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Whether the notebook on screen is on disk: "Saved" (what is on disk is what is on screen),
 * "Saving…", "Unsaved changes", or what stops it from being saved ("Not saved: cell 3 is not valid
 * JSON"), with the action that helps (retry, resolve the conflict).
 */
export class BpSaveStatus extends LitElement {
  private readonly state = new FilesController(this);

  static override styles = [
    controlStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        font-size: 12px;
        color: var(--bp-muted);
        white-space: nowrap;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--bp-ok);
      }
      .unsaved .dot,
      .saving .dot {
        background: var(--bp-warn);
      }
      .failed,
      .conflict,
      .invalid {
        color: var(--bp-danger);
        font-weight: 600;
      }
      .failed .dot,
      .conflict .dot,
      .invalid .dot {
        background: var(--bp-danger);
      }
      .invalid {
        white-space: normal;
      }
      [role='status'] {
        display: inline-flex;
        align-items: center;
        gap: 6px;
      }
      button {
        min-height: 24px;
        padding: 0 10px;
        font-size: 12px;
      }
    `,
  ];

  protected override render() {
    const files = this.state.files;
    if (!files) return nothing;
    const state = files.shown;
    const why = state === 'failed' ? files.problem : (files.conflict?.message ?? '');
    const label = state === 'invalid' ? `Not saved: ${files.unsaveable}` : LABELS[state];
    return html`<span class=${state} role="status" aria-label="Save state" title=${why}
        ><span class="dot" aria-hidden="true"></span>${label}</span
      >${
        state === 'failed'
          ? html`<button @click=${() => void files.retry()}>Retry saving</button>`
          : state === 'conflict'
            ? html`<button @click=${() => this.dispatchEvent(new ResolveConflictEvent())}>
                Resolve…
              </button>`
            : nothing
      }`;
  }
}

customElements.define('bp-save-status', BpSaveStatus);

declare global {
  interface HTMLElementTagNameMap {
    'bp-save-status': BpSaveStatus;
  }
  interface HTMLElementEventMap {
    'resolve-conflict': ResolveConflictEvent;
  }
}
