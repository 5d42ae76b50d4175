/**
 * Lays out JSON values as source code: on one line when they fit, else one entry per line with
 * trailing commas, as a formatter would. Strings with line breaks inside become one literal per
 * line, joined the language's way, so a long prompt reads like the prompt.
 */

/** How one language writes JSON values. */
export interface ValueStyle {
  /** A string literal. */
  string(value: string): string;
  /** An object key. */
  key(key: string): string;
  null: string;
  true: string;
  false: string;
  /** Inside braces of a one-line object: `{ a: 1 }` (JavaScript) or `{"a": 1}` (Python). */
  bracePadding: string;
  /** The lines of a multi-line string, already indented one level deeper than `indent`. */
  joinLines(literals: string[], indent: string, step: string): string;
  /** Trailing comma after the last entry of a multi-line object or array. */
  trailingComma: boolean;
  /** The expression that reads the bytes of the file named by `constant`. */
  fileBytes(constant: string): string;
  /** The expression that reads the file named by `constant` as a base64 string (native JSON). */
  fileBase64(constant: string): string;
}

/**
 * A value the program reads from a file when it runs (an attachment's bytes), named by the
 * file's constant at the top of the program; each language writes the read its own way.
 */
export class FileBytes {
  constructor(
    readonly constant: string,
    /** Raw bytes (a Converse blob), or base64 text (inside a native JSON body). */
    readonly encoding: 'bytes' | 'base64' = 'bytes',
  ) {}
}

function fileRead(value: FileBytes, style: ValueStyle): string {
  return value.encoding === 'base64'
    ? style.fileBase64(value.constant)
    : style.fileBytes(value.constant);
}

/** Widest line a one-line layout may make. */
const WIDTH = 88;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string worth splitting into one literal per line. */
function splitLines(value: string): string[] | undefined {
  const lines = value.split(/(?<=\n)(?!\n)/);
  if (lines.length < 2 || value.length < 40) return undefined;
  return lines;
}

/**
 * `value` as source code, its first line placed at column `indent.length` after `prefix` (the
 * text on the same line before it, e.g. a key), continuation lines indented by `indent`.
 */
export function layoutValue(
  value: unknown,
  style: ValueStyle,
  indent: string,
  step = '    ',
  prefixWidth = 0,
): string {
  if (value instanceof FileBytes) return fileRead(value, style);
  const flat = flatValue(value, style);
  if (flat !== undefined && indent.length + prefixWidth + flat.length <= WIDTH) return flat;
  if (typeof value === 'string') {
    const lines = splitLines(value);
    if (!lines) return style.string(value);
    return style.joinLines(
      lines.map((line) => style.string(line)),
      indent,
      step,
    );
  }
  const inner = indent + step;
  const comma = style.trailingComma ? ',' : '';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => inner + layoutValue(item, style, inner, step));
    return `[\n${items.join(',\n')}${comma}\n${indent}]`;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const items = entries.map(([key, item]) => {
      const head = `${style.key(key)}: `;
      return inner + head + layoutValue(item, style, inner, step, head.length);
    });
    return `{\n${items.join(',\n')}${comma}\n${indent}}`;
  }
  return flat ?? style.null;
}

/** The one-line form, or undefined when a string in it should be split into lines. */
function flatValue(value: unknown, style: ValueStyle): string | undefined {
  if (value instanceof FileBytes) return fileRead(value, style);
  if (value === null || value === undefined) return style.null;
  if (value === true) return style.true;
  if (value === false) return style.false;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : style.null;
  if (typeof value === 'string') return splitLines(value) ? undefined : style.string(value);
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const flat = flatValue(item, style);
      if (flat === undefined) return undefined;
      items.push(flat);
    }
    return `[${items.join(', ')}]`;
  }
  if (isRecord(value)) {
    const items: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      const flat = flatValue(item, style);
      if (flat === undefined) return undefined;
      items.push(`${style.key(key)}: ${flat}`);
    }
    if (items.length === 0) return '{}';
    return `{${style.bracePadding}${items.join(', ')}${style.bracePadding}}`;
  }
  return style.null;
}
