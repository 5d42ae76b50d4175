import { LitElement, css, html, nothing } from 'lit';
import { catalogModel } from '../cells/models/listing.ts';
import type { Catalog, CatalogModel } from '../cells/models/listing.ts';
import { searchModels } from '../cells/models/search.ts';
import { controlStyles } from './shared-styles.ts';

/** A model was picked or typed: the id a target should invoke (model, profile or ARN). */
export class ModelPickEvent extends Event {
  static readonly eventName = 'model-pick';
  constructor(readonly modelId: string) {
    super(ModelPickEvent.eventName, { bubbles: true, composed: true });
  }
}

/** One row of the list: a model of the catalog, or exactly what was typed. */
type Entry = { kind: 'typed'; id: string } | { kind: 'model'; model: CatalogModel };

/** What looks like a model id, inference profile id or ARN rather than a search. */
const IDENTIFIER = /^(arn:aws[\w-]*:bedrock:|[a-z0-9-]+\.[a-z0-9-]+[\w.:-]*$)/;

const MODALITY_NAMES: Record<string, string> = { TEXT: 'text', IMAGE: 'images', VIDEO: 'video' };

function money(perThousand: number): string {
  return `$${(perThousand * 1000).toFixed(perThousand * 1000 < 1 ? 3 : 2)}`;
}

/** "in $3.00 · out $15.00 per 1M tokens", with "(unchecked)" where the price is. */
export function priceText(model: CatalogModel): string {
  const price = model.price;
  if (!price) return 'no price known';
  const text = `in ${money(price.inputPer1k)} · out ${money(price.outputPer1k)} per 1M tokens`;
  return price.checked ? text : `${text} (unchecked)`;
}

function featureList(model: CatalogModel): string[] {
  const features = model.features;
  const list = model.inputModalities
    .filter((m) => m !== 'TEXT')
    .map((m) => MODALITY_NAMES[m] ?? m.toLowerCase());
  if (!features) return list;
  if (features.reasoning) list.unshift('reasoning');
  if (features.toolUse) list.push('tools');
  if (features.documents) list.push('documents');
  return list;
}

function accessText(model: CatalogModel): string {
  switch (model.access) {
    case 'granted':
      return 'access granted';
    case 'not-granted':
      return 'no access: request it in the Bedrock console';
    default:
      return '';
  }
}

/** "us. profile" or "on demand": how a pick of the model is invoked. */
function routeText(model: CatalogModel): string {
  if (model.preferred === model.id) return 'on demand';
  const prefix = model.preferred.slice(0, model.preferred.indexOf('.') + 1);
  return `${prefix} profile`;
}

/**
 * A model picker: a combobox that searches the catalog as you type (by name, provider or id)
 * and lists the matches grouped by provider, each with its lifecycle, modalities, features,
 * price and access. A pick invokes the model through the inference profile of the Region's
 * geography where there is one; the select beside it offers every profile that contains the
 * model. Any model id, profile id or ARN can be typed and used as it is.
 *
 * Keyboard: type to search (the best match is active), ArrowDown / ArrowUp move, Enter picks,
 * Escape closes the list and restores the current model.
 */
export class BpModelPicker extends LitElement {
  static override properties = {
    catalog: { attribute: false },
    value: { type: String },
    label: { type: String },
    open: { state: true },
    query: { state: true },
    active: { state: true },
  };
  /** The catalog to search; the picker still takes typed ids without one. */
  declare catalog: Catalog | undefined;
  /** The id the target invokes now. */
  declare value: string;
  /** What the target is called: the controls are named "Model of {label}" and so on. */
  declare label: string;
  declare private open: boolean;
  /** The search as typed; undefined while the input shows the current model. */
  declare private query: string | undefined;
  declare private active: number;

  constructor() {
    super();
    this.value = '';
    this.label = '';
    this.open = false;
    this.query = undefined;
    this.active = -1;
  }

  static override styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: center;
        gap: 6px;
        position: relative;
        min-width: 0;
      }
      .field {
        min-width: 0;
      }
      input[role='combobox'] {
        box-sizing: border-box;
        width: 100%;
        min-height: 28px;
        padding: 2px 8px;
        border-radius: 6px;
        border: 1px solid var(--bp-border-strong);
        background: var(--bp-surface);
      }
      select {
        max-width: 11em;
      }
      [role='listbox'] {
        position: absolute;
        z-index: 20;
        top: 100%;
        left: 0;
        margin-top: 4px;
        width: max(100%, min(32em, 90vw));
        max-height: 22em;
        overflow-y: auto;
        background: var(--bp-surface);
        border: 1px solid var(--bp-border-strong);
        border-radius: var(--bp-radius);
        box-shadow: var(--bp-shadow);
        padding: 4px 0;
      }
      .group-name {
        padding: 6px 12px 2px;
        font-size: 11px;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--bp-muted);
      }
      [role='option'] {
        padding: 4px 12px;
        cursor: pointer;
        display: flex;
        flex-direction: column;
      }
      [role='option'][aria-selected='true'] {
        background: var(--bp-accent-soft);
        outline: 1px solid var(--bp-accent);
      }
      .name {
        font-weight: 600;
      }
      .details {
        font-size: 12px;
        color: var(--bp-muted);
      }
      .legacy,
      .denied {
        color: var(--bp-warn);
        font-weight: 600;
      }
      .note {
        padding: 6px 12px;
        font-size: 12px;
        color: var(--bp-muted);
        border-top: 1px solid var(--bp-border);
      }
      .none {
        padding: 6px 12px;
        color: var(--bp-muted);
      }
    `,
  ];

  private get current(): CatalogModel | undefined {
    return this.catalog && catalogModel(this.catalog, this.value);
  }

  /** The rows the list shows, in order: what was typed first when it looks like an id. */
  private entries(): Entry[] {
    const query = (this.query ?? '').trim();
    const models = this.catalog ? searchModels(this.catalog.models, query) : [];
    const typed: Entry[] =
      IDENTIFIER.test(query) && query !== this.value ? [{ kind: 'typed', id: query }] : [];
    // Grouped by provider, groups in the order of their best match.
    const providers = [...new Set(models.map((m) => m.provider))];
    const grouped = providers.flatMap((p) => models.filter((m) => m.provider === p));
    return [...typed, ...grouped.map((model): Entry => ({ kind: 'model', model }))];
  }

  private pick(entry: Entry | undefined): void {
    const query = (this.query ?? '').trim();
    const id = entry ? (entry.kind === 'typed' ? entry.id : entry.model.preferred) : query;
    this.close();
    if (id && id !== this.value) this.dispatchEvent(new ModelPickEvent(id));
  }

  private close(): void {
    this.open = false;
    this.query = undefined;
    this.active = -1;
  }

  private readonly onInput = (event: Event): void => {
    this.query = (event.target as HTMLInputElement).value;
    this.open = true;
    this.active = this.query.trim() ? 0 : -1;
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const entries = this.entries();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        event.preventDefault();
        if (!this.open) {
          this.open = true;
          this.query ??= '';
        }
        const step = event.key === 'ArrowDown' ? 1 : -1;
        const count = entries.length;
        if (count) this.active = (this.active + step + count) % count;
        break;
      }
      case 'Enter':
        if (!this.open && this.query === undefined) return;
        event.preventDefault();
        this.pick(entries[this.active]);
        break;
      case 'Escape':
        if (!this.open && this.query === undefined) return;
        // The list closes; the page's own Escape (stop every stream) is not meant.
        event.preventDefault();
        event.stopPropagation();
        this.close();
        break;
      default:
        break;
    }
  };

  private readonly onFocusOut = (event: FocusEvent): void => {
    if (!this.renderRoot.contains(event.relatedTarget as Node | null)) this.close();
  };

  protected override updated(): void {
    if (this.active < 0) return;
    const option = this.renderRoot.querySelector(`#option-${this.active}`);
    option?.scrollIntoView({ block: 'nearest' });
  }

  private renderOption(entry: Entry, index: number) {
    const selected = index === this.active;
    if (entry.kind === 'typed') {
      return html`<div
        role="option"
        id="option-${index}"
        aria-selected=${selected ? 'true' : 'false'}
        aria-labelledby="name-${index}"
        @mousedown=${(e: Event) => e.preventDefault()}
        @click=${() => this.pick(entry)}
      >
        <span class="name" id="name-${index}">Use “${entry.id}”</span>
        <span class="details">exactly as typed: a model id, inference profile id or ARN</span>
      </div>`;
    }
    const { model } = entry;
    const features = featureList(model);
    const access = accessText(model);
    return html`<div
      role="option"
      id="option-${index}"
      aria-selected=${selected ? 'true' : 'false'}
      aria-labelledby="name-${index}"
      aria-describedby="details-${index}"
      @mousedown=${(e: Event) => e.preventDefault()}
      @click=${() => this.pick(entry)}
    >
      <span class="name" id="name-${index}">${model.name}</span>
      <span class="details" id="details-${index}"
        >${model.lifecycle === 'LEGACY' ? html`<span class="legacy">legacy</span> · ` : nothing}${
          features.length ? `${features.join(', ')} · ` : ''
        }${priceText(model)}
        ·
        ${routeText(model)}${
          access
            ? html` ·
                <span class=${model.access === 'not-granted' ? 'denied' : ''}>${access}</span>`
            : nothing
        }</span
      >
    </div>`;
  }

  private renderList() {
    const entries = this.entries();
    const groups: { name: string; items: [Entry, number][] }[] = [];
    entries.forEach((entry, index) => {
      const name = entry.kind === 'typed' ? 'Typed identifier' : entry.model.provider;
      const last = groups.at(-1);
      if (last?.name === name) last.items.push([entry, index]);
      else groups.push({ name, items: [[entry, index]] });
    });
    return html`<div role="listbox" id="models" aria-label="Models">
      ${groups.map(
        (group, g) =>
          html`<div role="group" aria-labelledby="group-${g}">
            <div class="group-name" role="presentation" id="group-${g}">${group.name}</div>
            ${group.items.map(([entry, index]) => this.renderOption(entry, index))}
          </div>`,
      )}
      ${entries.length ? nothing : html`<div class="none">No model matches “${this.query}”.</div>`}
      ${this.catalog ? html`<div class="note">${this.catalog.note}</div>` : nothing}
    </div>`;
  }

  private renderRoutes(model: CatalogModel | undefined) {
    if (!model) return nothing;
    const routes = model.profiles.map((id) => {
      const profile = this.catalog?.profiles.find((p) => p.id === id);
      return { id, text: profile ? `${profile.prefix}. profile` : id };
    });
    if (model.inferenceTypes.includes('ON_DEMAND'))
      routes.push({ id: model.id, text: 'on demand' });
    if (!routes.some((r) => r.id === this.value)) routes.push({ id: this.value, text: this.value });
    if (routes.length < 2) return nothing;
    return html`<select
      aria-label="Inference profile of ${this.label}"
      @change=${(e: Event) => {
        const id = (e.target as HTMLSelectElement).value;
        if (id !== this.value) this.dispatchEvent(new ModelPickEvent(id));
      }}
    >
      ${routes.map(
        (route) =>
          html`<option value=${route.id} ?selected=${route.id === this.value}>
            ${route.text}
          </option>`,
      )}
    </select>`;
  }

  protected override render() {
    const model = this.current;
    const shown = this.query ?? model?.name ?? this.value;
    return html`<div class="field" @focusout=${this.onFocusOut}>
        <input
          type="text"
          role="combobox"
          aria-label="Model of ${this.label}"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="models"
          aria-autocomplete="list"
          aria-activedescendant=${this.open && this.active >= 0 ? `option-${this.active}` : nothing}
          autocomplete="off"
          spellcheck="false"
          title=${`${model?.name ?? this.value} (${this.value})`}
          .value=${shown}
          @focus=${(e: Event) => (e.target as HTMLInputElement).select()}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
        />
        ${this.open ? this.renderList() : nothing}
      </div>
      ${this.renderRoutes(model)}`;
  }
}

customElements.define('bp-model-picker', BpModelPicker);

declare global {
  interface HTMLElementTagNameMap {
    'bp-model-picker': BpModelPicker;
  }
  interface HTMLElementEventMap {
    'model-pick': ModelPickEvent;
  }
}
