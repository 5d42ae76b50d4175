import { LitElement, css, html, nothing } from 'lit';
import type { CompiledRequest } from '../cells/request.ts';

/** The API operation a request is sent with. */
export function operationOf(request: CompiledRequest): string {
  return request.api === 'converse' ? 'ConverseStream' : 'InvokeModelWithResponseStream';
}

/**
 * A request as JSON (the Converse input, or the native InvokeModel body) and, for a native body
 * with a prompt, that prompt as text, the way a person reads a chat template. Read-only.
 */
export class BpRequestJson extends LitElement {
  static override properties = {
    request: { attribute: false },
    bodyLabel: { type: String, attribute: 'body-label' },
    promptLabel: { type: String, attribute: 'prompt-label' },
  };

  /** The request shown. */
  declare request: CompiledRequest | undefined;
  /** The accessible name of the JSON. */
  declare bodyLabel: string;
  /** The accessible name of the rendered prompt. */
  declare promptLabel: string;

  static override styles = css`
    :host {
      display: block;
    }
    pre {
      margin: 0;
      max-height: 360px;
      overflow: auto;
      font: 12px/1.5 var(--bp-mono);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      background: var(--bp-surface);
      border: 1px solid var(--bp-border);
      border-radius: 6px;
      padding: 8px 10px;
    }
    h5 {
      margin: 10px 0 4px;
      font-size: 12px;
      color: var(--bp-muted);
      font-weight: 600;
    }
  `;

  constructor() {
    super();
    this.bodyLabel = 'Request';
    this.promptLabel = 'Rendered prompt';
  }

  protected override render() {
    const request = this.request;
    if (!request) return nothing;
    const prompt =
      request.api === 'invoke' && typeof request.body.prompt === 'string'
        ? request.body.prompt
        : undefined;
    return html`<pre role="region" tabindex="0" aria-label=${this.bodyLabel}>
${JSON.stringify(request.api === 'converse' ? request.input : request.body, null, 2)}</pre>
      ${
        prompt !== undefined
          ? html`<h5>Rendered prompt</h5>
              <pre role="region" tabindex="0" aria-label=${this.promptLabel}>${prompt}</pre>`
          : nothing
      }`;
  }
}

customElements.define('bp-request-json', BpRequestJson);

declare global {
  interface HTMLElementTagNameMap {
    'bp-request-json': BpRequestJson;
  }
}
