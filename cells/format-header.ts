/** The YAML front matter of a notebook file, read within its limits. */
import { Composer, isMap, isNode, isScalar, LineCounter, Parser } from 'yaml';
import type { CST, Document } from 'yaml';
import { lines, NotebookParseError } from './format-lines.ts';
import { MAX_CELLS } from './notebook.ts';

const HEADER_KEYS = ['title', 'version', 'targets'] as const;

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

export interface Header {
  /** Offset just past the closing `---` line. */
  end: number;
  fields: Record<string, unknown>;
  /** The line of a YAML path (for errors about targets), or the header's first line. */
  lineOf(path: readonly PropertyKey[]): number;
}

export function readHeader(text: string): Header {
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
