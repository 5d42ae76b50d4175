import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { getStatus } from './api.ts';
import { StoreController } from './store-controller.ts';

/** Always visible at the bottom: which backend answers, with which profile and region. */
export class BpStatusBar extends LitElement {
  private readonly state = new StoreController(this, { notebook: true, runs: (id) => !id });

  /** Just after a start the server is still asking the credential chain: one request waits for it. */
  private readonly checking = new Task(this, {
    task: async ([checking], { signal }) => {
      const store = this.state.store;
      if (checking && store) store.status = await getStatus(signal, true);
    },
    args: () => [this.state.store?.status?.backend === 'checking'] as const,
  });

  static override styles = css`
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
  `;

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
    return html`<span class="backend"
      ><span class="dot"></span><strong>Amazon Bedrock</strong> · profile
      ${status.profile ?? 'default credential chain'} · ${status.region}</span
    >`;
  }

  protected override render() {
    return html`<span role="status" aria-label="Backend">${this.renderBackend()}</span>
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
