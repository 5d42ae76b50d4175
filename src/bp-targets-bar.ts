import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Api, Target } from '../cells/notebook.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

const API_NAMES: Record<Api, string> = { converse: 'Converse', invoke: 'InvokeModel' };

/**
 * The models being compared: one chip per target with its label, model and API, which can be
 * renamed, reordered and removed; plus a button to add another.
 */
export class BpTargetsBar extends LitElement {
  private readonly state = new StoreController(this, { notebook: true });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      ol {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: stretch;
      }
      li {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 6px 8px;
        border: 1px solid var(--bp-border);
        border-radius: var(--bp-radius);
        background: var(--bp-surface);
        box-shadow: var(--bp-shadow);
      }
      .swatch {
        width: 10px;
        height: 10px;
        border-radius: 3px;
        flex: none;
      }
      input[type='text'] {
        width: 10em;
        font-weight: 600;
      }
      select.model {
        max-width: 14em;
      }
      .add {
        align-self: center;
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
          return html`<li aria-label="Target ${t.label}">
            <span class="swatch" style="background: var(--bp-target-${i % 4})"></span>
            <input
              type="text"
              aria-label="Label of target ${i + 1}"
              .value=${t.label}
              @change=${(e: Event) => {
                const label = (e.target as HTMLInputElement).value.trim();
                if (label) this.change(t, { label });
              }}
            />
            <select
              class="model"
              aria-label="Model of ${t.label}"
              @change=${(e: Event) =>
                this.change(t, { modelId: (e.target as HTMLSelectElement).value })}
            >
              ${model ? '' : html`<option value=${t.modelId} selected>${t.modelId}</option>`}
              ${store.models.map(
                (m) =>
                  html`<option value=${m.id} ?selected=${m.id === t.modelId}>${m.name}</option>`,
              )}
            </select>
            <select
              aria-label="API of ${t.label}"
              ?disabled=${apis.length < 2}
              @change=${(e: Event) =>
                this.change(t, { api: (e.target as HTMLSelectElement).value as Api })}
            >
              ${apis.map(
                (api) =>
                  html`<option value=${api} ?selected=${api === t.api}>${API_NAMES[api]}</option>`,
              )}
            </select>
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
          </li>`;
        },
      )}
      <li class="add" style="border: 0; box-shadow: none; background: none">
        <button
          ?disabled=${targets.length >= 8 || store.models.length === 0}
          @click=${() => store.addTarget()}
        >
          + Add target
        </button>
      </li>
    </ol>`;
  }
}

customElements.define('bp-targets-bar', BpTargetsBar);

declare global {
  interface HTMLElementTagNameMap {
    'bp-targets-bar': BpTargetsBar;
  }
}
