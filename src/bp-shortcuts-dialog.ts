import { LitElement, css, html } from 'lit';
import { SHORTCUTS, describeKeys } from './shortcuts.ts';
import type { Where } from './shortcuts.ts';

const GROUPS: readonly (readonly [Where, string])[] = [
  ['edit', 'In an editor'],
  ['cell', 'On a cell (command mode: Esc from its editor, or click its border)'],
  ['page', 'Anywhere (outside a text field)'],
];

/** The "?" dialog: every keyboard shortcut of the notebook. */
export class BpShortcutsDialog extends LitElement {
  static override styles = css`
    dialog {
      max-height: calc(100vh - 32px);
      overflow: auto;
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
      margin-bottom: 12px;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding: 4px 0;
      border-bottom: 1px solid var(--bp-border);
    }
    .note {
      margin: 0;
      font-size: 13px;
      color: var(--bp-muted);
    }
    th {
      width: 40%;
      text-align: left;
      padding: 6px 16px 6px 0;
      vertical-align: top;
    }
    td {
      padding: 6px 0;
      color: var(--bp-muted);
    }
    kbd {
      display: inline-block;
      margin: 1px 0;
      white-space: nowrap;
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
      ${GROUPS.map(
        ([where, title]) =>
          html`<table>
            <caption>
              ${title}
            </caption>
            <tbody>
              ${SHORTCUTS.filter((s) => s.where === where).map(
                (s) =>
                  html`<tr>
                    <th scope="row">
                      ${s.keys.map(
                        (keys, i) => html`${i ? ' or ' : ''}<kbd>${describeKeys(keys)}</kbd>`,
                      )}
                    </th>
                    <td>
                      ${s.description}${s.inEditor && where !== 'edit' ? ' (also in an editor)' : ''}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
      )}
      <p class="note">
        Tab indents in JSON editors (config, native body) and moves on in the others; Esc always
        leaves an editor.
      </p>
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
