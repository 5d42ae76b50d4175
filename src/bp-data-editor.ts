import { LitElement, css, html, nothing } from 'lit';
import { dataText, DATA_LIMITS, parseData } from '../cells/data.ts';
import type { DataFormat, DataTable } from '../cells/data.ts';
import type { Cell } from '../cells/notebook.ts';
import './bp-code-editor.ts';
import type { CodeChangeEvent } from './bp-code-editor.ts';
import { icons } from './icons.ts';
import { controlStyles } from './shared-styles.ts';
import { EDITOR_SHORTCUTS } from './shortcuts.ts';
import { StoreController } from './store-controller.ts';

type DataCell = Extract<Cell, { kind: 'data' }>;

const FORMAT_NAMES: Record<DataFormat, string> = { csv: 'CSV', jsonl: 'JSON lines' };
/** A table larger than this is edited as text: a page of inputs stops being a table to read. */
const TABLE_ROWS = 50;
/** How many rows of a file the preview shows. */
const PREVIEW_ROWS = 10;

/**
 * A data cell: test cases whose columns fill the `{{variables}}` of the cells below. Edited as a
 * small table (a name per column, a value per cell) or as its text (CSV or JSON lines, pasted from
 * a spreadsheet), or read from a CSV or JSON-lines file of the workspace.
 */
export class BpDataEditor extends LitElement {
  static override properties = {
    cell: { attribute: false },
    asText: { state: true },
  };

  /** The data cell edited. */
  declare cell: DataCell | undefined;
  /** Shows the text instead of the table. */
  declare private asText: boolean;

  private readonly state = new StoreController(this, { notebook: true });

  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        padding: 4px 8px 8px;
        font-size: 13px;
        color: var(--bp-muted);
      }
      .summary {
        padding: 0 8px 6px;
        font-size: 13px;
      }
      .problem {
        color: var(--bp-danger);
        white-space: pre-wrap;
      }
      .scroll {
        overflow: auto;
        max-height: 420px;
        padding: 0 8px 8px;
      }
      table {
        border-collapse: collapse;
        font-size: 13px;
      }
      th,
      td {
        border: 1px solid var(--bp-border);
        padding: 0;
      }
      th {
        background: var(--bp-surface-2);
      }
      td.number {
        padding: 0 6px;
        color: var(--bp-muted);
        font: 12px var(--bp-mono);
        text-align: right;
      }
      table input {
        border: none;
        border-radius: 0;
        min-width: 8em;
        width: 100%;
        box-sizing: border-box;
        background: transparent;
      }
      th input {
        font-weight: 600;
      }
      .preview td {
        padding: 2px 6px;
      }
    `,
  ];

  constructor() {
    super();
    this.asText = false;
  }

  private save(cell: DataCell): void {
    this.state.store?.updateCell(cell);
  }

  /** Writes a table back as the cell's text, in its format. */
  private write(cell: DataCell, table: DataTable): void {
    this.save({ ...cell, text: dataText(table, cell.format) });
  }

  private changeFormat(cell: DataCell, format: DataFormat): void {
    let text = cell.text;
    try {
      text = dataText(parseData(cell.text, cell.format), format);
    } catch {
      // Text that does not parse is kept as it is: the person fixes it in the new format.
    }
    this.save({ ...cell, format, text });
  }

  private changeFile(cell: DataCell, file: string): void {
    const next: DataCell = { ...cell };
    delete next.file;
    this.save(file ? { ...next, file } : next);
  }

  protected override render() {
    const cell = this.cell;
    const store = this.state.store;
    if (!cell || !store) return nothing;
    const state = store.tables.of(cell);
    const table = 'table' in state ? state.table : undefined;
    const fromFile = cell.file !== undefined;
    const asText = this.asText || (!table && !fromFile) || (table?.rows.length ?? 0) > TABLE_ROWS;
    return html`<div class="row">
        <label
          >Format
          <select
            aria-label="Format of the test cases"
            ?disabled=${fromFile}
            @change=${(e: Event) =>
              this.changeFormat(cell, (e.target as HTMLSelectElement).value as DataFormat)}
          >
            ${(['csv', 'jsonl'] as const).map(
              (f) =>
                html`<option value=${f} ?selected=${f === cell.format}>${FORMAT_NAMES[f]}</option>`,
            )}
          </select></label
        >
        <label
          >File
          <input
            type="text"
            aria-label="Data file in the workspace"
            placeholder="cases.csv (empty: the table below)"
            .value=${cell.file ?? ''}
            @change=${(e: Event) => this.changeFile(cell, (e.target as HTMLInputElement).value.trim())}
        /></label>
        ${
          fromFile
            ? html`<button @click=${() => store.tables.reload(cell.file!)}>
                ${icons.rerun} Read again
              </button>`
            : html`<button
                aria-pressed=${asText ? 'true' : 'false'}
                ?disabled=${!table || table.rows.length > TABLE_ROWS}
                @click=${() => (this.asText = !this.asText)}
              >
                ${icons.edit} Edit as text
              </button>`
        }
      </div>
      <div class="summary" role="status" aria-label="Test cases of this cell">
        ${
          'error' in state
            ? html`<span class="problem">${state.error}</span>`
            : 'loading' in state
              ? `Reading ${cell.file}…`
              : `${state.table.rows.length} test case${state.table.rows.length === 1 ? '' : 's'}${
                  state.table.columns.length
                    ? ` · variables ${state.table.columns.map((c) => `{{${c}}}`).join(', ')}`
                    : ''
                }`
        }
      </div>
      ${
        fromFile
          ? table
            ? this.renderPreview(table)
            : nothing
          : asText
            ? html`<bp-code-editor
                language="plaintext"
                label=${`Test cases as ${FORMAT_NAMES[cell.format]}`}
                placeholder=${cell.format === 'csv' ? 'city,country\nParis,France' : '{"city": "Paris"}'}
                .commands=${EDITOR_SHORTCUTS}
                .value=${cell.text}
                @code-change=${(e: CodeChangeEvent) => this.save({ ...cell, text: e.value })}
              ></bp-code-editor>`
            : this.renderTable(cell, table ?? { columns: [], rows: [] })
      }`;
  }

  private renderTable(cell: DataCell, table: DataTable) {
    const columns = table.columns.length ? table.columns : [];
    const setValue = (row: number, column: string, value: string) =>
      this.write(cell, {
        columns,
        rows: table.rows.map((r, i) => (i === row ? { ...r, [column]: value } : r)),
      });
    const rename = (index: number, name: string) => {
      const old = columns[index]!;
      if (!name || name === old || columns.includes(name)) return;
      this.write(cell, {
        columns: columns.map((c, i) => (i === index ? name : c)),
        rows: table.rows.map((r) =>
          Object.fromEntries(columns.map((c, i) => [i === index ? name : c, r[c] ?? ''])),
        ),
      });
    };
    const addColumn = () => {
      let n = columns.length + 1;
      while (columns.includes(`column${n}`)) n++;
      const name = `column${n}`;
      this.write(cell, {
        columns: [...columns, name],
        rows: (table.rows.length ? table.rows : [{}]).map((r) => ({ ...r, [name]: '' })),
      });
    };
    const addRow = () =>
      this.write(cell, {
        columns,
        rows: [...table.rows, Object.fromEntries(columns.map((c) => [c, '']))],
      });
    const removeRow = (row: number) =>
      this.write(cell, { columns, rows: table.rows.filter((_, i) => i !== row) });
    const removeColumn = (column: string) =>
      this.write(cell, {
        columns: columns.filter((c) => c !== column),
        rows: table.rows.map((r) =>
          Object.fromEntries(Object.entries(r).filter(([c]) => c !== column)),
        ),
      });
    return html`<div class="scroll">
        ${
          columns.length
            ? html`<table aria-label="Test cases">
                <thead>
                  <tr>
                    <th></th>
                    ${columns.map(
                      (c, i) =>
                        html`<th>
                          <input
                            type="text"
                            aria-label="Name of column ${i + 1}"
                            .value=${c}
                            @change=${(e: Event) =>
                              rename(i, (e.target as HTMLInputElement).value.trim())}
                          />
                        </th>`,
                    )}
                    <th>
                      <button
                        class="icon"
                        aria-label="Remove column ${columns.at(-1)}"
                        title="Remove the last column"
                        @click=${() => removeColumn(columns.at(-1)!)}
                      >
                        ${icons.close}
                      </button>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  ${table.rows.map(
                    (r, row) =>
                      html`<tr>
                        <td class="number">${row + 1}</td>
                        ${columns.map(
                          (c) =>
                            html`<td>
                              <input
                                type="text"
                                aria-label="${c} of test case ${row + 1}"
                                .value=${r[c] ?? ''}
                                @input=${(e: Event) =>
                                  setValue(row, c, (e.target as HTMLInputElement).value)}
                              />
                            </td>`,
                        )}
                        <td>
                          <button
                            class="icon"
                            aria-label="Remove test case ${row + 1}"
                            @click=${() => removeRow(row)}
                          >
                            ${icons.trash}
                          </button>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : nothing
        }
      </div>
      <div class="row">
        <button
          ?disabled=${!columns.length || table.rows.length >= DATA_LIMITS.rows}
          @click=${addRow}
        >
          + Test case
        </button>
        <button ?disabled=${columns.length >= DATA_LIMITS.columns} @click=${addColumn}>
          + Variable
        </button>
      </div>`;
  }

  private renderPreview(table: DataTable) {
    const shown = table.rows.slice(0, PREVIEW_ROWS);
    return html`<div class="scroll">
      <table class="preview" aria-label="Test cases from the file">
        <thead>
          <tr>
            ${table.columns.map((c) => html`<th>${c}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (r) =>
              html`<tr>
                ${table.columns.map((c) => html`<td>${r[c]}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        table.rows.length > shown.length
          ? html`<p>…and ${table.rows.length - shown.length} more.</p>`
          : nothing
      }
    </div>`;
  }
}

customElements.define('bp-data-editor', BpDataEditor);

declare global {
  interface HTMLElementTagNameMap {
    'bp-data-editor': BpDataEditor;
  }
}
