import { LitElement, css, html, nothing } from 'lit';
import type { PropertyValues } from 'lit';
import type { Catalog } from '../cells/models/listing.ts';
import type { Cell } from '../cells/notebook.ts';
import { configText, describeZodError } from '../cells/notebook.ts';
import { unreachable } from '../cells/unreachable.ts';
import './bp-code-editor.ts';
import type { BpCodeEditor, CodeChangeEvent, EditorCommandEvent } from './bp-code-editor.ts';
import './bp-data-editor.ts';
import './bp-markdown-view.ts';
import './bp-prompt-checks.ts';
import './bp-model-picker.ts';
import type { ModelPickEvent } from './bp-model-picker.ts';
import './bp-prompt-parts.ts';
import { ConfigEditorSchema, configJsonSchema, nativeBodyJsonSchema } from './json-schemas.ts';
import { controlStyles } from './shared-styles.ts';
import { EDITOR_SHORTCUTS } from './shortcuts.ts';
import { StoreController } from './store-controller.ts';

type ConfigCell = Extract<Cell, { kind: 'config' }>;
type NativeCell = Extract<Cell, { kind: 'native' }>;

/** The catalog's models a native body can be written for (those with an adapter), per catalog. */
const nativeCatalogs = new WeakMap<Catalog, Catalog>();
function nativeCatalog(catalog: Catalog | undefined): Catalog | undefined {
  if (!catalog) return undefined;
  let native = nativeCatalogs.get(catalog);
  if (!native) {
    native = { ...catalog, models: catalog.models.filter((m) => m.apis.includes('invoke')) };
    nativeCatalogs.set(catalog, native);
  }
  return native;
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
 * store. Config text that is not valid yet stays as typed (a draft in the store, so the save state
 * can say that it is not saved) with the problem shown, until it is fixed. Prose editors let Tab
 * move on; JSON editors indent with it, and Esc leaves every editor.
 */
export class BpCellEditor extends LitElement {
  static override properties = {
    cell: { attribute: false },
    editing: { state: true },
    problem: { state: true },
  };

  /** The cell edited. */
  declare cell: Cell | undefined;
  /** Markdown cells show their rendering until edited. */
  declare private editing: boolean;
  /** Why the last Derive or Format of a native body did nothing. */
  declare private problem: string;

  private readonly state = new StoreController(this, { notebook: true, backend: true });

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
      .row select {
        max-width: 100%;
      }
      .problem {
        margin: 4px 12px 8px;
        color: var(--bp-danger);
        font-size: 12px;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
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

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('code-blur', this.onBlur);
    this.addEventListener('editor-command', this.onCommand);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('code-blur', this.onBlur);
    this.removeEventListener('editor-command', this.onCommand);
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
      this.problem = '';
      this.editing = this.cell?.kind === 'markdown' && !this.cell.text;
    }
  }

  /** Typing that ends here is one undo step. */
  private readonly onBlur = (): void => {
    this.state.store?.sealEdits();
  };

  /** Leaving a Markdown cell's editor with Esc shows it rendered, as running it does in Jupyter. */
  private readonly onCommand = (event: EditorCommandEvent): void => {
    const leaving = event.command === 'command-mode' || event.command === 'run-advance';
    if (leaving && this.cell?.kind === 'markdown' && this.cell.text) this.editing = false;
  };

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
                tab-moves-focus
                .commands=${EDITOR_SHORTCUTS}
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
            tab-moves-focus
            .commands=${EDITOR_SHORTCUTS}
            .value=${cell.text}
            @code-change=${(e: CodeChangeEvent) => this.update_({ ...cell, text: e.value })}
          ></bp-code-editor>
          ${
            cell.kind === 'prompt'
              ? html`<bp-prompt-parts
                    .cell=${cell}
                    number=${store.notebook.cells.indexOf(cell) + 1}
                  ></bp-prompt-parts>
                  <div class="row">
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
                  </div>
                  <bp-prompt-checks
                    .cell=${cell}
                    .number=${store.notebook.cells.indexOf(cell) + 1}
                  ></bp-prompt-checks>`
              : nothing
          }`;
      }
      case 'config': {
        const draft = store.draftOf(cell.id);
        return html`<bp-code-editor
            language="json"
            label="Inference config"
            uri="inmemory://bp/config-${cell.id}.json"
            .schema=${configJsonSchema(store.notebook.targets.map((t) => t.id))}
            .commands=${EDITOR_SHORTCUTS}
            .value=${draft?.text ?? configText(cell)}
            @code-change=${(e: CodeChangeEvent) => this.onConfig(cell, e.value)}
          ></bp-code-editor>
          ${
            draft
              ? html`<p class="problem" role="alert">${draft.problem}</p>`
              : html`<div class="row">
                  maxTokens, temperature, topP and stopSequences apply to every cell below; extras
                  are per target id.
                </div>`
          }`;
      }
      case 'native':
        return this.renderNative(cell);
      case 'data':
        return html`<bp-data-editor .cell=${cell}></bp-data-editor>`;
      default:
        return unreachable(cell);
    }
  }

  private renderNative(cell: NativeCell) {
    const store = this.state.store;
    if (!store) return nothing;
    return html`<div class="row">
        <label class="model"
          >Model
          <bp-model-picker
            .catalog=${nativeCatalog(store.catalog)}
            .value=${cell.modelId}
            .label=${'the native body'}
            @model-pick=${(e: ModelPickEvent) => this.update_({ ...cell, modelId: e.modelId })}
          ></bp-model-picker
        ></label>
        <button @click=${() => this.derive(cell)}>Derive from context above</button>
        <button
          title="Format the JSON (also Shift+Alt+F in the editor)"
          @click=${() => this.format(cell)}
        >
          Format
        </button>
      </div>
      <bp-code-editor
        language="json"
        label="Native body"
        uri="inmemory://bp/native-${cell.id}.json"
        .schema=${nativeBodyJsonSchema(cell.modelId)}
        .commands=${EDITOR_SHORTCUTS}
        .value=${cell.body}
        @code-change=${(e: CodeChangeEvent) => this.update_({ ...cell, body: e.value })}
      ></bp-code-editor>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}`;
  }

  /** Replaces the body with the one the model's adapter builds from the cells above. */
  private derive(cell: NativeCell): void {
    const store = this.state.store;
    if (!store) return;
    const derived = store.deriveBody(cell, cell.modelId);
    if ('error' in derived) {
      this.problem = `Cannot derive the body yet: ${derived.error}`;
      return;
    }
    this.problem = '';
    if (derived.body !== cell.body) this.update_({ ...cell, body: derived.body });
  }

  /** Lays the body out as indented JSON, on request (never while it is being typed). */
  private format(cell: NativeCell): void {
    let value: unknown;
    try {
      value = JSON.parse(cell.body);
    } catch (error) {
      this.problem = `Cannot format: the body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`;
      return;
    }
    this.problem = '';
    const body = JSON.stringify(value, null, 2);
    if (body !== cell.body) this.update_({ ...cell, body });
  }

  /**
   * Config text as typed: valid, it becomes the cell's fields (shown in their usual layout once
   * the editor is left); not valid yet, it is kept as a draft and the cell keeps its last valid
   * fields.
   */
  private onConfig(cell: ConfigCell, text: string): void {
    const store = this.state.store;
    if (!store) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      store.setDraft(cell.id, {
        text,
        problem: `Not valid JSON yet: ${why}. Until it is, the file keeps this cell’s last valid config.`,
        summary: 'is not valid JSON',
      });
      return;
    }
    const parsed = ConfigEditorSchema.safeParse(json);
    if (!parsed.success) {
      store.setDraft(cell.id, {
        text,
        problem: `${describeZodError(parsed.error)}\nUntil this is fixed, the file keeps this cell’s last valid config.`,
        summary: 'is not a valid inference config',
      });
      return;
    }
    const { extras, ...fields } = parsed.data;
    const next: ConfigCell = { kind: 'config', id: cell.id, ...fields, extras: extras ?? {} };
    const current = store.cell(cell.id);
    // The same config laid out another way is no edit (nothing to save or undo).
    if (current?.kind === 'config' && configText(current) === configText(next)) {
      store.setDraft(cell.id, undefined);
    } else {
      this.update_(next);
    }
  }
}

customElements.define('bp-cell-editor', BpCellEditor);

declare global {
  interface HTMLElementTagNameMap {
    'bp-cell-editor': BpCellEditor;
  }
}
