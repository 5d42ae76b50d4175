import { LitElement, css, html, nothing } from 'lit';

/** The number of words of a text, as the fold counts reasoning. */
export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

/**
 * A model's reasoning (extended thinking), in its own fold above the answer: closed by default,
 * its summary counting the words as they stream, so a long think shows progress without pushing
 * the answer down. Bedrock bills these tokens as output: the fold says so.
 */
export class BpReasoningFold extends LitElement {
  static override properties = {
    text: { type: String },
    label: { type: String },
    streaming: { type: Boolean },
  };
  /** The reasoning so far. */
  declare text: string;
  /** The target's label, for the fold's name: "Reasoning of {label}". */
  declare label: string;
  /** The reasoning is still arriving. */
  declare streaming: boolean;

  static override styles = css`
    :host {
      display: block;
      margin: 0 12px 4px;
    }
    details {
      border: 1px solid var(--bp-border);
      border-radius: 6px;
      background: var(--bp-surface-2);
    }
    summary {
      padding: 4px 10px;
      font-size: 12px;
      color: var(--bp-muted);
      cursor: pointer;
    }
    .text {
      margin: 0;
      padding: 4px 10px 8px;
      max-height: 240px;
      overflow: auto;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      font-size: 13px;
      color: var(--bp-muted);
    }
    .note {
      margin: 0;
      padding: 0 10px 6px;
      font-size: 11px;
      color: var(--bp-muted);
    }
  `;

  constructor() {
    super();
    this.text = '';
    this.label = '';
    this.streaming = false;
  }

  protected override render() {
    if (!this.text) return nothing;
    const words = wordCount(this.text);
    return html`<details aria-label="Reasoning of ${this.label}">
      <summary>
        Reasoning · ${words} ${words === 1 ? 'word' : 'words'}${this.streaming ? '…' : ''}
      </summary>
      <p class="text">${this.text}</p>
      <p class="note">Bedrock counts the reasoning in the output tokens.</p>
    </details>`;
  }
}

customElements.define('bp-reasoning-fold', BpReasoningFold);

declare global {
  interface HTMLElementTagNameMap {
    'bp-reasoning-fold': BpReasoningFold;
  }
}
