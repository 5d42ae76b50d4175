import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { getStatus } from './api.ts';
import './bp-backend-dialog.ts';
import type { BpBackendDialog } from './bp-backend-dialog.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/**
 * Always visible at the bottom: which backend answers, with which profile (or Bedrock API key)
 * and Region, or why none does; "Backend…" switches profile, Region or to the emulator.
 */
export class BpStatusBar extends LitElement {
  private readonly state = new StoreController(this, {
    notebook: true,
    runs: (id) => !id,
    backend: true,
  });

  /** Just after a start the server is still asking the credential chain: one request waits for it. */
  private readonly checking = new Task(this, {
    task: async ([checking], { signal }) => {
      const store = this.state.store;
      if (checking && store) store.setBackend(await getStatus(signal, true));
    },
    args: () => [this.state.store?.status?.backend === 'checking'] as const,
  });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: 16px;
        padding: 4px 16px;
        min-height: 28px;
        font-size: 12px;
        color: var(--bp-muted);
        background: var(--bp-surface);
        border-top: 1px solid var(--bp-border);
      }
      .backend {
        display: inline-flex;
        align-items: center;
        gap: 8px;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--bp-ok);
      }
      .synthetic .dot {
        background: var(--bp-warn);
      }
      .synthetic strong {
        color: var(--bp-warn);
      }
      .spacer {
        flex: 1;
      }
      .none {
        color: var(--bp-danger);
      }
      .none .dot {
        background: var(--bp-danger);
      }
      button {
        min-height: 22px;
        padding: 0 10px;
        font-size: 12px;
      }
    `,
  ];

  private get dialog(): BpBackendDialog | null {
    return this.renderRoot.querySelector('bp-backend-dialog');
  }

  private renderBackend() {
    const status = this.state.store?.status;
    if (!status) return html`<span>Connecting to the local server…</span>`;
    if (status.backend === 'checking') {
      return this.checking.status === TaskStatus.ERROR
        ? html`<span>The server did not say which backend it uses; reload to ask again.</span>`
        : html`<span>Checking credentials…</span>`;
    }
    if (status.backend === 'emulator') {
      return html`<span class="backend synthetic"
        ><span class="dot"></span><strong>Offline emulator</strong> — answers are synthetic (region
        ${status.region})</span
      >`;
    }
    if (status.backend === 'none') {
      return html`<span class="backend none"
        ><span class="dot"></span><strong>No backend</strong> · profile ${status.profile ?? '—'} ·
        ${status.region} — ${status.problem?.message ?? 'the credentials failed'}</span
      >`;
    }
    const who =
      status.auth === 'api-key'
        ? 'Bedrock API key'
        : `profile ${status.profile ?? 'default credential chain'}`;
    return html`<span class="backend"
      ><span class="dot"></span><strong>Amazon Bedrock</strong> · ${who} · ${status.region}</span
    >`;
  }

  protected override render() {
    return html`<span role="status" aria-label="Backend">${this.renderBackend()}</span>
      <button
        title="Choose Amazon Bedrock with a profile and Region, or the local emulator"
        ?disabled=${!this.state.store?.status || this.state.store.status.backend === 'checking'}
        @click=${() => this.dialog?.show()}
      >
        Backend…
      </button>
      <bp-backend-dialog></bp-backend-dialog>
      <span class="spacer"></span>
      <span aria-live="polite">${this.state.store?.running ? 'Running…' : ''}</span>
      <span>Press <kbd>?</kbd> for shortcuts</span>`;
  }
}

customElements.define('bp-status-bar', BpStatusBar);

declare global {
  interface HTMLElementTagNameMap {
    'bp-status-bar': BpStatusBar;
  }
}
