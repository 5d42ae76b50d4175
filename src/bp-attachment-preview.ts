import { LitElement, css, html, nothing } from 'lit';
import type { PromptPart } from '../cells/notebook.ts';
import { attachmentUrl } from './api-attachments.ts';
import { describeFile } from './attachment-info.ts';
import { controlStyles } from './shared-styles.ts';

type AttachmentPart = Exclude<PromptPart, { kind: 'text' }>;

/** Documents shown as their text; never rendered, so an html file is only ever read. */
const TEXT_DOCUMENTS = new Set(['txt', 'md', 'csv', 'html']);
/** How much of a text document the preview shows. */
const PREVIEW_CHARS = 4000;

/**
 * The preview of one attachment, in a modal dialog: an image itself, the first characters of a
 * text document, or for other formats a download link. `show(part)` opens it.
 */
export class BpAttachmentPreview extends LitElement {
  static override properties = {
    shown: { state: true },
    text: { state: true },
  };

  declare private shown: AttachmentPart | undefined;
  declare private text: string | undefined;

  static override styles = [
    controlStyles,
    css`
      .meta {
        color: var(--bp-muted);
        font-size: 12px;
      }
      img {
        max-width: min(80vw, 800px);
        max-height: 70vh;
      }
      pre {
        max-width: min(80vw, 800px);
        max-height: 60vh;
        overflow: auto;
        white-space: pre-wrap;
      }
    `,
  ];

  constructor() {
    super();
    this.shown = undefined;
    this.text = undefined;
  }

  async show(part: AttachmentPart): Promise<void> {
    this.shown = part;
    this.text = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
    if (part.kind === 'document' && TEXT_DOCUMENTS.has(part.format)) {
      const response = await fetch(attachmentUrl(part.file));
      const text = response.ok
        ? await response.text()
        : `Could not read the file (${response.status}).`;
      if (this.shown === part) this.text = text.slice(0, PREVIEW_CHARS);
    }
  }

  protected override render() {
    const part = this.shown;
    if (!part) return nothing;
    const body =
      part.kind === 'image'
        ? html`<img src=${attachmentUrl(part.file)} alt="Preview of ${part.name}" />`
        : TEXT_DOCUMENTS.has(part.format)
          ? html`<pre>${this.text ?? 'Reading…'}</pre>`
          : html`<p>
              No preview of ${part.format} files here.
              <a href=${attachmentUrl(part.file)} download=${`${part.name}.${part.format}`}
                >Download it</a
              >.
            </p>`;
    return html`<dialog
      aria-label="Preview of ${part.name}"
      @close=${() => (this.shown = undefined)}
      @keydown=${(e: KeyboardEvent) => {
        // Escape is the dialog's (it closes): not the cell's, which would take it back.
        if (e.key === 'Escape') e.stopPropagation();
      }}
    >
      <h3>${part.name}</h3>
      <p class="meta">${part.format} · ${describeFile(part.file)} · ${part.file}</p>
      ${body}
      <form method="dialog"><button>Close</button></form>
    </dialog>`;
  }
}

customElements.define('bp-attachment-preview', BpAttachmentPreview);

declare global {
  interface HTMLElementTagNameMap {
    'bp-attachment-preview': BpAttachmentPreview;
  }
}
