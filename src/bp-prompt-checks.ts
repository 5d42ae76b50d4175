import { LitElement, css, html, nothing } from 'lit';
import { CHECK_TYPES, CheckSchema, checkTypeName, MAX_CHECKS } from '../cells/checks.ts';
import type { Check, CheckType } from '../cells/checks.ts';
import type { Cell } from '../cells/notebook.ts';
import { MAX_REPEAT } from '../cells/notebook.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

type PromptCell = Extract<Cell, { kind: 'prompt' }>;

/** A new check of each type, ready to be changed. */
function newCheck(type: CheckType, grader: string): Check {
  switch (type) {
    case 'contains':
    case 'not-contains':
      return { type, value: type === 'contains' ? '{{expected}}' : 'sorry' };
    case 'equals':
      return { type, value: '{{expected}}' };
    case 'regex':
      return { type, value: '\\S' };
    case 'is-json':
      return { type };
    case 'json-schema':
      return { type, value: { type: 'object' } };
    case 'max-tokens':
      return { type, threshold: 500 };
    case 'latency':
      return { type, threshold: 5000 };
    case 'cost':
      return { type, threshold: 0.01 };
    case 'llm-rubric':
      return { type, value: 'The answer is correct, complete and polite.', model: grader };
  }
}

/**
 * A prompt cell's repeats and checks: how many times each test case runs, and what every answer
 * is checked for (promptfoo's assertions). A check's text may use the test case's variables.
 */
export class BpPromptChecks extends LitElement {
  static override properties = {
    cell: { attribute: false },
    number: { type: Number },
    adding: { state: true },
    problem: { state: true },
  };

  declare cell: PromptCell | undefined;
  /** The cell's number, for accessible names. */
  declare number: number;
  declare private adding: CheckType;
  declare private problem: string;

  private readonly state = new StoreController(this, { notebook: true });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        font-size: 13px;
        color: var(--bp-muted);
      }
      .row {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        padding: 2px 12px 6px;
      }
      input.count {
        width: 4em;
      }
      ol {
        margin: 0;
        padding: 0 12px 6px 32px;
      }
      li {
        margin: 2px 0;
      }
      li .fields {
        display: flex;
        gap: 6px;
        align-items: center;
        flex-wrap: wrap;
      }
      .type {
        color: var(--bp-text);
        font-weight: 600;
      }
      input.value {
        flex: 1 1 16em;
        min-width: 8em;
      }
      textarea {
        flex: 1 1 100%;
        font: 12px var(--bp-mono);
        min-height: 3em;
        border: 1px solid var(--bp-border-strong);
        border-radius: 6px;
        padding: 4px 6px;
        background: var(--bp-surface);
        color: var(--bp-text);
      }
      .problem {
        color: var(--bp-danger);
        padding: 0 12px;
      }
    `,
  ];

  constructor() {
    super();
    this.number = 0;
    this.adding = 'contains';
    this.problem = '';
  }

  private save(checks: Check[], repeat?: number): void {
    const cell = this.cell;
    if (!cell) return;
    this.problem = '';
    this.state.store?.updateCell({ ...cell, checks, repeat: repeat ?? cell.repeat });
  }

  /** Replaces check `index` with `patch` applied, if the result is a valid check. */
  private change(index: number, patch: Record<string, unknown>): void {
    const cell = this.cell;
    if (!cell) return;
    const parsed = CheckSchema.safeParse({ ...cell.checks[index], ...patch });
    if (!parsed.success) {
      this.problem = `Check ${index + 1}: ${parsed.error.issues[0]?.message ?? 'not valid'}`;
      return;
    }
    this.save(cell.checks.map((c, i) => (i === index ? parsed.data : c)));
  }

  private setRepeat(text: string): void {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > MAX_REPEAT) {
      this.problem = `Repeats: a whole number from 1 to ${MAX_REPEAT}`;
      return;
    }
    if (this.cell) this.save(this.cell.checks, value);
  }

  protected override render() {
    const cell = this.cell;
    const store = this.state.store;
    if (!cell || !store) return nothing;
    const n = this.number;
    const grader =
      store.notebook.targets.find((t) => t.api === 'converse')?.modelId ??
      store.models[0]?.id ??
      '';
    return html`<div class="row">
        <label
          >Run each test case
          <input
            class="count"
            type="text"
            inputmode="numeric"
            aria-label="Repeats of cell ${n}"
            .value=${String(cell.repeat)}
            @change=${(e: Event) => this.setRepeat((e.target as HTMLInputElement).value)}
          />
          time${cell.repeat === 1 ? '' : 's'}</label
        >
        <label
          >Check that the answer
          <select
            aria-label="New check of cell ${n}"
            @change=${(e: Event) => (this.adding = (e.target as HTMLSelectElement).value as CheckType)}
          >
            ${CHECK_TYPES.map(
              (type) =>
                html`<option value=${type} ?selected=${type === this.adding}>
                  ${checkTypeName(type)}
                </option>`,
            )}
          </select></label
        >
        <button
          ?disabled=${cell.checks.length >= MAX_CHECKS}
          aria-label="Add check to cell ${n}"
          @click=${() => this.save([...cell.checks, newCheck(this.adding, grader)])}
        >
          + Check
        </button>
      </div>
      ${
        cell.checks.length
          ? html`<ol aria-label="Checks of cell ${n}">
              ${cell.checks.map((check, i) => this.renderCheck(check, i))}
            </ol>`
          : nothing
      }
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}`;
  }

  private renderCheck(check: Check, index: number) {
    const name = `check ${index + 1} of cell ${this.number}`;
    const text = (value: string, label: string) =>
      html`<input
        class="value"
        type="text"
        aria-label="${label} of ${name}"
        .value=${value}
        @change=${(e: Event) => this.change(index, { value: (e.target as HTMLInputElement).value })}
      />`;
    let fields;
    switch (check.type) {
      case 'contains':
      case 'not-contains':
      case 'equals':
      case 'regex':
        fields = text(check.value, check.type === 'regex' ? 'Pattern' : 'Text');
        break;
      case 'is-json':
        fields = nothing;
        break;
      case 'json-schema':
        fields = html`<textarea
          aria-label="JSON Schema of ${name}"
          .value=${JSON.stringify(check.value)}
          @change=${(e: Event) => {
            try {
              this.change(index, {
                value: JSON.parse((e.target as HTMLTextAreaElement).value) as unknown,
              });
            } catch (error) {
              this.problem = `Check ${index + 1}: the schema is not JSON (${(error as Error).message})`;
            }
          }}
        ></textarea>`;
        break;
      case 'max-tokens':
      case 'latency':
      case 'cost':
        fields = html`<input
          type="text"
          inputmode="decimal"
          aria-label="Limit of ${name}"
          .value=${String(check.threshold)}
          @change=${(e: Event) => this.change(index, { threshold: Number((e.target as HTMLInputElement).value) })}
        />`;
        break;
      case 'llm-rubric':
        fields = html`${text(check.value, 'Rubric')}
          <input
            type="text"
            aria-label="Grading model of ${name}"
            title="The model that grades, called through Converse"
            .value=${check.model}
            @change=${(e: Event) => this.change(index, { model: (e.target as HTMLInputElement).value.trim() })}
          />`;
        break;
    }
    return html`<li>
      <span class="fields">
        <span class="type">${checkTypeName(check.type)}</span>
        ${fields}
        <button
          class="icon"
          aria-label="Remove ${name}"
          @click=${() => this.save(this.cell!.checks.filter((_, i) => i !== index))}
        >
          ${icons.trash}
        </button>
      </span>
    </li>`;
  }
}

customElements.define('bp-prompt-checks', BpPromptChecks);

declare global {
  interface HTMLElementTagNameMap {
    'bp-prompt-checks': BpPromptChecks;
  }
}
