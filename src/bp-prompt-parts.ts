import { LitElement, css, html, nothing } from 'lit';
import {
  ATTACHMENT_LIMITS,
  DOCUMENT_FORMATS,
  DUPLICATE_DOCUMENT_NAMES,
  formatFromName,
  formatSize,
  IMAGE_FORMATS,
  oversize,
  unsupportedFormat,
} from '../cells/attachments.ts';
import type { Cell, PromptPart } from '../cells/notebook.ts';
import { attachmentUrl, uploadAttachment } from './api-attachments.ts';
import {
  attachmentInfo,
  describeFile,
  infoEvents,
  namePasted,
  remember,
} from './attachment-info.ts';
import './bp-attachment-preview.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

type PromptCell = Extract<Cell, { kind: 'prompt' }>;

const ACCEPT = [...IMAGE_FORMATS, 'jpg', ...DOCUMENT_FORMATS].map((f) => `.${f}`).join(',');

/**
 * A prompt's parts after its text: images and documents as chips (a thumbnail or the format,
 * the name, format and size), more text, each reorderable (buttons, or Alt+↑/↓ on a part) and
 * removable, with a preview. Files come by the file chooser, by dropping them here, or by pasting
 * an image into the prompt; each is checked against Bedrock's formats and sizes before it is
 * uploaded (once: the part then names the stored file).
 */
export class BpPromptParts extends LitElement {
  static override properties = {
    cell: { attribute: false },
    number: { type: Number },
    problem: { state: true },
    dragging: { state: true },
  };

  /** The prompt cell whose parts are shown. */
  declare cell: PromptCell | undefined;
  /** The cell's number, from 1, for accessible names. */
  declare number: number;
  declare private problem: string;
  declare private dragging: boolean;

  private readonly state = new StoreController(this, {});

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        padding: 0 8px 6px;
      }
      .zone {
        border: 1px dashed transparent;
        border-radius: 6px;
        padding: 4px;
      }
      .zone.dragging {
        border-color: var(--bp-accent);
        background: var(--bp-surface-2);
      }
      ol {
        list-style: none;
        margin: 0 0 6px;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 6px;
      }
      li {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        border: 1px solid var(--bp-border);
        border-radius: 6px;
        padding: 4px 6px;
        background: var(--bp-surface);
      }
      li:focus-within {
        border-color: var(--bp-accent);
      }
      img.thumb,
      .badge {
        width: 48px;
        height: 36px;
        object-fit: cover;
        border-radius: 4px;
        background: var(--bp-surface-2);
        display: inline-flex;
        align-items: center;
        justify-content: center;
        font: 600 11px var(--bp-mono);
        text-transform: uppercase;
      }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta {
        color: var(--bp-muted);
        font-size: 12px;
      }
      .spacer {
        flex: 1;
      }
      textarea {
        flex: 1 1 100%;
        min-height: 3em;
        font: inherit;
        padding: 4px 6px;
        border: 1px solid var(--bp-border);
        border-radius: 4px;
        background: var(--bp-surface);
        color: inherit;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        font-size: 13px;
        color: var(--bp-muted);
      }
      label.attach {
        position: relative;
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 3px 10px;
        border: 1px solid var(--bp-border-strong);
        border-radius: 6px;
        cursor: pointer;
        color: var(--bp-text);
      }
      label.attach:focus-within {
        outline: 2px solid var(--bp-focus);
        outline-offset: 2px;
      }
      label.attach input {
        position: absolute;
        opacity: 0;
        width: 1px;
        height: 1px;
      }
      .problem {
        color: var(--bp-danger);
        font-size: 12px;
        margin: 4px 0 0;
        white-space: pre-wrap;
      }
    `,
  ];

  constructor() {
    super();
    this.number = 0;
    this.problem = '';
    this.dragging = false;
  }

  private readonly onInfo = (): void => this.requestUpdate();
  private pasteTarget: Node | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    infoEvents.addEventListener('attachment-info', this.onInfo);
    // A paste in the prompt's editor (a sibling, in the same shadow root) passes its root: caught
    // there on the way down, before the editor takes it as text.
    this.pasteTarget = this.getRootNode();
    this.pasteTarget.addEventListener('paste', this.onPaste, { capture: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    infoEvents.removeEventListener('attachment-info', this.onInfo);
    this.pasteTarget?.removeEventListener('paste', this.onPaste, { capture: true });
  }

  private readonly onPaste = (event: Event): void => {
    const files = [...((event as ClipboardEvent).clipboardData?.files ?? [])];
    const images = files.filter((file) => file.type.startsWith('image/'));
    if (!images.length) return;
    event.preventDefault();
    event.stopPropagation();
    void this.attach(images.map(namePasted));
  };

  private setParts(parts: PromptPart[]): void {
    const cell = this.cell;
    const store = this.state.store;
    if (!cell || !store) return;
    store.updateCell({ ...cell, parts });
    store.sealEdits();
  }

  /**
   * Checks each file against Bedrock's formats and sizes, uploads the ones that pass and adds
   * them in order; the first refusal is said, and nothing is added for the refused file.
   */
  private async attach(files: File[]): Promise<void> {
    const problems: string[] = [];
    const added: PromptPart[] = [];
    for (const file of files) {
      const type = formatFromName(file.name);
      if (!type) {
        problems.push(`${unsupportedFormat(file.name)}.`);
        continue;
      }
      const tooLarge = oversize(type.kind, file.name, file.size);
      if (tooLarge) {
        problems.push(`${tooLarge}.`);
        continue;
      }
      try {
        const uploaded = await uploadAttachment(file);
        remember(uploaded.file, uploaded);
        const taken = [...(this.cell?.parts ?? []), ...added].filter(
          (part) => part.kind === 'document' && part.name === uploaded.name,
        );
        if (uploaded.kind === 'document' && taken.length) {
          problems.push(
            `${DUPLICATE_DOCUMENT_NAMES} This prompt already has a document named "${uploaded.name}": rename the file, or the document already attached, first.`,
          );
          continue;
        }
        added.push({
          kind: uploaded.kind,
          file: uploaded.file,
          format: uploaded.format,
          name: uploaded.name,
        } as PromptPart);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    this.problem = problems.join('\n');
    if (added.length && this.cell) this.setParts([...this.cell.parts, ...added]);
  }

  private move(index: number, by: -1 | 1): void {
    const parts = [...(this.cell?.parts ?? [])];
    const to = index + by;
    if (to < 0 || to >= parts.length) return;
    [parts[index], parts[to]] = [parts[to]!, parts[index]!];
    this.setParts(parts);
    // The keyboard stays on the part it moved: on the same button, or the other one at an end.
    void this.updateComplete.then(() => {
      const item = this.renderRoot.querySelectorAll('li')[to];
      const same = by < 0 ? 'up' : 'down';
      const other = by < 0 ? 'down' : 'up';
      item
        ?.querySelector<HTMLButtonElement>(
          `button.${same}:not([disabled]), button.${other}:not([disabled])`,
        )
        ?.focus();
    });
  }

  private removePart(index: number): void {
    const parts = [...(this.cell?.parts ?? [])];
    parts.splice(index, 1);
    this.setParts(parts);
  }

  private update_(index: number, part: PromptPart): void {
    const parts = [...(this.cell?.parts ?? [])];
    parts[index] = part;
    if (this.cell) this.state.store?.updateCell({ ...this.cell, parts });
  }

  private readonly onKeyDown = (event: KeyboardEvent, index: number): void => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    if (event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement)
      return;
    event.preventDefault();
    event.stopPropagation();
    this.move(index, event.key === 'ArrowUp' ? -1 : 1);
  };

  private readonly onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  private readonly onDrop = (event: DragEvent): void => {
    const files = [...(event.dataTransfer?.files ?? [])];
    this.dragging = false;
    if (!files.length) return;
    event.preventDefault();
    void this.attach(files);
  };

  protected override render() {
    const cell = this.cell;
    if (!cell) return nothing;
    const n = this.number;
    const parts = cell.parts;
    return html`<div
      class="zone ${this.dragging ? 'dragging' : ''}"
      role="group"
      aria-label="Attachments of cell ${n}"
      @dragover=${this.onDragOver}
      @dragleave=${() => (this.dragging = false)}
      @drop=${this.onDrop}
    >
      ${
        parts.length
          ? html`<ol aria-label="Parts after the prompt text of cell ${n}">
              ${parts.map((part, i) => this.renderPart(part, i, parts.length))}
            </ol>`
          : nothing
      }
      <div class="bar">
        <label class="attach"
          >Attach files…
          <input
            type="file"
            multiple
            accept=${ACCEPT}
            aria-label="Attach images or documents to cell ${n}"
            @change=${(e: Event) => {
              const input = e.target as HTMLInputElement;
              const files = [...(input.files ?? [])];
              input.value = '';
              void this.attach(files);
            }}
        /></label>
        <button
          aria-label="Add text after the parts of cell ${n}"
          @click=${() => this.setParts([...parts, { kind: 'text', text: '' }])}
        >
          Add text
        </button>
        <span
          >or drop files here, or paste an image. Images: ${IMAGE_FORMATS.join(', ')} up to
          ${formatSize(ATTACHMENT_LIMITS.imageBytes)}; documents: ${DOCUMENT_FORMATS.join(', ')} up
          to ${formatSize(ATTACHMENT_LIMITS.documentBytes)}.</span
        >
      </div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      <bp-attachment-preview></bp-attachment-preview>
    </div>`;
  }

  private renderPart(part: PromptPart, index: number, count: number) {
    const n = this.number;
    const label = part.kind === 'text' ? `text ${index + 1}` : part.name;
    const moves = html`<button
        class="icon up"
        aria-label="Move ${label} up"
        title="Move up (Alt+↑)"
        ?disabled=${index === 0}
        @click=${() => this.move(index, -1)}
      >
        ↑
      </button>
      <button
        class="icon down"
        aria-label="Move ${label} down"
        title="Move down (Alt+↓)"
        ?disabled=${index === count - 1}
        @click=${() => this.move(index, 1)}
      >
        ↓
      </button>
      <button
        class="icon"
        aria-label="Remove ${label}"
        title="Remove"
        @click=${() => this.removePart(index)}
      >
        ✕
      </button>`;
    if (part.kind === 'text') {
      return html`<li @keydown=${(e: KeyboardEvent) => this.onKeyDown(e, index)}>
        <textarea
          aria-label="Text ${index + 1} after the prompt of cell ${n}"
          .value=${part.text}
          @input=${(e: Event) =>
            this.update_(index, { kind: 'text', text: (e.target as HTMLTextAreaElement).value })}
          @blur=${() => this.state.store?.sealEdits()}
        ></textarea>
        ${moves}
      </li>`;
    }
    const info = attachmentInfo(part.file);
    const missing = info && 'error' in info;
    return html`<li
      aria-label="${part.kind === 'image' ? 'Image' : 'Document'} ${part.name}"
      @keydown=${(e: KeyboardEvent) => this.onKeyDown(e, index)}
    >
      ${
        part.kind === 'image' && !missing
          ? html`<img class="thumb" src=${attachmentUrl(part.file)} alt="" />`
          : html`<span class="badge" aria-hidden="true">${part.format}</span>`
      }
      <span class="name">${part.name}</span>
      <span class="meta">${part.format} · ${describeFile(part.file)}</span>
      ${
        part.kind === 'document'
          ? html`<input
              aria-label="Name of document ${part.name}"
              title="The name Bedrock is given: letters, digits, single spaces, hyphens, parentheses, square brackets"
              .value=${part.name}
              @change=${(e: Event) =>
                this.setParts(
                  (this.cell?.parts ?? []).map((p, i) =>
                    i === index ? { ...part, name: (e.target as HTMLInputElement).value } : p,
                  ),
                )}
            />`
          : nothing
      }
      <span class="spacer"></span>
      <button
        aria-label="Preview ${part.name}"
        aria-haspopup="dialog"
        @click=${() => void this.renderRoot.querySelector('bp-attachment-preview')?.show(part)}
      >
        Preview
      </button>
      ${moves}
    </li>`;
  }
}

customElements.define('bp-prompt-parts', BpPromptParts);

declare global {
  interface HTMLElementTagNameMap {
    'bp-prompt-parts': BpPromptParts;
  }
}
