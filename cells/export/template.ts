/**
 * The exporters' one template mechanism: a tagged template literal, `code`, whose text reads
 * like the program it writes (nbconvert's templates, in TypeScript so `cells/` stays pure and
 * every placeholder is type-checked). The rules:
 *
 * - The text is taken raw: `\n` stays a backslash and an n, as the program needs it. Only a
 *   backtick and a `${` are written with a backslash before them (`` \` `` and `\${`).
 * - A template starts on the line after its opening backtick and ends on the line of its closing
 *   one; its common indentation is removed, so it can be indented like the code around it.
 * - A placeholder alone on its line is a block: its lines are indented like the placeholder, and
 *   a block with nothing in it (`false`, `undefined`, `null`, `[]`) removes the line. So
 *   `${cond && code`…`}` is an optional paragraph; put the blank line after it inside it.
 * - A placeholder inside a line is put there as it is, except a `Layout`, which is told the
 *   indentation of its line and the column it starts at (a value that wraps to fit, say).
 * - Templates nest: a `Code` placed in another is laid out at its final indentation, so layouts
 *   inside it see the columns of the finished program.
 */

/** Where a placeholder sits in the finished program: its line's indentation and its column. */
export interface Place {
  indent: string;
  column: number;
}

/** Source text laid out for the place it is put in. */
export type Layout = (place: Place) => string;

/** What a placeholder may hold. Arrays are lines (blocks only). */
export type Part = string | number | Code | Layout | readonly Part[] | false | null | undefined;

/** Stands for a placeholder while the template's lines are measured; never in template text. */
const HOLE = '\u0000';

/** A template with its placeholders' values, rendered when it is placed. */
export class Code {
  readonly #lines: string[];
  readonly #values: readonly Part[];

  constructor(raw: readonly string[], values: readonly Part[]) {
    const text = raw
      .map((s) => s.replaceAll('\\`', '`').replaceAll('\\${', '${'))
      .join(HOLE)
      .split('\n');
    if (text.length > 1 && text[0]!.trim() === '') text.shift();
    if (text.length > 1 && text.at(-1)!.trim() === '') text.pop();
    const margin = Math.min(
      ...text.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length),
    );
    this.#lines = text.map((line) => (line.trim() === '' ? '' : line.slice(margin)));
    this.#values = values;
  }

  /** The text, every line indented by `base` (blank lines stay empty). */
  render(base = ''): string {
    const out: string[] = [];
    let next = 0;
    for (const line of this.#lines) {
      const own = /^ */.exec(line)![0];
      const indent = base + own;
      if (line.slice(own.length) === HOLE) {
        out.push(...block(this.#values[next++], indent));
        continue;
      }
      const pieces = line.split(HOLE);
      let text = pieces[0]!;
      for (const piece of pieces.slice(1)) {
        const lastBreak = text.lastIndexOf('\n');
        const column = lastBreak < 0 ? base.length + text.length : text.length - lastBreak - 1;
        text += inline(this.#values[next++], { indent, column }) + piece;
      }
      out.push(text === '' ? '' : base + text);
    }
    return out.join('\n');
  }

  toString(): string {
    return this.render();
  }
}

/** The tag: `code`…`` is a template (see the module comment). */
export function code(strings: TemplateStringsArray, ...values: Part[]): Code {
  return new Code(strings.raw, values);
}

function block(value: Part, indent: string): string[] {
  if (value === false || value === null || value === undefined) return [];
  if (isLines(value)) return value.flatMap((item) => block(item, indent));
  if (value instanceof Code) {
    const text = value.render(indent);
    return text === '' ? [] : text.split('\n');
  }
  if (typeof value === 'function') {
    return `${indent}${value({ indent, column: indent.length })}`.split('\n');
  }
  return String(value)
    .split('\n')
    .map((line) => (line === '' ? '' : indent + line));
}

function inline(value: Part, place: Place): string {
  if (value === false || value === null || value === undefined) return '';
  if (isLines(value)) throw new Error('A list of lines must stand alone on its line.');
  if (value instanceof Code) {
    const text = value.render(place.indent);
    return text.startsWith(place.indent) ? text.slice(place.indent.length) : text;
  }
  if (typeof value === 'function') return value(place);
  return String(value);
}

function isLines(value: Part): value is readonly Part[] {
  return Array.isArray(value);
}

/** The parts one after another, each followed by `separator` but the last (a list of items). */
export function join(parts: readonly Part[], separator: string): Code {
  const raw = parts.map((_, i) => (i === 0 ? '' : `${separator}\n`));
  return new Code([...raw, ''], parts);
}

/** A whole file: the template's text and a final line break. */
export function file(program: Code): string {
  return `${program.render()}\n`;
}
