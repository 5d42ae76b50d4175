import type { PromptPart } from './notebook.ts';
import { unreachable } from './unreachable.ts';

/**
 * A prompt's parts in the notebook file: each part after the prompt's own text is a fenced block
 * right below it, its info string starting with `+`:
 *
 *     ```prompt id=describe
 *     This is image 1:
 *     ```
 *     ```+image file=attachments/5f3c0ad1e2b7c4d9.png format=png name=chart.png
 *     ```
 *     ```+text
 *     Please describe the image.
 *     ```
 *
 * An image or document is one line in a diff (its path, format and name; the bytes are a file
 * in `attachments/`), and more text is a block of its own, so no text can be mistaken for an
 * attachment and every part round-trips byte for byte. The blocks are found by the same scan
 * of fences as cells.
 */

/** The kinds of part blocks, as their info strings begin. */
export const PART_KINDS = ['+text', '+image', '+document'] as const;

/** True when a fence's info string opens a part of the prompt above rather than a cell. */
export function isPartInfo(info: string): boolean {
  return info.trimStart().startsWith('+');
}

export function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** A fenced block: the fence one backtick longer than the longest run in the content. */
export function fenced(info: string, content: string): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
  const body = content === '' ? '' : `${content}\n`;
  return `${fence}${info}\n${body}${fence}`;
}

/**
 * Bare when safe; otherwise a JSON string. Backticks are escaped (an info string may not hold
 * them), and so is every control, format or separator character that `JSON.stringify` leaves
 * raw (U+0085, U+2028, U+2029, …): the info string must stay one line for every reader.
 */
export function attributeValue(value: string): string {
  if (/^[A-Za-z0-9._:/@+-]+$/.test(value)) return value;
  return JSON.stringify(value).replace(/[`\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) =>
    // Per UTF-16 unit, so an astral character becomes a surrogate pair JSON reads back whole.
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`,
    ).join(''),
  );
}

/** The blocks of a prompt's parts after its text, one per part. */
export function serializeParts(parts: readonly PromptPart[]): string[] {
  return parts.map((part) => {
    switch (part.kind) {
      case 'text':
        return fenced('+text', part.text);
      case 'image':
      case 'document':
        return fenced(
          `+${part.kind} file=${attributeValue(part.file)} format=${part.format} name=${attributeValue(part.name)}`,
          '',
        );
      default:
        return unreachable(part);
    }
  });
}

/** Reads a quoted attribute value; throws a plain Error naming the attribute. */
export function readQuoted(raw: string, name: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'string') return value;
  } catch {
    // Reported below.
  }
  throw new Error(`the value of "${name}" is not a valid quoted string`);
}

/**
 * One part block: its info string and content. Throws a plain Error saying what is wrong; the
 * schema then checks the values (a format Bedrock does not take, a path outside attachments/).
 */
export function readPart(info: string, content: string): Record<string, unknown> {
  const tokens: string[] = [];
  const scanner = /\s*([^\s"=]+(?:=(?:"(?:[^"\\]|\\.)*"|[^\s"]*))?|\S+)/y;
  for (let match = scanner.exec(info); match; match = scanner.exec(info)) tokens.push(match[1]!);
  const [kind = '', ...rest] = tokens;
  if (!(PART_KINDS as readonly string[]).includes(kind)) {
    throw new Error(
      `unknown prompt part "${kind}" (a prompt's parts are ${PART_KINDS.join(', ')})`,
    );
  }
  if (kind === '+text') {
    if (rest.length) throw new Error('a +text block takes no attributes');
    return { kind: 'text', text: content };
  }
  const attributes = new Map<string, string>();
  for (const token of rest) {
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    const raw = eq < 0 ? '' : token.slice(eq + 1);
    if (!['file', 'format', 'name'].includes(name) || raw === '') {
      throw new Error(
        `bad attribute "${token}" on a ${kind} block (it takes file=, format= and name=)`,
      );
    }
    if (attributes.has(name)) throw new Error(`the attribute "${name}" is given twice`);
    attributes.set(name, raw.startsWith('"') ? readQuoted(raw, name) : raw);
  }
  const missing = ['file', 'format', 'name'].filter((name) => !attributes.has(name));
  if (missing.length) {
    throw new Error(`the ${kind} block needs ${missing.map((m) => `${m}=`).join(', ')}`);
  }
  if (content !== '') {
    throw new Error(
      `a ${kind} block holds no text (its bytes are the file it names): put text in a +text block below it`,
    );
  }
  return {
    kind: kind.slice(1),
    file: attributes.get('file'),
    format: attributes.get('format'),
    name: attributes.get('name'),
  };
}
