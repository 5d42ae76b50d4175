import { LitElement, css, html, nothing } from 'lit';
import { TargetOverridesSchema } from '../cells/notebook.ts';
import type { Target, TargetOverrides } from '../cells/notebook.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

/** "temperature 1 · own system prompt": what a variant changes, said briefly. */
export function describeOverrides(overrides: TargetOverrides): string {
  const parts: string[] = [];
  if (overrides.temperature !== undefined) parts.push(`temperature ${overrides.temperature}`);
  if (overrides.topP !== undefined) parts.push(`topP ${overrides.topP}`);
  if (overrides.maxTokens !== undefined) parts.push(`maxTokens ${overrides.maxTokens}`);
  if (overrides.stopSequences !== undefined) parts.push('own stop sequences');
  if (overrides.system !== undefined) {
    parts.push(overrides.system.trim() ? 'own system prompt' : 'no system prompt');
  }
  return parts.join(' · ');
}

const NUMBERS = [
  ['temperature', 'Temperature', '0 to 1'],
  ['topP', 'Top P', '0 to 1'],
  ['maxTokens', 'Max tokens', 'a whole number'],
] as const;

/**
 * A target's own settings, which make it a variant of its model: a system prompt in place of the
 * notebook's, and a temperature, top P or max tokens in place of the config cells'. Empty means
 * "as the notebook says".
 */
export class BpTargetOverrides extends LitElement {
  static override properties = {
    target: { attribute: false },
    open: { state: true },
    problem: { state: true },
  };

  /** The target whose overrides are edited. */
  declare target: Target | undefined;
  declare private open: boolean;
  declare private problem: string;

  private readonly state = new StoreController(this, {});

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        font-size: 12px;
      }
      .summary {
        display: flex;
        align-items: center;
        gap: 6px;
        flex-wrap: wrap;
      }
      .what {
        color: var(--bp-accent);
        font-weight: 600;
      }
      .fields {
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 6px;
        margin-top: 6px;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 2px;
        color: var(--bp-muted);
      }
      input,
      textarea {
        min-width: 0;
        font: inherit;
        font-size: 13px;
        padding: 2px 6px;
        border: 1px solid var(--bp-border-strong);
        border-radius: 6px;
        background: var(--bp-surface);
        color: var(--bp-text);
      }
      textarea {
        grid-column: 1 / -1;
        min-height: 4em;
        resize: vertical;
      }
      .system {
        grid-column: 1 / -1;
      }
      .problem {
        color: var(--bp-danger);
      }
    `,
  ];

  constructor() {
    super();
    this.open = false;
    this.problem = '';
  }

  private save(patch: Partial<TargetOverrides>, remove: (keyof TargetOverrides)[] = []): void {
    const target = this.target;
    const store = this.state.store;
    if (!target || !store) return;
    const next: Record<string, unknown> = { ...target.overrides, ...patch };
    for (const key of remove) delete next[key];
    const parsed = TargetOverridesSchema.safeParse(next);
    if (!parsed.success) {
      this.problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return;
    }
    this.problem = '';
    const plain: Target = { ...target };
    delete plain.overrides;
    store.updateTarget(
      Object.keys(parsed.data).length ? { ...plain, overrides: parsed.data } : plain,
    );
  }

  private setNumber(key: (typeof NUMBERS)[number][0], text: string): void {
    if (!text.trim()) return this.save({}, [key]);
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.problem = `${key}: "${text}" is not a number`;
      return;
    }
    this.save({ [key]: value });
  }

  protected override render() {
    const target = this.target;
    if (!target) return nothing;
    const overrides = target.overrides ?? {};
    const summary = describeOverrides(overrides);
    return html`<div class="summary">
        ${summary ? html`<span class="what" aria-label="Variant settings of ${target.label}">${summary}</span>` : nothing}
        <button
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-label="Variant settings of target ${target.label}"
          @click=${() => (this.open = !this.open)}
        >
          ${summary ? 'Change variant' : 'Make a variant'}
        </button>
      </div>
      ${
        this.open
          ? html`<div class="fields">
              ${NUMBERS.map(
                ([key, name, hint]) =>
                  html`<label
                    >${name}
                    <input
                      type="text"
                      inputmode="decimal"
                      aria-label="${name} of ${target.label}"
                      placeholder=${`as the config (${hint})`}
                      .value=${overrides[key] === undefined ? '' : String(overrides[key])}
                      @change=${(e: Event) => this.setNumber(key, (e.target as HTMLInputElement).value)}
                  /></label>`,
              )}
              <label class="system"
                >System prompt of this target
                <textarea
                  aria-label="System prompt of ${target.label}"
                  placeholder="As the notebook's system cells say"
                  .value=${overrides.system ?? ''}
                  @change=${(e: Event) => {
                    const text = (e.target as HTMLTextAreaElement).value;
                    if (text.trim()) this.save({ system: text });
                    else this.save({}, ['system']);
                  }}
                ></textarea>
              </label>
              ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
            </div>`
          : nothing
      }`;
  }
}

customElements.define('bp-target-overrides', BpTargetOverrides);

declare global {
  interface HTMLElementTagNameMap {
    'bp-target-overrides': BpTargetOverrides;
  }
}
