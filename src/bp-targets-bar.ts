import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Api, Target } from '../cells/notebook.ts';
import { refreshModels } from './api.ts';
import './bp-model-picker.ts';
import type { ModelPickEvent } from './bp-model-picker.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

const API_NAMES: Record<Api, string> = { converse: 'Converse', invoke: 'InvokeModel' };

/**
 * The models being compared: one card per target, in the order of the answer columns, with its
 * label, model (its id always readable) and API; a target can be renamed, reordered and removed,
 * and another added. The cards wrap to the window's width.
 */
export class BpTargetsBar extends LitElement {
  private readonly state = new StoreController(this, { notebook: true, backend: true });

  static override properties = { refreshing: { state: true } };
  declare private refreshing: boolean;

  constructor() {
    super();
    this.refreshing = false;
  }

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      ol {
        display: grid;
        /* The same tracks as the answer columns, so each target sits above its answers. */
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 280px), 1fr));
        gap: 8px 12px;
      }
      li.target {
        display: grid;
        grid-template-columns: auto minmax(0, 1fr) auto;
        align-items: center;
        gap: 4px 6px;
        min-width: 0;
        padding: 6px 8px;
        border: 1px solid var(--bp-border);
        border-top: 3px solid var(--bp-swatch);
        border-radius: var(--bp-radius);
        background: var(--bp-surface);
        box-shadow: var(--bp-shadow);
      }
      .swatch {
        width: 10px;
        height: 10px;
        border-radius: 3px;
        background: var(--bp-swatch);
      }
      .moves {
        display: flex;
      }
      input[type='text'] {
        min-width: 0;
        width: 100%;
        box-sizing: border-box;
        font-weight: 600;
      }
      .pick {
        grid-column: 1 / -1;
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 6px;
      }
      select {
        min-width: 0;
        width: 100%;
      }
      .id {
        grid-column: 1 / -1;
        font: 11px var(--bp-mono);
        color: var(--bp-muted);
        overflow-wrap: anywhere;
      }
      .below {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        margin-top: 8px;
      }
      .catalog {
        flex: 1 1 20em;
        font-size: 12px;
        color: var(--bp-muted);
      }
      .catalog.static {
        color: var(--bp-warn);
      }
    `,
  ];

  private change(target: Target, patch: Partial<Target>): void {
    const store = this.state.store;
    if (!store) return;
    const next = { ...target, ...patch };
    if (patch.modelId) {
      const model = store.modelInfo(patch.modelId);
      // Keep the API when the new model offers it; a renamed label stays as the user wrote it.
      if (model && !model.apis.includes(next.api)) next.api = model.apis[0] ?? next.api;
      const old = store.modelInfo(target.modelId);
      if (model && old && target.label === old.name) next.label = model.name;
    }
    store.updateTarget(next);
  }

  protected override render() {
    const store = this.state.store;
    if (!store) return html``;
    const targets = store.notebook.targets;
    return html`<ol class="bare-list" aria-label="Targets">
        ${repeat(
          targets,
          (t) => t.id,
          (t, i) => {
            const model = store.modelInfo(t.modelId);
            const apis: readonly Api[] = model?.apis ?? [t.api];
            return html`<li
              class="target"
              aria-label="Target ${t.label}"
              style="--bp-swatch: var(--bp-target-${i % 4})"
            >
              <span class="swatch" aria-hidden="true"></span>
              <input
                type="text"
                aria-label="Label of target ${i + 1}"
                title=${t.label}
                .value=${t.label}
                @change=${(e: Event) => {
                  const label = (e.target as HTMLInputElement).value.trim();
                  if (label) this.change(t, { label });
                }}
              />
              <span class="moves">
                <button
                  class="icon"
                  aria-label="Move ${t.label} left"
                  ?disabled=${i === 0}
                  @click=${() => store.moveTarget(t.id, -1)}
                >
                  ${icons.left}
                </button>
                <button
                  class="icon"
                  aria-label="Move ${t.label} right"
                  ?disabled=${i === targets.length - 1}
                  @click=${() => store.moveTarget(t.id, 1)}
                >
                  ${icons.right}
                </button>
                <button
                  class="icon"
                  aria-label="Remove ${t.label}"
                  @click=${() => store.removeTarget(t.id)}
                >
                  ${icons.close}
                </button>
              </span>
              <span class="pick">
                <bp-model-picker
                  .catalog=${store.catalog}
                  .value=${t.modelId}
                  .label=${t.label}
                  @model-pick=${(e: ModelPickEvent) => this.change(t, { modelId: e.modelId })}
                ></bp-model-picker>
                <select
                  aria-label="API of ${t.label}"
                  ?disabled=${apis.length < 2}
                  @change=${(e: Event) =>
                    this.change(t, { api: (e.target as HTMLSelectElement).value as Api })}
                >
                  ${apis.map(
                    (api) =>
                      html`<option value=${api} ?selected=${api === t.api}>
                        ${API_NAMES[api]}
                      </option>`,
                  )}
                </select>
              </span>
              <span class="id">${t.modelId}</span>
            </li>`;
          },
        )}
      </ol>
      <div class="below">
        <button
          class="add"
          ?disabled=${targets.length >= 8 || store.models.length === 0}
          @click=${() => store.addTarget()}
        >
          + Add target
        </button>
        ${this.renderCatalog()}
      </div>`;
  }

  /** Where the model list comes from (Bedrock's own, or the static one and why), and a refresh. */
  private renderCatalog() {
    const catalog = this.state.store?.catalog;
    if (!catalog) return nothing;
    return html`<span class="catalog ${catalog.source}">${catalog.note}</span>
      <button
        ?disabled=${this.refreshing}
        @click=${() => void this.refresh()}
        title="Ask the backend for its model list again"
      >
        ${this.refreshing ? 'Refreshing models…' : 'Refresh models'}
      </button>`;
  }

  private async refresh(): Promise<void> {
    const store = this.state.store;
    if (!store?.status) return;
    this.refreshing = true;
    try {
      store.setBackend(store.status, await refreshModels());
    } catch (error) {
      store.problem({
        message: `The model list could not be read again: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      this.refreshing = false;
    }
  }
}

customElements.define('bp-targets-bar', BpTargetsBar);

declare global {
  interface HTMLElementTagNameMap {
    'bp-targets-bar': BpTargetsBar;
  }
}
