import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { icons } from './icons.ts';

/** Something went wrong that the person should hear about; any element may dispatch it. */
export class AppErrorEvent extends Event {
  static readonly eventName = 'bp-error';
  constructor(
    readonly message: string,
    readonly cause?: unknown,
    readonly hint = '',
  ) {
    super(AppErrorEvent.eventName, { bubbles: true, composed: true });
  }
}

/** A button on a notice that acts on what it says ("Undo" on "Deleted cell 3"). */
export interface NoticeAction {
  label: string;
  run: () => void;
}

/** Something the person should know that is not a failure (a notebook reloaded from disk). */
export class AppNoticeEvent extends Event {
  static readonly eventName = 'bp-notice';
  constructor(
    readonly message: string,
    readonly action?: NoticeAction,
  ) {
    super(AppNoticeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** How long an informational notice stays (errors stay until dismissed). */
const NOTICE_MS = 8000;

interface Notice {
  id: number;
  message: string;
  detail: string;
  hint: string;
  info: boolean;
  action: NoticeAction | undefined;
}

let nextId = 0;

/**
 * The page's one notifier: listens for `bp-error` anywhere on the page and shows each as a
 * dismissible alert, and for `bp-notice`, shown as a status that fades after a while. (A model's
 * own error stays in its answer column instead.)
 */
export class BpNotifier extends LitElement {
  static override properties = { notices: { state: true } };
  declare private notices: Notice[];

  static override styles = css`
    :host {
      position: fixed;
      right: 16px;
      bottom: 48px;
      z-index: 20;
      display: flex;
      flex-direction: column;
      gap: 8px;
      max-width: min(440px, calc(100vw - 32px));
    }
    .notice {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 4px 12px;
      padding: 12px 14px;
      border-radius: var(--bp-radius);
      border: 1px solid var(--bp-danger);
      background: var(--bp-danger-soft);
      color: var(--bp-text);
      box-shadow: var(--bp-shadow);
    }
    strong {
      color: var(--bp-danger);
    }
    .notice.info {
      border-color: var(--bp-accent);
      background: var(--bp-accent-soft);
    }
    .info strong {
      color: var(--bp-text);
      font-weight: 500;
    }
    p {
      margin: 0;
      grid-column: 1;
      font-size: 13px;
    }
    button.action {
      grid-row: auto;
      grid-column: auto;
      border: 1px solid var(--bp-border-strong);
      border-radius: 999px;
      background: var(--bp-surface);
      color: var(--bp-text);
      padding: 2px 12px;
      font-weight: 600;
    }
    button:not(.action) {
      grid-row: 1;
      grid-column: 2;
      font: inherit;
      border: 0;
      background: transparent;
      color: var(--bp-muted);
      cursor: pointer;
      border-radius: 4px;
    }
    button:focus-visible {
      outline: 2px solid var(--bp-focus);
    }
  `;

  constructor() {
    super();
    this.notices = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(AppErrorEvent.eventName, this.onError);
    window.addEventListener(AppNoticeEvent.eventName, this.onNotice);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(AppErrorEvent.eventName, this.onError);
    window.removeEventListener(AppNoticeEvent.eventName, this.onNotice);
  }

  private readonly onError = (event: AppErrorEvent): void => {
    const cause = event.cause;
    const detail = cause instanceof Error && cause.message !== event.message ? cause.message : '';
    const hint = event.hint || ((cause as { hint?: unknown } | undefined)?.hint as string) || '';
    this.notices = [
      ...this.notices,
      { id: nextId++, message: event.message, detail, hint, info: false, action: undefined },
    ];
  };

  private readonly onNotice = (event: AppNoticeEvent): void => {
    const id = nextId++;
    this.notices = [
      ...this.notices,
      { id, message: event.message, detail: '', hint: '', info: true, action: event.action },
    ];
    // One with an action stays longer, so that it can be reached.
    setTimeout(() => this.dismiss(id), event.action ? 2 * NOTICE_MS : NOTICE_MS);
  };

  private dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  protected override render() {
    return html`${repeat(
      this.notices,
      (n) => n.id,
      (n) =>
        html`<div class="notice ${n.info ? 'info' : ''}" role=${n.info ? 'status' : 'alert'}>
          <strong>${n.message}</strong>
          <button type="button" aria-label="Dismiss" @click=${() => this.dismiss(n.id)}>
            ${icons.close}
          </button>
          ${n.detail ? html`<p>${n.detail}</p>` : ''} ${n.hint ? html`<p>${n.hint}</p>` : ''}
          ${
            n.action
              ? html`<p>
                  <button
                    class="action"
                    type="button"
                    @click=${() => {
                      this.dismiss(n.id);
                      n.action?.run();
                    }}
                  >
                    ${n.action.label}
                  </button>
                </p>`
              : ''
          }
        </div>`,
    )}`;
  }
}

customElements.define('bp-notifier', BpNotifier);

declare global {
  interface HTMLElementTagNameMap {
    'bp-notifier': BpNotifier;
  }
  interface HTMLElementEventMap {
    'bp-error': AppErrorEvent;
    'bp-notice': AppNoticeEvent;
  }
  interface WindowEventMap {
    'bp-error': AppErrorEvent;
    'bp-notice': AppNoticeEvent;
  }
}
