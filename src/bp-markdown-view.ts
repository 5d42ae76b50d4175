import { LitElement, css } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import type { Token } from 'marked';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Raw HTML inside the Markdown is shown as the text it is, never interpreted. */
const marked = new Marked({
  async: false,
  gfm: true,
  renderer: {
    html: ({ text }) => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c),
  },
});

/** A sanitizer of its own: its hook applies to model Markdown only. */
const purify = DOMPurify(window);

// A link in an answer opens in a new tab: following it must not navigate away from the notebook
// (and its unsaved state), nor hand the notebook's window or address to the linked page.
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A' || !node.hasAttribute('href')) return;
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

/**
 * Makes safe what marked made of Markdown that may come from a model (raw HTML in it shown as
 * text): DOMPurify strips anything active (scripts, event handlers, images, forms, `javascript:`
 * URLs) that could still come out of it before it reaches the DOM. Links open in a new tab.
 */
function sanitize(raw: string): string {
  return purify.sanitize(raw, {
    USE_PROFILES: { html: true },
    // Remote images would leak the page's use of a prompt to whoever hosts them.
    FORBID_TAGS: [
      'img',
      'style',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'video',
      'audio',
    ],
    FORBID_ATTR: ['style'],
  });
}

/**
 * Markdown rendered block by block, for text that grows at its end (a streaming answer): blocks
 * that are finished are rendered once; each new text lexes and renders only from the first
 * unfinished block on. Rendering the whole answer on every token took longer than a frame once
 * answers were a few pages long.
 */
export class MarkdownBlocks {
  /** The source of the finished blocks, and their sanitized HTML. */
  private done = '';
  private html: string[] = [];

  /** The HTML of each block of `markdown`, the finished ones as rendered before. */
  render(markdown: string): readonly string[] {
    if (!markdown.startsWith(this.done)) {
      this.done = '';
      this.html = [];
    }
    const tail = markdown.slice(this.done.length);
    const tokens = marked.lexer(tail);
    const starts: number[] = [];
    let at = 0;
    for (const token of tokens) {
      // The lexer normalizes line ends: where its source is not the text's, nothing is finished.
      if (!tail.startsWith(token.raw, at)) return this.restart(markdown);
      starts.push(at);
      at += token.raw.length;
    }
    const open: string[] = [];
    let finishing = true;
    tokens.forEach((token, i) => {
      const rendered = token.type === 'space' ? '' : sanitize(marked.parser([token]));
      finishing &&= this.finished(tokens, starts, i, tail);
      if (finishing) {
        this.done += token.raw;
        if (rendered) this.html.push(rendered);
      } else if (rendered) {
        open.push(rendered);
      }
    });
    return [...this.html, ...open];
  }

  /**
   * A block is finished once a later block has a whole line: a line that may still grow could
   * yet join it (a list item after a blank line continues the list above, for instance).
   */
  private finished(tokens: Token[], starts: number[], i: number, tail: string): boolean {
    const next = tokens.findIndex((t, j) => j > i && t.type !== 'space');
    return next > 0 && tail.includes('\n', starts[next]);
  }

  private restart(markdown: string): readonly string[] {
    this.done = '';
    this.html = [];
    return markdown ? [sanitize(marked.parse(markdown, { async: false }))] : [];
  }
}

/** Markdown in, sanitized HTML out. */
export class BpMarkdownView extends LitElement {
  static override properties = { markdown: { type: String } };
  /** The Markdown source. */
  declare markdown: string;

  static override styles = css`
    :host {
      display: block;
      overflow-wrap: anywhere;
      line-height: 1.6;
    }
    :first-child {
      margin-top: 0;
    }
    :last-child {
      margin-bottom: 0;
    }
    h1,
    h2,
    h3,
    h4 {
      line-height: 1.25;
      margin: 1em 0 0.5em;
    }
    h1 {
      font-size: 1.5em;
    }
    h2 {
      font-size: 1.25em;
    }
    h3 {
      font-size: 1.1em;
    }
    p,
    ul,
    ol,
    pre,
    blockquote,
    table {
      margin: 0 0 0.75em;
    }
    a {
      color: var(--bp-accent);
    }
    code {
      font-family: var(--bp-mono);
      font-size: 0.92em;
      background: var(--bp-surface-2);
      border: 1px solid var(--bp-border);
      border-radius: 4px;
      padding: 0 4px;
    }
    pre {
      background: var(--bp-surface-2);
      border: 1px solid var(--bp-border);
      border-radius: 6px;
      padding: 8px 12px;
      overflow-x: auto;
    }
    pre code {
      background: none;
      border: 0;
      padding: 0;
    }
    blockquote {
      border-left: 3px solid var(--bp-border-strong);
      padding-left: 12px;
      color: var(--bp-muted);
    }
    table {
      border-collapse: collapse;
    }
    th,
    td {
      border: 1px solid var(--bp-border);
      padding: 4px 8px;
    }
  `;

  constructor() {
    super();
    this.markdown = '';
  }

  private readonly blocks = new MarkdownBlocks();

  protected override render() {
    // One part per block: Lit leaves the parts whose HTML did not change as they are.
    return this.blocks.render(this.markdown).map((block) => unsafeHTML(block));
  }
}

customElements.define('bp-markdown-view', BpMarkdownView);

declare global {
  interface HTMLElementTagNameMap {
    'bp-markdown-view': BpMarkdownView;
  }
}
