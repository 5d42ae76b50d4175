import { LitElement, css, html, nothing } from 'lit';
import type { Target } from '../cells/notebook.ts';
import type { NotebookStore } from './notebook-store.ts';
import { infoEvents, requestForDisplay } from './attachment-info.ts';
import './bp-request-json.ts';
import { operationOf } from './bp-request-json.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/**
 * The exact request a cell sends to one target, read-only and recompiled as the notebook is
 * edited: the Converse input as JSON, or the native InvokeModel body (with its rendered prompt
 * shown as text), plus the adapter's warnings.
 */
export class BpRequestView extends LitElement {
  static override properties = {
    cellId: { type: String, attribute: 'cell-id' },
  };
  /** The cell whose request is shown. */
  declare cellId: string;

  private readonly state = new StoreController(this, {
    notebook: true,
    // Later cells include earlier answers, so a finished run changes their requests.
    runs: (id) => id === undefined,
  });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        border: 1px solid var(--bp-border);
        border-radius: var(--bp-radius);
        background: var(--bp-surface-2);
        padding: 8px 12px 12px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr));
        gap: 12px;
      }
      section {
        min-width: 0;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        margin-bottom: 8px;
      }
      h4 {
        margin: 0;
        font-size: 13px;
      }
      .api {
        color: var(--bp-muted);
        font-size: 12px;
      }
      .warnings {
        margin: 8px 0 0;
        padding: 6px 12px 6px 28px;
        border-radius: 6px;
        background: var(--bp-warn-soft);
        font-size: 12px;
      }
      .error {
        color: var(--bp-danger);
      }
    `,
  ];

  constructor() {
    super();
    this.cellId = '';
  }

  private readonly onInfo = (): void => this.requestUpdate();

  override connectedCallback(): void {
    super.connectedCallback();
    // Attachments are shown by name, format, size and digest, which arrive from the server.
    infoEvents.addEventListener('attachment-info', this.onInfo);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    infoEvents.removeEventListener('attachment-info', this.onInfo);
  }

  protected override render() {
    const store = this.state.store;
    const cell = store?.cell(this.cellId);
    if (!store || !cell) return nothing;
    const targets = store.targetsFor(cell);
    if (!targets.length) return html`<p>Add a target to see the request.</p>`;
    return html`<div class="grid">
      ${targets.map((target) => this.renderTarget(store, target))}
    </div>`;
  }

  private renderTarget(store: NotebookStore, target: Target) {
    const compiled = store.compile(this.cellId, target);
    if ('error' in compiled) {
      return html`<section aria-label="Request for ${target.label}">
        <div class="bar"><h4>${target.label}</h4></div>
        <p class="error" role="alert">${compiled.error}</p>
      </section>`;
    }
    const { request, warnings } = compiled;
    const kind = request.api === 'converse' ? 'Converse input' : 'Native body';
    return html`<section aria-label="Request for ${target.label}">
      <div class="bar">
        <h4>${target.label}</h4>
        <span class="api">${operationOf(request)} · ${request.modelId}</span>
      </div>
      <bp-request-json
        .request=${requestForDisplay(request)}
        body-label="${kind} for ${target.label}"
        prompt-label="Rendered prompt for ${target.label}"
      ></bp-request-json>
      ${
        warnings.length
          ? html`<ul class="warnings" aria-label="Warnings for ${target.label}">
              ${warnings.map((w) => html`<li>${w}</li>`)}
            </ul>`
          : nothing
      }
    </section>`;
  }
}

customElements.define('bp-request-view', BpRequestView);

declare global {
  interface HTMLElementTagNameMap {
    'bp-request-view': BpRequestView;
  }
}
