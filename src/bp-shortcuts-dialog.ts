import { LitElement, css, html } from 'lit';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl';

const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['Shift+Enter', 'Run the cell and move to the next one'],
  [`${mod}+Enter`, 'Run the cell and stay on it'],
  [`${mod}+Shift+Enter`, 'Run all cells'],
  ['Esc', 'Stop every answer that is streaming (partial text is kept)'],
  ['↑ / ↓', 'On a focused cell: go to the previous or next cell'],
  ['Enter', 'On a focused cell: edit it'],
  [isMac ? 'Ctrl+Shift+M' : 'Ctrl+M', 'In an editor: let Tab move focus instead of indenting'],
  ['?', 'Show this list'],
];

/** The "?" dialog: every keyboard shortcut of the notebook. */
export class BpShortcutsDialog extends LitElement {
  static override styles = css`
    dialog {
      border: 1px solid var(--bp-border);
      border-radius: 12px;
      padding: 20px 24px;
      background: var(--bp-surface);
      color: var(--bp-text);
      box-shadow: var(--bp-shadow);
      max-width: min(560px, calc(100vw - 32px));
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 35%);
    }
    h2 {
      margin: 0 0 12px;
      font-size: 18px;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th {
      text-align: left;
      white-space: nowrap;
      padding: 6px 16px 6px 0;
      vertical-align: top;
    }
    td {
      padding: 6px 0;
      color: var(--bp-muted);
    }
    kbd {
      font: 12px var(--bp-mono);
      border: 1px solid var(--bp-border-strong);
      border-bottom-width: 2px;
      border-radius: 4px;
      padding: 1px 6px;
      background: var(--bp-surface-2);
    }
    form {
      margin-top: 16px;
      text-align: right;
    }
    button {
      font: inherit;
      padding: 6px 16px;
      border-radius: 999px;
      border: 1px solid var(--bp-border-strong);
      background: var(--bp-surface);
      color: var(--bp-text);
      cursor: pointer;
    }
    button:focus-visible {
      outline: 2px solid var(--bp-focus);
      outline-offset: 2px;
    }
  `;

  /** Opens the dialog (modal; Esc or the button closes it). */
  show(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  protected override render() {
    return html`<dialog aria-labelledby="title">
      <h2 id="title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          ${SHORTCUTS.map(
            ([keys, what]) =>
              html`<tr>
                <th scope="row"><kbd>${keys}</kbd></th>
                <td>${what}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <form method="dialog"><button>Close</button></form>
    </dialog>`;
  }
}

customElements.define('bp-shortcuts-dialog', BpShortcutsDialog);

declare global {
  interface HTMLElementTagNameMap {
    'bp-shortcuts-dialog': BpShortcutsDialog;
  }
}
