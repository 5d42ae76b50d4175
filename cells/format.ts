import {
  Composer,
  isMap,
  isNode,
  isScalar,
  LineCounter,
  Parser,
  stringify as stringifyYaml,
} from 'yaml';
import type { CST, Document } from 'yaml';
import type { z } from 'zod';
import { CheckSchema } from './checks.ts';
import type { Check } from './checks.ts';
import { tooDeepAt, MAX_JSON_DEPTH } from './json-depth.ts';
import { jsonErrorLine, jsonErrorWhere } from './json.ts';
import {
  attributeValue,
  fenced,
  isPartInfo,
  readPart,
  readQuoted as readQuotedValue,
  serializeParts,
} from './format-parts.ts';
import {
  CELL_KINDS,
  configText,
  InferenceConfigSchema,
  MAX_CELLS,
  MAX_PROMPT_PARTS,
  NotebookSchema,
} from './notebook.ts';
import type { Cell, CellKind, CellSpec, Notebook, PromptPart, Target } from './notebook.ts';
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
 * `new-thread` on prompt cells). A prompt's images, documents and further text are blocks of
 * their own right below it (`+image`, `+document`, `+text`: see `format-parts.ts`). A cell's text is the fence's content, byte for byte; a config
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
  prompt: { 'new-thread': 'flag', repeat: 'value' },
  assistant: {},
  native: { model: 'value' },
  data: { format: 'value', file: 'value' },
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
        ...headerOverrides(t.overrides),
      })),
    },
    { lineWidth: 0 },
  );
  // A variant's system prompt is prose: a block of its own, not a YAML string in the header.
  const variants = nb.targets.flatMap((t) =>
    t.overrides?.system === undefined ? [] : [fenced(`system target=${t.id}`, t.overrides.system)],
  );
  const blocks = [...variants, ...nb.cells.map(serializeCell)];
  return [`---\n${header}---\n`, ...blocks.map((b) => `${b}\n`)].join('\n');
}

/** A target's overrides as the header holds them: all but the system prompt. */
function headerOverrides(overrides: Target['overrides']): { overrides?: object } {
  const rest: Record<string, unknown> = { ...overrides };
  delete rest.system;
  return Object.keys(rest).length ? { overrides: rest } : {};
}

/** The info string of the block that holds the checks of the prompt cell above it. */
const CHECKS_INFO = 'checks';

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
      if (cell.repeat !== 1) attributes.push(`repeat=${cell.repeat}`);
      // The parts after the text are blocks of their own, right below it, and its checks after
      // them, one JSON object per line.
      return [
        fenced(`${cell.kind} ${attributes.join(' ')}`, cell.text),
        ...serializeParts(cell.parts),
        ...(cell.checks.length
          ? [fenced(CHECKS_INFO, cell.checks.map((c) => JSON.stringify(c)).join('\n'))]
          : []),
      ].join('\n');
    case 'data':
      if (cell.format !== 'csv') attributes.push(`format=${cell.format}`);
      if (cell.file !== undefined) attributes.push(`file=${attributeValue(cell.file)}`);
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
  return fenced(`${cell.kind} ${attributes.join(' ')}`, content);
}

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Limits that keep reading any file cheap, whatever it holds. Cells are found by one scan of the
 * lines for fences, and only the header (YAML) and config cells (JSON) are handed to parsers.
 */
export const NOTEBOOK_LIMITS = {
  /** The whole file, in bytes (checked in characters here; the server checks bytes on disk). */
  fileBytes: 4 * 1024 * 1024,
  /** The YAML header: the YAML library takes up to ten milliseconds per KiB of hostile input. */
  headerBytes: 4 * 1024,
  /** How deep the header's YAML may nest; a notebook's own header is four levels deep. */
  headerDepth: 16,
  /** A fence's info string: the kind and attributes, a model id of 2048 characters escaped. */
  infoChars: 16 * 1024,
  cells: MAX_CELLS,
} as const;

/** "4 MiB", "8 KiB": a limit as an error message says it. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}

/** Reads a notebook file; throws `NotebookParseError` naming the line of the first problem. */
export function parseNotebook(text: string): Notebook {
  if (text.length > NOTEBOOK_LIMITS.fileBytes) {
    throw new NotebookParseError(
      1,
      `the file is larger than ${formatBytes(NOTEBOOK_LIMITS.fileBytes)}, the limit for a notebook`,
    );
  }
  const header = readHeader(text);
  // The file's line ending, as its first line has it.
  const eol = /^---[ \t]*\r\n/.test(text) ? '\r\n' : '\n';

  // One pass over the text: the next line that is not blank must open a fence, and the regular
  // expression engine finds the line that closes it. Line numbers are counted only for an error.
  const cells: CellSpec[] = [];
  const cellStarts: number[] = [];
  /** The system prompts of variants (```system target=ID blocks), by target id. */
  const variants = new Map<string, { line: number; text: string }>();
  const nonBlank = /[^ \t\r\n]/g;
  for (let offset = header.end; ;) {
    nonBlank.lastIndex = offset;
    const found = nonBlank.exec(text);
    if (!found) break;
    const start = lineStart(text, found.index, offset);
    const opening = lineAt(text, start);
    const fence = /^(`{3,}|~{3,})(.*)$/.exec(opening.text);
    // A backtick fence's info string may not hold a backtick (CommonMark): that line is prose.
    if (!fence || (fence[1]!.startsWith('`') && fence[2]!.includes('`'))) {
      throw outsideCells(opening.text, lineNumber(text, start));
    }
    const [, marker, info] = fence as unknown as [string, string, string];
    // The content is every byte between the opening and the closing line, less one line ending.
    // In a file written with \n line endings (as `serializeNotebook` writes), a text ending in \r
    // keeps it: only the file's own line ending is taken off.
    const contentTo = (closingStart: number) => {
      const between = text.slice(opening.next, closingStart);
      return between.endsWith(eol)
        ? between.slice(0, -eol.length)
        : between.replace(/(\r\n|\r|\n)$/, '');
    };
    const variant = /^\s*system\s+target=(\S+)\s*$/.exec(info);
    const checks = /^\s*checks(\s|$)/.test(info);
    if (variant || checks) {
      const closing = closingFence(text, opening.next, marker);
      if (!closing) {
        throw new NotebookParseError(
          lineNumber(text, start),
          `the ${checks ? 'checks' : 'system'} block's fence ${marker} is never closed`,
        );
      }
      const content = contentTo(closing.start);
      if (checks) {
        withLines(text, start, () => attachChecks(cells.at(-1), info, content));
      } else {
        const targetId = variant![1]!;
        if (variants.has(targetId)) {
          throw new NotebookParseError(
            lineNumber(text, start),
            `target "${targetId}" has two system prompts of its own`,
          );
        }
        variants.set(targetId, { line: lineNumber(text, start), text: content });
      }
      offset = closing.next;
      continue;
    }
    if (isPartInfo(info)) {
      const closing = closingFence(text, opening.next, marker);
      if (!closing) {
        throw new NotebookParseError(
          lineNumber(text, start),
          `the prompt part's fence ${marker} is never closed: add a line with ${marker} after it`,
        );
      }
      addPart(cells.at(-1), info, contentTo(closing.start), lineNumber(text, start));
      offset = closing.next;
      continue;
    }
    if (cells.length === NOTEBOOK_LIMITS.cells) {
      throw new NotebookParseError(
        lineNumber(text, start),
        `a notebook has at most ${NOTEBOOK_LIMITS.cells} cells`,
      );
    }
    const closing = closingFence(text, opening.next, marker);
    const { kind, attributes } = withLines(text, start, () => readInfo(info));
    if (!closing) {
      throw new NotebookParseError(
        lineNumber(text, start),
        `the ${kind} cell's fence ${marker} is never closed: add a line with ${marker} after its text`,
      );
    }
    const content = contentTo(closing.start);
    cells.push(withLines(text, start, () => cellOf(kind, attributes, content)));
    cellStarts.push(start);
    offset = closing.next;
  }

  const targets = withVariants(header.fields.targets, variants);
  const result = NotebookSchema.safeParse({
    ...header.fields,
    ...(targets ? { targets } : {}),
    cells,
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new NotebookParseError(
      issueLine(issue, header, (index) => lineNumber(text, cellStarts[index] ?? 0)),
      `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
    );
  }
  return result.data;
}

/** Adds a `+text`, `+image` or `+document` block to the prompt cell it follows. */
function addPart(cell: CellSpec | undefined, info: string, content: string, line: number): void {
  const kind = info.trim().split(/\s/, 1)[0];
  if (cell?.kind !== 'prompt') {
    throw new NotebookParseError(
      line,
      `a ${kind} block is a part of the prompt cell above it: put it right after a prompt cell (or its other parts)`,
    );
  }
  const parts = (cell.parts ??= []);
  if (parts.length === MAX_PROMPT_PARTS) {
    throw new NotebookParseError(
      line,
      `a prompt has at most ${MAX_PROMPT_PARTS} parts after its text`,
    );
  }
  try {
    parts.push(readPart(info, content) as PromptPart);
  } catch (error) {
    throw new NotebookParseError(line, (error as Error).message);
  }
}

/** A problem inside a cell, `line` lines below its opening fence. */
class CellProblem extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `read` on the cell opening at `start`, turning its problems into file lines. */
function withLines<T>(text: string, start: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CellProblem)) throw error;
    throw new NotebookParseError(lineNumber(text, start) + error.line, error.message);
  }
}

/** The start of the line holding `offset`, looking back no further than `floor`. */
function lineStart(text: string, offset: number, floor: number): number {
  let start = offset;
  while (start > floor && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

/** The line starting at `start`: its text and where the next one starts. */
function lineAt(text: string, start: number): { text: string; next: number } {
  const lineBreak = /\r\n|\r|\n/g;
  lineBreak.lastIndex = start;
  const found = lineBreak.exec(text);
  if (!found) return { text: text.slice(start), next: text.length };
  return { text: text.slice(start, found.index), next: found.index + found[0].length };
}

/** The 1-based line number of `offset`: \r\n, \r and \n each end a line. */
function lineNumber(text: string, offset: number): number {
  let breaks = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) breaks++;
  for (let i = text.indexOf('\r'); i >= 0 && i < offset; i = text.indexOf('\r', i + 1)) {
    if (text[i + 1] !== '\n') breaks++;
  }
  return breaks + 1;
}

/**
 * The line closing a fence opened by `marker`, searched from `from` (a line start): the same
 * character at least as many times, indented at most three spaces, nothing after but blanks.
 */
function closingFence(
  text: string,
  from: number,
  marker: string,
): { start: number; next: number } | null {
  if (from >= text.length) return null;
  const closing = new RegExp(
    `(?<=^|[\\r\\n]) {0,3}${marker[0]}{${marker.length},}[ \\t]*(?=[\\r\\n]|$)`,
    'g',
  );
  closing.lastIndex = from;
  const found = closing.exec(text);
  if (!found) return null;
  return { start: found.index, next: lineAt(text, found.index).next };
}

/** The error for a line outside any fence that is not blank, naming what it looks like. */
function outsideCells(text: string, line: number): NotebookParseError {
  const trimmed = text.trimStart();
  if (/^( {4}|\t| {1,3}(```|~~~))/.test(text)) {
    return new NotebookParseError(
      line,
      'indented code is not a cell: start each cell with a fence at the beginning of the line',
    );
  }
  return new NotebookParseError(
    line,
    `only fenced cells may appear between cells, found ${describeLine(trimmed)}; put notes in a \`\`\`markdown cell`,
  );
}

/** What a Markdown line outside the fences would be, told from its first characters. */
function describeLine(trimmed: string): string {
  const bare = trimmed.replace(/[ \t]/g, '');
  if (bare.length >= 3 && /^[-*_]$/.test(bare[0]!) && bare === bare[0]!.repeat(bare.length)) {
    return 'a "---" rule';
  }
  if (/^#{1,6}([ \t]|$)/.test(trimmed)) return 'a heading';
  if (trimmed.startsWith('<')) return 'HTML';
  if (trimmed.startsWith('>')) return 'a block quote';
  if (/^([-*+]|\d{1,9}[.)])([ \t]|$)/.test(trimmed)) return 'a list';
  return 'a paragraph';
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
    if (line.next - first.value.next > NOTEBOOK_LIMITS.headerBytes) {
      throw new NotebookParseError(
        1,
        `the header is not closed by a "---" line within ${formatBytes(NOTEBOOK_LIMITS.headerBytes)}, the limit for a header (it holds only the title, version and targets)`,
      );
    }
  }
  if (!close) throw new NotebookParseError(1, 'the header is never closed by a "---" line');

  const yamlText = text.slice(first.value.next, close.start);
  const doc = composeHeader(yamlText);
  const lineCounter = doc.lineCounter;
  // The YAML starts on the file's second line.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  const error = doc.errors[0];
  if (error) {
    throw new NotebookParseError(fileLine(error.pos[0]), `header: ${error.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // An alias bomb ("excessive alias count") ends here.
    throw new NotebookParseError(2, `header: ${(error as Error).message}`);
  }
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

/**
 * The header's YAML document. The YAML library composes nested collections recursively, and a
 * few thousand levels end the process (not just the call), so the depth is measured first on its
 * concrete syntax tree, which its parser builds without recursion.
 */
function composeHeader(yamlText: string): Document.Parsed & { lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const tokens = [...new Parser(lineCounter.addNewLine).parse(yamlText)];
  if (depthOf(tokens) > NOTEBOOK_LIMITS.headerDepth) {
    throw new NotebookParseError(
      2,
      `the header nests more than ${NOTEBOOK_LIMITS.headerDepth} levels deep: it holds only the title, version and targets`,
    );
  }
  const docs = [...new Composer({ prettyErrors: false }).compose(tokens, true, yamlText.length)];
  if (docs.length !== 1) {
    throw new NotebookParseError(2, 'the header must be one YAML document');
  }
  return Object.assign(docs[0]!, { lineCounter });
}

/** How deep a YAML concrete syntax tree nests, walked with a stack of its own. */
function depthOf(tokens: readonly CST.Token[]): number {
  interface Node {
    value?: unknown;
    key?: unknown;
    items?: readonly Node[];
  }
  let deepest = 0;
  const stack: [Node, number][] = tokens.map((token) => [token as Node, 1]);
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    deepest = Math.max(deepest, depth);
    for (const child of [node.value, ...(node.items ?? []).flatMap((i) => [i.key, i.value])]) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

function cellOf(kind: CellKind, attributes: Map<string, string>, content: string): CellSpec {
  const id = attributes.get('id') ?? '';
  switch (kind) {
    case 'markdown':
    case 'system':
    case 'assistant':
      return { kind, id, text: content };
    case 'prompt':
      return {
        kind,
        id,
        text: content,
        newThread: attributes.has('new-thread'),
        ...(attributes.has('repeat')
          ? { repeat: readCount(attributes.get('repeat')!, 'repeat') }
          : {}),
      };
    case 'data': {
      const format = attributes.get('format') ?? 'csv';
      if (format !== 'csv' && format !== 'jsonl') {
        throw new CellProblem(0, `the data format "${format}" is not csv or jsonl`);
      }
      const file = attributes.get('file');
      return { kind, id, format, text: content, ...(file === undefined ? {} : { file }) };
    }
    case 'native':
      return { kind, id, modelId: attributes.get('model') ?? '', body: content };
    case 'config':
      return { kind, id, ...readConfig(content) };
    default:
      return unreachable(kind);
  }
}

/**
 * Parses `kind key=value key="json" flag`, checking each attribute against the kind; problems are
 * `CellProblem`s on the fence's line.
 */
function readInfo(info: string): { kind: CellKind; attributes: Map<string, string> } {
  if (info.length > NOTEBOOK_LIMITS.infoChars) {
    throw new CellProblem(
      0,
      `the fence's info string is longer than ${NOTEBOOK_LIMITS.infoChars} characters`,
    );
  }
  const tokens: string[] = [];
  const scanner = /\s*([^\s"=]+(?:=(?:"(?:[^"\\]|\\.)*"|[^\s"]*))?|\S+)/y;
  for (let match = scanner.exec(info); match; match = scanner.exec(info)) {
    tokens.push(match[1]!);
  }
  const [kindText, ...rest] = tokens;
  if (!kindText) {
    throw new CellProblem(
      0,
      `the fence names no cell kind: write e.g. \`\`\`prompt id=greet (kinds: ${CELL_KINDS.join(', ')})`,
    );
  }
  if (!(CELL_KINDS as readonly string[]).includes(kindText)) {
    throw new CellProblem(
      0,
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
      throw new CellProblem(0, `bad attribute "${token}" on a ${kind} cell (it takes ${known})`);
    }
    if (attributes.has(name)) {
      throw new CellProblem(0, `the attribute "${name}" is given twice`);
    }
    if (type === 'flag') {
      if (raw !== undefined) {
        throw new CellProblem(0, `the attribute "${name}" is a flag: write it alone`);
      }
      attributes.set(name, '');
      continue;
    }
    if (raw === undefined || raw === '') {
      throw new CellProblem(0, `the attribute "${name}" needs a value: ${name}=…`);
    }
    attributes.set(name, raw.startsWith('"') ? readQuoted(raw, name) : raw);
  }
  if (!attributes.has('id')) {
    throw new CellProblem(0, `the ${kind} cell has no id: add id=… to its fence`);
  }
  if (kind === 'native' && !attributes.has('model')) {
    throw new CellProblem(0, 'the native cell names no model: add model=<model id>');
  }
  return { kind, attributes };
}

/** The header's targets with the system prompts of their variant blocks put in their overrides. */
function withVariants(
  targets: unknown,
  variants: ReadonlyMap<string, { line: number; text: string }>,
): unknown[] | undefined {
  if (!variants.size) return undefined;
  const list = Array.isArray(targets) ? targets : [];
  for (const [id, { line }] of variants) {
    if (!list.some((t) => (t as { id?: unknown } | null)?.id === id)) {
      throw new NotebookParseError(
        line,
        `there is no target "${id}" in the header for this system prompt`,
      );
    }
  }
  return list.map((t: unknown) => {
    const target = t as { id?: unknown; overrides?: unknown };
    const variant = typeof target?.id === 'string' ? variants.get(target.id) : undefined;
    if (!variant) return t;
    const overrides =
      typeof target.overrides === 'object' && target.overrides ? target.overrides : {};
    return { ...target, overrides: { ...overrides, system: variant.text } };
  });
}

function readCount(raw: string, name: string): number {
  if (!/^\d{1,6}$/.test(raw)) throw new CellProblem(0, `${name}=${raw} is not a whole number`);
  return Number(raw);
}

/**
 * Reads a checks block (one JSON object per line) into the prompt cell it follows; problems are
 * `CellProblem`s on their line.
 */
function attachChecks(cell: CellSpec | undefined, info: string, content: string): void {
  if (info.trim() !== CHECKS_INFO) {
    throw new CellProblem(0, 'a checks block takes no attributes: write ```checks alone');
  }
  if (cell?.kind !== 'prompt') {
    throw new CellProblem(0, 'a checks block must follow the prompt cell it checks');
  }
  if (cell.checks?.length) throw new CellProblem(0, 'this prompt cell already has a checks block');
  const checks: Check[] = [];
  content.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const deep = tooDeepAt(line);
    if (deep !== null) {
      throw new CellProblem(
        i + 1,
        `the check nests more than ${MAX_JSON_DEPTH} levels deep, at ${deep}`,
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CellProblem(
        i + 1,
        `a check is one JSON object per line, e.g. {"type": "contains", "value": "Paris"}: ${jsonErrorWhere(line, (error as Error).message)}`,
      );
    }
    const parsed = CheckSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      throw new CellProblem(i + 1, `not a check (${where}${issue.message})`);
    }
    checks.push(parsed.data);
  });
  cell.checks = checks;
}

function readQuoted(raw: string, name: string): string {
  try {
    return readQuotedValue(raw, name);
  } catch (error) {
    throw new CellProblem(0, (error as Error).message);
  }
}

/** The config cell's JSON; problems are `CellProblem`s, line 1 being the content's first line. */
function readConfig(content: string): Record<string, unknown> {
  const firstLine = 1;
  if (!content.trim()) return {};
  const deep = tooDeepAt(content);
  if (deep !== null) {
    throw new CellProblem(
      firstLine,
      `the config nests more than ${MAX_JSON_DEPTH} levels deep, at ${deep}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = jsonErrorLine(content) ?? 1;
    throw new CellProblem(
      firstLine + line - 1,
      `the config is not valid JSON: ${jsonErrorWhere(content, message)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CellProblem(firstLine, 'the config must be a JSON object, e.g. {"maxTokens": 500}');
  }
  for (const key of Object.keys(value)) {
    if (!CONFIG_KEYS.includes(key)) {
      const at = content.split(/\r\n|\r|\n/).findIndex((l) => l.includes(JSON.stringify(key)));
      throw new CellProblem(
        firstLine + Math.max(0, at),
        `unknown config field "${key}" (expected ${CONFIG_KEYS.join(', ')})`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** The file line a schema problem is about: its cell's fence, or its place in the header. */
function issueLine(
  issue: z.core.$ZodIssue,
  header: Header,
  cellLine: (index: number) => number,
): number {
  const [field, index] = issue.path;
  if (field === 'cells' && typeof index === 'number') return cellLine(index);
  return header.lineOf(issue.path);
}
