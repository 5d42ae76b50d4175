import { fromMarkdown } from 'mdast-util-from-markdown';
import {
  isMap,
  isNode,
  isScalar,
  LineCounter,
  parseDocument,
  stringify as stringifyYaml,
} from 'yaml';
import type { z } from 'zod';
import { jsonErrorLine, jsonErrorWhere } from './json.ts';
import { CELL_KINDS, configText, InferenceConfigSchema, NotebookSchema } from './notebook.ts';
import type { Cell, CellKind, CellSpec, Notebook } from './notebook.ts';
import { unreachable } from './unreachable.ts';

/**
 * The notebook file format: Markdown that reads like prose in a diff.
 *
 *     ---
 *     title: Pirate email
 *     version: 1
 *     targets:
 *       - id: haiku
 *         label: Claude 3 Haiku
 *         modelId: anthropic.claude-3-haiku-20240307-v1:0
 *         api: converse
 *     ---
 *
 *     ```system id=pirate
 *     Please respond to all requests in the style of a pirate.
 *     ```
 *
 * A YAML front matter header holds the notebook's metadata; then one fenced block per cell, the
 * fence's info string naming the kind and attributes (`id=…`, `model=…` on native cells,
 * `new-thread` on prompt cells). A cell's text is the fence's content, byte for byte; a config
 * cell's content is a JSON object. Each fence is one backtick longer than the longest backtick
 * run in its content, so any text round-trips. Only blank lines may sit between fences.
 */

/** A notebook file that cannot be read, with the 1-based line of the problem. */
export class NotebookParseError extends Error {
  override name = 'NotebookParseError';
  /** 1-based line of the file the problem is on. */
  readonly line: number;
  constructor(line: number, problem: string) {
    super(`line ${line}: ${problem}`);
    this.line = line;
  }
}

const HEADER_KEYS = ['title', 'version', 'targets'] as const;
const CONFIG_KEYS = [...Object.keys(InferenceConfigSchema.shape), 'extras'];
/** Attributes each kind may carry besides `id`, and whether they are bare flags. */
const ATTRIBUTES: Record<CellKind, Record<string, 'flag' | 'value'>> = {
  markdown: {},
  system: {},
  config: {},
  prompt: { 'new-thread': 'flag' },
  assistant: {},
  native: { model: 'value' },
};

// ---------------------------------------------------------------------------------------------
// Serializing

/** The file text of a notebook; `parseNotebook(serializeNotebook(nb))` gives `nb` back. */
export function serializeNotebook(nb: Notebook): string {
  const header = stringifyYaml(
    {
      title: nb.title,
      version: nb.version,
      targets: nb.targets.map((t) => ({
        id: t.id,
        label: t.label,
        modelId: t.modelId,
        api: t.api,
      })),
    },
    { lineWidth: 0 },
  );
  const blocks = nb.cells.map(serializeCell);
  return [`---\n${header}---\n`, ...blocks.map((b) => `${b}\n`)].join('\n');
}

function serializeCell(cell: Cell): string {
  const attributes = [`id=${attributeValue(cell.id)}`];
  let content: string;
  switch (cell.kind) {
    case 'markdown':
    case 'system':
    case 'assistant':
      content = cell.text;
      break;
    case 'prompt':
      if (cell.newThread) attributes.push('new-thread');
      content = cell.text;
      break;
    case 'native':
      attributes.push(`model=${attributeValue(cell.modelId)}`);
      content = cell.body;
      break;
    case 'config':
      content = configText(cell);
      break;
    default:
      return unreachable(cell);
  }
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
  const body = content === '' ? '' : `${content}\n`;
  return `${fence}${cell.kind} ${attributes.join(' ')}\n${body}${fence}`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * Bare when safe; otherwise a JSON string. Backticks are escaped (an info string may not hold
 * them), and so is every control, format or separator character that `JSON.stringify` leaves
 * raw (U+0085, U+2028, U+2029, …): the info string must stay one line for every reader.
 */
function attributeValue(value: string): string {
  if (/^[A-Za-z0-9._:/@+-]+$/.test(value)) return value;
  return JSON.stringify(value).replace(/[`\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) =>
    // Per UTF-16 unit, so an astral character becomes a surrogate pair JSON reads back whole.
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`,
    ).join(''),
  );
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Reads a notebook file; throws `NotebookParseError` naming the line of the first problem. */
export function parseNotebook(text: string): Notebook {
  const header = readHeader(text);
  // Blank the header (keeping offsets and line numbers) so the Markdown parser sees only cells.
  const body = text.slice(0, header.end).replace(/[^\r\n]/g, ' ') + text.slice(header.end);
  const tree = fromMarkdown(body);
  // The file's line ending, as its first line has it.
  const eol = /^---[ \t]*\r\n/.test(text) ? '\r\n' : '\n';

  const cells: CellSpec[] = [];
  const cellLines: number[] = [];
  for (const node of tree.children) {
    const start = node.position?.start;
    const end = node.position?.end;
    if (!start || !end || start.offset === undefined || end.offset === undefined) {
      throw new NotebookParseError(1, 'the Markdown parser gave no positions');
    }
    if (node.type !== 'code') {
      throw new NotebookParseError(
        start.line,
        `only fenced cells may appear between cells, found ${describeNode(node.type)}; put notes in a \`\`\`markdown cell`,
      );
    }
    cells.push(
      readCell(
        text,
        { line: start.line, offset: start.offset },
        { line: end.line, column: end.column, offset: end.offset },
        eol,
      ),
    );
    cellLines.push(start.line);
  }

  const result = NotebookSchema.safeParse({ ...header.fields, cells });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new NotebookParseError(
      issueLine(issue, header, cellLines),
      `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
    );
  }
  return result.data;
}

interface Header {
  /** Offset just past the closing `---` line. */
  end: number;
  fields: Record<string, unknown>;
  /** The line of a YAML path (for errors about targets), or the header's first line. */
  lineOf(path: readonly PropertyKey[]): number;
}

const LINE = /([^\r\n]*)(\r\n|\r|\n|$)/y;

/** The lines of `text` from offset `from` on, each with its start and the next line's start. */
function* lines(
  text: string,
  from = 0,
): Generator<{ text: string; start: number; next: number }, void> {
  let offset = from;
  while (offset < text.length) {
    LINE.lastIndex = offset;
    const match = LINE.exec(text)!;
    const next = offset + match[0].length;
    yield { text: match[1]!, start: offset, next };
    offset = next;
  }
}

function readHeader(text: string): Header {
  const iterator = lines(text);
  const first = iterator.next();
  if (first.done || first.value.text.trimEnd() !== '---') {
    throw new NotebookParseError(
      1,
      'a notebook file starts with a "---" line opening its header (title, version, targets)',
    );
  }
  let close: { start: number; next: number } | undefined;
  for (const line of iterator) {
    if (line.text.trimEnd() === '---') {
      close = line;
      break;
    }
  }
  if (!close) throw new NotebookParseError(1, 'the header is never closed by a "---" line');

  const yamlText = text.slice(first.value.next, close.start);
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  // The YAML starts on the file's second line.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  const error = doc.errors[0];
  if (error) {
    throw new NotebookParseError(fileLine(error.pos[0]), `header: ${error.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new NotebookParseError(2, 'the header must be a YAML mapping (title, version, targets)');
  }
  const fields = (value ?? {}) as Record<string, unknown>;
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let depth = path.length; depth > 0; depth--) {
      const node: unknown = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return fileLine(node.range[0]);
    }
    return 1;
  };
  for (const key of Object.keys(fields)) {
    if (!(HEADER_KEYS as readonly string[]).includes(key)) {
      const pair = isMap(doc.contents)
        ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key)
        : undefined;
      const range = isScalar(pair?.key) ? pair.key.range : undefined;
      throw new NotebookParseError(
        range ? fileLine(range[0]) : 2,
        `unknown header field "${key}" (expected ${HEADER_KEYS.join(', ')})`,
      );
    }
  }
  return { end: close.next, fields, lineOf };
}

function readCell(
  text: string,
  start: { line: number; offset: number },
  end: { line: number; column: number; offset: number },
  eol: string,
): CellSpec {
  const line = start.line;
  // The opening line, from the node's start to its line ending.
  const opening = lines(text, start.offset).next().value!;
  const fence = /^(`{3,}|~{3,})(.*)$/.exec(opening.text);
  if (!fence) {
    throw new NotebookParseError(
      line,
      'indented code is not a cell: start each cell with a fence at the beginning of the line',
    );
  }
  const [, marker, info] = fence as unknown as [string, string, string];

  // The closing line runs from the start of the node's last line to its end.
  const closeStart = end.offset - (end.column - 1);
  const closing = text.slice(closeStart, end.offset);
  const closes =
    end.line > line &&
    closing.trim().length >= marker.length &&
    /^ {0,3}(`+|~+)[ \t]*$/.test(closing) &&
    closing.trim()[0] === marker[0];
  const { kind, attributes } = readInfo(info, line);
  if (!closes) {
    throw new NotebookParseError(
      line,
      `the ${kind} cell's fence ${marker} is never closed: add a line with ${marker} after its text`,
    );
  }
  // The content is every byte between the opening line and the closing line, less one line ending.
  // In a file written with \n line endings (as `serializeNotebook` writes), a text ending in \r
  // keeps it: only the file's own line ending is taken off.
  const between = text.slice(opening.next, closeStart);
  const content = between.endsWith(eol)
    ? between.slice(0, -eol.length)
    : between.replace(/(\r\n|\r|\n)$/, '');

  const id = attributes.get('id') ?? '';
  switch (kind) {
    case 'markdown':
    case 'system':
    case 'assistant':
      return { kind, id, text: content };
    case 'prompt':
      return { kind, id, text: content, newThread: attributes.has('new-thread') };
    case 'native':
      return { kind, id, modelId: attributes.get('model') ?? '', body: content };
    case 'config':
      return { kind, id, ...readConfig(content, line + 1) };
    default:
      return unreachable(kind);
  }
}

/** Parses `kind key=value key="json" flag`, checking each attribute against the kind. */
function readInfo(info: string, line: number): { kind: CellKind; attributes: Map<string, string> } {
  const tokens: string[] = [];
  const scanner = /\s*([^\s"=]+(?:=(?:"(?:[^"\\]|\\.)*"|[^\s"]*))?|\S+)/y;
  for (let match = scanner.exec(info); match; match = scanner.exec(info)) {
    tokens.push(match[1]!);
  }
  const [kindText, ...rest] = tokens;
  if (!kindText) {
    throw new NotebookParseError(
      line,
      `the fence names no cell kind: write e.g. \`\`\`prompt id=greet (kinds: ${CELL_KINDS.join(', ')})`,
    );
  }
  if (!(CELL_KINDS as readonly string[]).includes(kindText)) {
    throw new NotebookParseError(
      line,
      `unknown cell kind "${kindText}" (expected one of ${CELL_KINDS.join(', ')})`,
    );
  }
  const kind = kindText as CellKind;
  const allowed = ATTRIBUTES[kind];
  const attributes = new Map<string, string>();
  for (const token of rest) {
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    const raw = eq < 0 ? undefined : token.slice(eq + 1);
    const type = name === 'id' ? 'value' : allowed[name];
    if (!/^[a-z][a-z-]*$/.test(name) || type === undefined) {
      const known = ['id', ...Object.keys(allowed)].join(', ');
      throw new NotebookParseError(
        line,
        `bad attribute "${token}" on a ${kind} cell (it takes ${known})`,
      );
    }
    if (attributes.has(name)) {
      throw new NotebookParseError(line, `the attribute "${name}" is given twice`);
    }
    if (type === 'flag') {
      if (raw !== undefined) {
        throw new NotebookParseError(line, `the attribute "${name}" is a flag: write it alone`);
      }
      attributes.set(name, '');
      continue;
    }
    if (raw === undefined || raw === '') {
      throw new NotebookParseError(line, `the attribute "${name}" needs a value: ${name}=…`);
    }
    attributes.set(name, raw.startsWith('"') ? readQuoted(raw, name, line) : raw);
  }
  if (!attributes.has('id')) {
    throw new NotebookParseError(line, `the ${kind} cell has no id: add id=… to its fence`);
  }
  if (kind === 'native' && !attributes.has('model')) {
    throw new NotebookParseError(line, 'the native cell names no model: add model=<model id>');
  }
  return { kind, attributes };
}

function readQuoted(raw: string, name: string, line: number): string {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'string') return value;
  } catch {
    // Reported below.
  }
  throw new NotebookParseError(line, `the value of "${name}" is not a valid quoted string`);
}

/** The config cell's JSON; `firstLine` is the file line of the content's first line. */
function readConfig(content: string, firstLine: number): Record<string, unknown> {
  if (!content.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = jsonErrorLine(content) ?? 1;
    throw new NotebookParseError(
      firstLine + line - 1,
      `the config is not valid JSON: ${jsonErrorWhere(content, message)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NotebookParseError(
      firstLine,
      'the config must be a JSON object, e.g. {"maxTokens": 500}',
    );
  }
  for (const key of Object.keys(value)) {
    if (!CONFIG_KEYS.includes(key)) {
      const at = content.split(/\r\n|\r|\n/).findIndex((l) => l.includes(JSON.stringify(key)));
      throw new NotebookParseError(
        firstLine + Math.max(0, at),
        `unknown config field "${key}" (expected ${CONFIG_KEYS.join(', ')})`,
      );
    }
  }
  return value as Record<string, unknown>;
}

function describeNode(type: string): string {
  switch (type) {
    case 'paragraph':
      return 'a paragraph';
    case 'heading':
      return 'a heading';
    case 'thematicBreak':
      return 'a "---" rule';
    case 'html':
      return 'HTML';
    default:
      return `Markdown (${type})`;
  }
}

/** The file line a schema problem is about: its cell's fence, or its place in the header. */
function issueLine(issue: z.core.$ZodIssue, header: Header, cellLines: readonly number[]): number {
  const [field, index] = issue.path;
  if (field === 'cells' && typeof index === 'number') return cellLines[index] ?? 1;
  return header.lineOf(issue.path);
}
