import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import type { Cell } from '../cells/notebook.ts';
import { describeZodError } from '../cells/notebook.ts';
import { unreachable } from '../cells/unreachable.ts';
import './bp-code-editor.ts';
import type { BpCodeEditor, CodeChangeEvent } from './bp-code-editor.ts';
import './bp-markdown-view.ts';
import { ConfigEditorSchema, configJsonSchema, nativeBodyJsonSchema } from './json-schemas.ts';
import { controlStyles } from './shared-styles.ts';
import { StoreController } from './store-controller.ts';

type ConfigCell = Extract<Cell, { kind: 'config' }>;

function configText(cell: ConfigCell): string {
  const { maxTokens, temperature, topP, stopSequences, extras } = cell;
  const fields = { maxTokens, temperature, topP, stopSequences };
  return JSON.stringify(Object.keys(extras).length ? { ...fields, extras } : fields, null, 2);
}

const TEXT_EDITORS = {
  system: { label: 'System prompt', placeholder: 'You are a helpful assistant…' },
  prompt: { label: 'Prompt', placeholder: 'Ask the models something…' },
  assistant: {
    label: 'Assistant turn',
    placeholder: 'A scripted answer, or the opening words the models must continue…',
  },
} as const;

/**
 * Connects a cell to its editors: picks the editor for the cell's kind, turns the editor's text
 * into cell fields (JSON for config cells, checked against the schema) and writes them to the
 * store. Invalid JSON stays in the editor, with the problem shown, until it is fixed.
 */
export class BpCellEditor extends LitElement {
  static override properties = {
    cell: { attribute: false },
    editing: { state: true },
    draft: { state: true },
    problem: { state: true },
  };

  /** The cell edited. */
  declare cell: Cell | undefined;
  /** Markdown cells show their rendering until edited. */
  declare private editing: boolean;
  /** Config JSON as typed, while it does not parse into a valid config. */
  declare private draft: string | undefined;
  declare private problem: string;
  /** The cell the draft was last written to the store as (the draft still shows it). */
  private draftFor: Cell | undefined;

  private readonly state = new StoreController(this, { notebook: true });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .rendered {
        padding: 8px 12px;
        min-height: 24px;
        cursor: text;
        border-radius: 6px;
      }
      .rendered:hover {
        background: var(--bp-surface-2);
      }
      .rendered .empty {
        color: var(--bp-muted);
        font-style: italic;
      }
      .row {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        padding: 4px 12px 8px;
        font-size: 13px;
        color: var(--bp-muted);
      }
      .problem {
        margin: 4px 12px 8px;
        color: var(--bp-danger);
        font-size: 12px;
        white-space: pre-wrap;
      }
      bp-code-editor {
        border-radius: 6px;
      }
    `,
  ];

  constructor() {
    super();
    this.editing = false;
    this.problem = '';
  }

  /** Puts the keyboard in the cell's editor (opening a Markdown cell for editing). */
  override focus(): void {
    if (this.cell?.kind === 'markdown') this.editing = true;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<BpCodeEditor>('bp-code-editor')?.focus(),
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get('cell');
    if (changed.has('cell') && (!old || old.id !== this.cell?.id || old.kind !== this.cell?.kind)) {
      this.draft = undefined;
      this.problem = '';
      this.editing = this.cell?.kind === 'markdown' && !this.cell.text;
    }
  }

  private update_(cell: Cell): void {
    this.state.store?.updateCell(cell);
  }

  protected override render() {
    const cell = this.cell;
    const store = this.state.store;
    if (!cell || !store) return nothing;
    switch (cell.kind) {
      case 'markdown':
        return this.editing
          ? html`<bp-code-editor
                language="markdown"
                label="Markdown"
                placeholder="Notes in Markdown…"
                .value=${cell.text}
                @code-change=${(e: CodeChangeEvent) => this.update_({ ...cell, text: e.value })}
              ></bp-code-editor>
              <div class="row">
                <button @click=${() => (this.editing = false)}>Done</button>
              </div>`
          : html`<div class="rendered" @dblclick=${() => this.focus()} title="Double-click to edit">
              ${
                cell.text
                  ? html`<bp-markdown-view .markdown=${cell.text}></bp-markdown-view>`
                  : html`<span class="empty">Empty note</span>`
              }
            </div>`;
      case 'system':
      case 'prompt':
      case 'assistant': {
        const { label, placeholder } = TEXT_EDITORS[cell.kind];
        return html`<bp-code-editor
            language="markdown"
            label=${label}
            placeholder=${placeholder}
            .value=${cell.text}
            @code-change=${(e: CodeChangeEvent) => this.update_({ ...cell, text: e.value })}
          ></bp-code-editor>
          ${
            cell.kind === 'prompt'
              ? html`<div class="row">
                  <label
                    ><input
                      type="checkbox"
                      .checked=${cell.newThread}
                      @change=${(e: Event) =>
                        this.update_({
                          ...cell,
                          newThread: (e.target as HTMLInputElement).checked,
                        })}
                    />
                    Start a new conversation thread</label
                  >
                </div>`
              : nothing
          }`;
      }
      case 'config':
        return html`<bp-code-editor
            language="json"
            label="Inference config"
            uri="inmemory://bp/config-${cell.id}.json"
            .schema=${configJsonSchema(store.notebook.targets.map((t) => t.id))}
            .value=${
              this.draft !== undefined && (this.problem || this.draftFor === cell)
                ? this.draft
                : configText(cell)
            }
            @code-change=${(e: CodeChangeEvent) => this.onConfig(cell, e.value)}
          ></bp-code-editor>
          ${
            this.problem
              ? html`<p class="problem" role="alert">${this.problem}</p>`
              : html`<div class="row">
                  maxTokens, temperature, topP and stopSequences apply to every cell below; extras
                  are per target id.
                </div>`
          }`;
      case 'native': {
        const models = store.models.filter((m) => m.apis.includes('invoke'));
        return html`<div class="row">
            <label
              >Model
              <select
                aria-label="Model of the native body"
                @change=${(e: Event) =>
                  this.update_({ ...cell, modelId: (e.target as HTMLSelectElement).value })}
              >
                ${
                  models.some((m) => m.id === cell.modelId)
                    ? nothing
                    : html`<option value=${cell.modelId} selected>${cell.modelId}</option>`
                }
                ${models.map(
                  (m) =>
                    html`<option value=${m.id} ?selected=${m.id === cell.modelId}>
                      ${m.name}
                    </option>`,
                )}
              </select></label
            >
            <button
              @click=${() => this.update_({ ...cell, body: store.deriveBody(cell, cell.modelId) })}
            >
              Derive from context above
            </button>
          </div>
          <bp-code-editor
            language="json"
            label="Native body"
            uri="inmemory://bp/native-${cell.id}.json"
            .schema=${nativeBodyJsonSchema(cell.modelId)}
            .value=${cell.body}
            @code-change=${(e: CodeChangeEvent) => this.update_({ ...cell, body: e.value })}
          ></bp-code-editor>`;
      }
      default:
        return unreachable(cell);
    }
  }

  private onConfig(cell: ConfigCell, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.draft = text;
      this.problem = `Not valid JSON yet: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    const parsed = ConfigEditorSchema.safeParse(json);
    if (!parsed.success) {
      this.draft = text;
      this.problem = describeZodError(parsed.error);
      return;
    }
    this.draft = text;
    this.problem = '';
    const { extras, ...fields } = parsed.data;
    this.draftFor = { kind: 'config', id: cell.id, ...fields, extras: extras ?? {} };
    this.update_(this.draftFor);
  }
}

customElements.define('bp-cell-editor', BpCellEditor);

declare global {
  interface HTMLElementTagNameMap {
    'bp-cell-editor': BpCellEditor;
  }
}
