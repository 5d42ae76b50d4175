import Papa from 'papaparse';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.ts';
import type { Variables } from './variables.ts';

/**
 * Test cases: a table whose columns fill `{{name}}` variables. A data cell holds it as CSV (a
 * header row, then one row per case) or JSON lines (one object per case), in the notebook or in
 * a file of the workspace. Values are text, as the prompt receives them: a JSON-lines number or
 * object becomes its JSON text.
 */

export type DataFormat = 'csv' | 'jsonl';

/** The test cases of a data cell: the column names in order, and each row's values by name. */
export interface DataTable {
  columns: string[];
  rows: Variables[];
}

/** What a data cell may hold: enough for a grid of thousands of calls, little enough to read at once. */
export const DATA_LIMITS = {
  /** Rows (test cases). */
  rows: 10_000,
  columns: 100,
  /** The table's text, in characters (a data file is checked in bytes on disk). */
  chars: 4 * 1024 * 1024,
  /** A column name, in characters. */
  nameChars: 200,
} as const;

/** A data table that cannot be read, naming where. */
export class DataError extends Error {
  override name = 'DataError';
}

/** The format a data file's name says: `.csv`, or `.jsonl` / `.ndjson`. */
export function formatOfFile(file: string): DataFormat | undefined {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return undefined;
}

/** Reads a table; throws a `DataError` naming the row or line of the first problem. */
export function parseData(text: string, format: DataFormat): DataTable {
  if (text.length > DATA_LIMITS.chars) {
    throw new DataError(
      `the data is larger than ${DATA_LIMITS.chars / 1024 / 1024} MiB, the limit for test cases`,
    );
  }
  const table = format === 'csv' ? parseCsv(text) : parseJsonLines(text);
  if (table.rows.length > DATA_LIMITS.rows) {
    throw new DataError(`the data has ${table.rows.length} rows; at most ${DATA_LIMITS.rows}`);
  }
  return table;
}

function checkColumns(columns: readonly string[], where: string): void {
  if (columns.length > DATA_LIMITS.columns) {
    throw new DataError(`${where} has ${columns.length} columns; at most ${DATA_LIMITS.columns}`);
  }
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (!name) throw new DataError(`${where}: column ${i + 1} has no name`);
    if (name.length > DATA_LIMITS.nameChars || /[{}\r\n]/.test(name)) {
      throw new DataError(
        `${where}: the column name "${name.slice(0, 40)}" cannot be a variable (no braces or line breaks, at most ${DATA_LIMITS.nameChars} characters)`,
      );
    }
    if (seen.has(name)) throw new DataError(`${where}: the column "${name}" is named twice`);
    seen.add(name);
  });
}

function parseCsv(text: string): DataTable {
  if (!text.trim()) return { columns: [], rows: [] };
  // Only blank lines are skipped: a row of empty values ("," for two columns) is a test case.
  const parsed = Papa.parse(text, { skipEmptyLines: true, delimiter: ',' });
  const error = parsed.errors[0];
  if (error) {
    const row = error.row === undefined ? '' : ` in row ${error.row}`;
    throw new DataError(`the CSV cannot be read${row}: ${error.message}`);
  }
  const [header = [], ...records] = parsed.data.filter(
    (record) => record.length > 1 || record[0]!.trim() !== '',
  );
  const columns = header.map((name) => name.trim());
  checkColumns(columns, 'the header row');
  const rows = records.map((record, i) => {
    if (record.length !== columns.length) {
      throw new DataError(
        `row ${i + 1} has ${record.length} values but the header names ${columns.length} columns`,
      );
    }
    return Object.fromEntries(columns.map((name, c) => [name, record[c]!]));
  });
  return { columns, rows };
}

function parseJsonLines(text: string): DataTable {
  const columns: string[] = [];
  const known = new Set<string>();
  const rows: Variables[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `line ${i + 1}`;
    const deep = tooDeepAt(line);
    if (deep !== null) throw new DataError(`${where} nests more than ${MAX_JSON_DEPTH} levels`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DataError(`${where} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DataError(`${where} must be a JSON object, e.g. {"city": "Paris"}`);
    }
    const row: Record<string, string> = {};
    for (const [name, cell] of Object.entries(value)) {
      if (!known.has(name)) {
        known.add(name);
        columns.push(name);
      }
      row[name] = typeof cell === 'string' ? cell : JSON.stringify(cell);
    }
    rows.push(row);
    if (rows.length > DATA_LIMITS.rows) {
      throw new DataError(`the data has more than ${DATA_LIMITS.rows} rows`);
    }
  });
  checkColumns(columns, 'the data');
  // A row without a column has it empty, as a CSV cell would be.
  return {
    columns,
    rows: rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? '']))),
  };
}

/** The table as text of `format`: what the table editor writes back into the cell. */
export function dataText(table: DataTable, format: DataFormat): string {
  if (format === 'jsonl') return table.rows.map((row) => JSON.stringify(row)).join('\n');
  if (!table.columns.length) return '';
  return Papa.unparse(
    [table.columns, ...table.rows.map((row) => table.columns.map((c) => row[c] ?? ''))],
    {
      newline: '\n',
    },
  );
}

/** "city=Paris, country=France": a row as a label, its first values shortened. */
export function describeRow(row: Variables, columns: readonly string[], width = 60): string {
  const text = columns
    .map((c) => `${c}=${row[c] ?? ''}`)
    .join(', ')
    .replace(/\s+/g, ' ');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
