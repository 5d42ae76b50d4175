import { stringify as stringifyYaml } from 'yaml';
import type { z } from 'zod';
import { attachChecks, CHECKS_INFO, withVariants } from './format-checks.ts';
import { formatBytes, NOTEBOOK_LIMITS, readHeader } from './format-header.ts';
import type { Header } from './format-header.ts';
import {
  CellProblem,
  closingFence,
  lineAt,
  lineNumber,
  lineStart,
  NotebookParseError,
  outsideCells,
  withLines,
} from './format-lines.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.ts';
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
  MAX_PROMPT_PARTS,
  NotebookSchema,
} from './notebook.ts';
import type { Cell, CellKind, CellSpec, Notebook, PromptPart, Target } from './notebook.ts';
import { unreachable } from './unreachable.ts';

export { formatBytes, NOTEBOOK_LIMITS } from './format-header.ts';
export { NotebookParseError } from './format-lines.ts';

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
      // Its line is counted only for an error, as a cell's is.
      withLines(text, start, () => addPart(cells.at(-1), info, contentTo(closing.start)));
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
function addPart(cell: CellSpec | undefined, info: string, content: string): void {
  const kind = info.trim().split(/\s/, 1)[0];
  if (cell?.kind !== 'prompt') {
    throw new CellProblem(
      0,
      `a ${kind} block is a part of the prompt cell above it: put it right after a prompt cell (or its other parts)`,
    );
  }
  const parts = (cell.parts ??= []);
  if (parts.length === MAX_PROMPT_PARTS) {
    throw new CellProblem(0, `a prompt has at most ${MAX_PROMPT_PARTS} parts after its text`);
  }
  try {
    parts.push(readPart(info, content) as PromptPart);
  } catch (error) {
    throw new CellProblem(0, (error as Error).message);
  }
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

function readCount(raw: string, name: string): number {
  if (!/^\d{1,6}$/.test(raw)) throw new CellProblem(0, `${name}=${raw} is not a whole number`);
  return Number(raw);
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
