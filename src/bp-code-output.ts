import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import './bp-code-editor.ts';
import { copyText, downloadText, mimeTypeOf } from './download.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';

/** What an export makes: a file's text and the name it is downloaded under. */
export interface GeneratedFile {
  code: string;
  fileName: string;
}

/**
 * Generated text shown read-only with highlighting (or why there is none), with Copy and
 * Download. A dumb view for the export dialogs: they choose what to generate, this shows it.
 */
export class BpCodeOutput extends LitElement {
  static override properties = {
    code: { attribute: false },
    problem: { type: String },
    fileName: { type: String, attribute: 'file-name' },
    language: { type: String },
    label: { type: String },
    wrap: { type: Boolean },
    copied: { state: true },
  };

  /** The text shown; undefined while it is being made or when it cannot be. */
  declare code: string | undefined;
  /** Why there is no code (shown as an alert); empty while it is still loading. */
  declare problem: string;
  /** The name a download is offered under (its extension picks the MIME type). */
  declare fileName: string;
  /** Monaco language id of the code. */
  declare language: string;
  /** The accessible name of the code's text box. */
  declare label: string;
  /** Wraps long lines (prose reads better wrapped, code scrolled sideways). */
  declare wrap: boolean;
  /** What the last Copy did, announced politely. */
  declare private copied: string;

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .code {
        border: 1px solid var(--bp-border);
        border-radius: 6px;
        min-height: 120px;
      }
      .problem {
        margin: 0;
        padding: 12px;
        color: var(--bp-danger);
        white-space: pre-wrap;
      }
      .actions {
        display: flex;
        align-items: center;
        justify-content: flex-end;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 12px;
      }
      .file {
        font: 12px var(--bp-mono);
        color: var(--bp-muted);
        overflow-wrap: anywhere;
      }
      .pending {
        color: var(--bp-muted);
      }
      .copied {
        margin-right: auto;
        font-size: 12px;
        color: var(--bp-ok);
      }
    `,
  ];

  constructor() {
    super();
    this.problem = '';
    this.fileName = '';
    this.language = 'plaintext';
    this.label = 'Code';
    this.wrap = false;
    this.copied = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // "Copied" speaks of the text that was copied, not of what replaced it.
    if (changed.has('code')) this.copied = '';
  }

  private async copy(code: string): Promise<void> {
    try {
      await copyText(code);
      this.copied = 'Copied to the clipboard.';
    } catch {
      this.copied = 'The browser did not allow copying: select the text and copy it instead.';
    }
  }

  protected override render() {
    const code = this.code;
    return html`<div class="code">
        ${
          code !== undefined
            ? html`<bp-code-editor
                readonly
                line-numbers
                .wrap=${this.wrap}
                language=${this.language}
                label=${this.label}
                max-height="520"
                .value=${code}
              ></bp-code-editor>`
            : this.problem
              ? html`<p class="problem" role="alert">${this.problem}</p>`
              : html`<p class="problem pending" role="status">Loading…</p>`
        }
      </div>
      <div class="actions">
        ${code !== undefined ? html`<span class="file">${this.fileName}</span>` : nothing}
        <span class="copied" role="status">${this.copied}</span>
        <button
          ?disabled=${code === undefined}
          @click=${() => code !== undefined && void this.copy(code)}
        >
          ${icons.copy} Copy
        </button>
        <button
          class="primary"
          ?disabled=${code === undefined}
          @click=${() =>
            code !== undefined && downloadText(this.fileName, code, mimeTypeOf(this.fileName))}
        >
          ${icons.download} Download
        </button>
      </div>`;
  }
}

customElements.define('bp-code-output', BpCodeOutput);

declare global {
  interface HTMLElementTagNameMap {
    'bp-code-output': BpCodeOutput;
  }
}
