import { LitElement, css, html, nothing } from 'lit';
import { describeRow } from '../cells/data.ts';
import type { Target } from '../cells/notebook.ts';
import type { NotebookStore } from './notebook-store.ts';
import { infoEvents, requestForDisplay } from './attachment-info.ts';
import './bp-request-json.ts';
import { operationOf } from './bp-request-json.ts';
import { describeOverrides } from './bp-target-overrides.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/** How many test cases the request view offers by number; a larger grid shows its first ones. */
const MAX_ROW_CHOICES = 500;

/**
 * The exact request a cell sends to one target, read-only and recompiled as the notebook is
 * edited: the Converse input as JSON, or the native InvokeModel body (with its rendered prompt
 * shown as text), plus the adapter's warnings.
 */
export class BpRequestView extends LitElement {
  static override properties = {
    cellId: { type: String, attribute: 'cell-id' },
    row: { state: true },
  };
  /** The cell whose request is shown. */
  declare cellId: string;
  /** The test case whose request is shown, for a cell with test cases. */
  declare private row: number;

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
    this.row = 0;
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
    const grid = store.grids.viewOf(this.cellId);
    const rows = grid?.shape.data ? grid.rows : [];
    const row = Math.min(this.row, Math.max(0, rows.length - 1));
    return html`${
        rows.length
          ? html`<div class="bar">
              <label
                >Test case
                <select
                  aria-label="Test case of the request"
                  @change=${(e: Event) => (this.row = Number((e.target as HTMLSelectElement).value))}
                >
                  ${rows
                    .slice(0, MAX_ROW_CHOICES)
                    .map(
                      (values, i) =>
                        html`<option value=${i} ?selected=${i === row}>
                          ${i + 1}: ${describeRow(values, grid!.columns)}
                        </option>`,
                    )}
                </select></label
              >
            </div>`
          : nothing
      }
      <div class="grid">
        ${targets.map((target) => this.renderTarget(store, target, grid ? row : undefined))}
      </div>`;
  }

  private renderTarget(store: NotebookStore, target: Target, row: number | undefined) {
    const compiled =
      row === undefined
        ? store.compile(this.cellId, target)
        : store.grids.compileRow(this.cellId, row, target);
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
      ${
        target.overrides && Object.keys(target.overrides).length
          ? html`<p class="api" aria-label="Overrides of ${target.label}">
              Variant: ${describeOverrides(target.overrides)}
            </p>`
          : nothing
      }
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
