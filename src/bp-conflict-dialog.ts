import { LitElement, css, html } from 'lit';
import { AppErrorEvent, AppNoticeEvent } from './bp-notifier.ts';
import type { NotebookFiles } from './notebook-files.ts';
import { controlStyles, dialogStyles } from './shared-styles.ts';
import { FilesController } from './store-controller.ts';

/**
 * Shown when the notebook's file changed on disk (another window, a text editor, git) while this
 * page has edits it has not saved: reload the file from disk (dropping those edits) or keep both
 * (the edits are saved beside it under a new name). Nothing is overwritten without a choice.
 */
export class BpConflictDialog extends LitElement {
  static override properties = { busy: { state: true } };
  declare private busy: boolean;

  private readonly state = new FilesController(this, () => this.onChange());

  private get files(): NotebookFiles | undefined {
    return this.state.files;
  }

  static override styles = [
    controlStyles,
    dialogStyles,
    css`
      dialog {
        --bp-dialog-width: 520px;
      }
      p {
        margin: 0 0 10px;
      }
      ul {
        margin: 0;
        padding-left: 20px;
        color: var(--bp-muted);
      }
      li + li {
        margin-top: 4px;
      }
    `,
  ];

  constructor() {
    super();
    this.busy = false;
  }

  /** Opens the dialog when a conflict appears, and closes it when the conflict is resolved. */
  private readonly onChange = (): void => {
    const dialog = this.dialog;
    if (this.files?.conflict && !dialog?.open) this.show();
    if (!this.files?.conflict && dialog?.open) dialog.close();
  };

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  /** Opens the dialog if there is a conflict to resolve. */
  show(): void {
    void this.updateComplete.then(() => {
      if (this.files?.conflict && !this.dialog?.open) this.dialog?.showModal();
    });
  }

  private async resolve(how: 'reload' | 'keep' | 'again'): Promise<void> {
    const files = this.files;
    if (!files) return;
    this.busy = true;
    try {
      if (how === 'reload') await files.reloadFromDisk();
      else if (how === 'again') await files.saveAgain();
      else {
        const copy = await files.keepBoth();
        this.dispatchEvent(
          new AppNoticeEvent(`Your version is saved as "${copy}"; the file on disk is unchanged.`),
        );
      }
      this.dialog?.close();
    } catch (error) {
      this.dispatchEvent(new AppErrorEvent('The conflict could not be resolved.', error));
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    const conflict = this.files?.conflict;
    const deleted = conflict?.diskVersion === null;
    return html`<dialog role="alertdialog" aria-labelledby="title" aria-describedby="what">
      <div class="dialog-head">
        <h2 id="title">
          ${deleted ? 'The notebook’s file is gone' : 'The notebook changed on disk'}
        </h2>
      </div>
      <div class="dialog-body">
        <p id="what">
          ${conflict?.message ?? ''} Your edits here are not saved yet, and saving them would
          overwrite ${deleted ? 'nothing: the file was deleted or renamed' : 'the other changes'}.
        </p>
        ${
          deleted
            ? html`<ul>
                <li><strong>Save it again</strong> writes your notebook back under its name.</li>
              </ul>`
            : html`<ul>
                <li>
                  <strong>Reload from disk</strong> shows the file as it is now; your edits here are
                  dropped.
                </li>
                <li>
                  <strong>Keep both</strong> leaves the file on disk as it is and saves your version
                  beside it under a new name.
                </li>
              </ul>`
        }
      </div>
      <div class="dialog-foot">
        ${
          deleted
            ? html`<button
                class="primary"
                ?disabled=${this.busy}
                @click=${() => void this.resolve('again')}
              >
                Save it again
              </button>`
            : html`<button ?disabled=${this.busy} @click=${() => void this.resolve('reload')}>
                  Reload from disk
                </button>
                <button
                  class="primary"
                  ?disabled=${this.busy}
                  @click=${() => void this.resolve('keep')}
                >
                  Keep both
                </button>`
        }
      </div>
    </dialog>`;
  }
}

customElements.define('bp-conflict-dialog', BpConflictDialog);

declare global {
  interface HTMLElementTagNameMap {
    'bp-conflict-dialog': BpConflictDialog;
  }
}
