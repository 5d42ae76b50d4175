import { diffWords } from 'diff';
import { LitElement, css, html } from 'lit';

/**
 * Two answers compared word by word (jsdiff's `diffWords`): words only in the newer one are
 * marked as insertions (`<ins>`), words only in the older one as deletions (`<del>`). Screen
 * readers hear where each change starts and ends (the CSS adds the words, hidden from sight).
 */
export class BpRunDiff extends LitElement {
  static override properties = {
    older: { type: String },
    newer: { type: String },
    label: { type: String },
  };

  /** The older text. */
  declare older: string;
  /** The newer text. */
  declare newer: string;
  /** What the comparison is called ("Run 1 → run 2 of Claude 3 Haiku"). */
  declare label: string;

  static override styles = css`
    :host {
      display: block;
    }
    .summary {
      margin: 0 0 6px;
      font-size: 12px;
      color: var(--bp-muted);
    }
    .summary .added {
      color: var(--bp-ok);
    }
    .summary .removed {
      color: var(--bp-danger);
    }
    .text {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      font: 13px/1.6 var(--bp-font);
    }
    ins,
    del {
      text-decoration: none;
      border-radius: 3px;
      padding: 0 1px;
    }
    ins {
      background: color-mix(in srgb, var(--bp-ok) 18%, transparent);
      box-shadow: inset 0 -2px color-mix(in srgb, var(--bp-ok) 55%, transparent);
    }
    del {
      background: color-mix(in srgb, var(--bp-danger) 14%, transparent);
      text-decoration: line-through;
      text-decoration-color: color-mix(in srgb, var(--bp-danger) 70%, transparent);
    }
    del + ins {
      margin-left: 2px;
    }
    ins::before,
    ins::after,
    del::before,
    del::after {
      clip-path: inset(100%);
      clip: rect(1px, 1px, 1px, 1px);
      height: 1px;
      width: 1px;
      overflow: hidden;
      position: absolute;
      white-space: nowrap;
    }
    ins::before {
      content: ' [added: ';
    }
    del::before {
      content: ' [removed: ';
    }
    ins::after,
    del::after {
      content: '] ';
    }
  `;

  constructor() {
    super();
    this.older = '';
    this.newer = '';
    this.label = 'Changes';
  }

  protected override render() {
    const parts = diffWords(this.older, this.newer);
    const count = (text: string) => text.split(/\s+/).filter(Boolean).length;
    const added = parts.filter((p) => p.added).reduce((n, p) => n + count(p.value), 0);
    const removed = parts.filter((p) => p.removed).reduce((n, p) => n + count(p.value), 0);
    // Inline, so the paragraph holds the two texts' words and whitespace and nothing else.
    const body = parts.map((p) =>
      p.added ? html`<ins>${p.value}</ins>` : p.removed ? html`<del>${p.value}</del>` : p.value,
    );
    return html`<p class="summary">
        ${
          added || removed
            ? html`<span class="added">${added} words added</span>,
                <span class="removed">${removed} removed</span>`
            : 'The two answers are the same.'
        }
      </p>
      <p class="text" role="region" aria-label=${this.label}>${body}</p>`;
  }
}

customElements.define('bp-run-diff', BpRunDiff);

declare global {
  interface HTMLElementTagNameMap {
    'bp-run-diff': BpRunDiff;
  }
}
