import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { AppErrorEvent } from './bp-notifier.ts';
import { filesContext } from './notebook-files.ts';
import type { NotebookFiles, Unreadable } from './notebook-files.ts';
import { controlStyles } from './shared-styles.ts';

/** Asks the page to show the notebook list. */
export class OpenListEvent extends Event {
  static readonly eventName = 'open-list';
  constructor() {
    super(OpenListEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * A notebook file that does not parse, shown instead of the notebook: the parse error with its
 * line, and the file's text with that line marked, so it can be fixed in an editor (nothing is
 * changed here) and opened again.
 */
export class BpUnreadableNotebook extends LitElement {
  static override properties = { file: { attribute: false } };
  /** The file that could not be read. */
  declare file: Unreadable | undefined;

  private files: NotebookFiles | undefined;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        max-width: 960px;
        margin: 0 auto;
      }
      section {
        border: 1px solid var(--bp-danger);
        border-radius: var(--bp-radius);
        background: var(--bp-surface);
        padding: 16px 20px;
      }
      h2 {
        margin: 0 0 8px;
        font-size: 17px;
      }
      .error {
        margin: 0 0 12px;
        color: var(--bp-danger);
        font-family: var(--bp-mono);
        font-size: 13px;
        white-space: pre-wrap;
      }
      .actions {
        display: flex;
        gap: 8px;
        margin-bottom: 12px;
      }
      ol {
        margin: 0;
        padding: 8px 0;
        max-height: 60vh;
        overflow: auto;
        font: 12px/1.6 var(--bp-mono);
        background: var(--bp-surface-2);
        border: 1px solid var(--bp-border);
        border-radius: 6px;
        counter-reset: line;
        list-style: none;
      }
      li {
        display: grid;
        grid-template-columns: 4em 1fr;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      li::before {
        counter-increment: line;
        content: counter(line);
        color: var(--bp-muted);
        text-align: right;
        padding-right: 12px;
      }
      li.bad {
        background: var(--bp-danger-soft);
        box-shadow: inset 3px 0 var(--bp-danger);
      }
    `,
  ];

  constructor() {
    super();
    new ContextConsumer(this, {
      context: filesContext,
      subscribe: true,
      callback: (files) => (this.files = files),
    });
  }

  private async retry(): Promise<void> {
    const name = this.file?.name;
    if (name === undefined) return;
    try {
      await this.files?.open(name);
    } catch (error) {
      this.dispatchEvent(new AppErrorEvent(`Could not open the notebook "${name}".`, error));
    }
  }

  protected override render() {
    const file = this.file;
    if (!file) return nothing;
    const bad = Number(/\bline (\d+)/.exec(file.message)?.[1] ?? 0);
    return html`<section aria-labelledby="title">
      <h2 id="title">“${file.name}” cannot be opened</h2>
      <p class="error" role="alert">${file.message}</p>
      <div class="actions">
        <button class="primary" @click=${() => void this.retry()}>Open it again</button>
        <button @click=${() => this.dispatchEvent(new OpenListEvent())}>
          Open another notebook
        </button>
      </div>
      <ol aria-label="Text of ${file.name}.md" tabindex="0">
        ${file.text
          .split('\n')
          .map(
            (line, i) =>
              html`<li
                class=${i + 1 === bad ? 'bad' : ''}
                aria-current=${i + 1 === bad ? 'true' : 'false'}
              >
                ${line}
              </li>`,
          )}
      </ol>
    </section>`;
  }
}

customElements.define('bp-unreadable-notebook', BpUnreadableNotebook);

declare global {
  interface HTMLElementTagNameMap {
    'bp-unreadable-notebook': BpUnreadableNotebook;
  }
  interface HTMLElementEventMap {
    'open-list': OpenListEvent;
  }
}
