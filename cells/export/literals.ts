/**
 * String literals that cannot break, one function per language. Each returns source text whose
 * value, read back by that language's own compiler or interpreter, has exactly the code points of
 * the input: quotes, backslashes, line breaks, `${…}`, `{…}`, `"""`, star-slash, `%s`, `$(…)`, lone
 * surrogates and NUL included. The values are only ever placed in plain string literals (never in
 * f-strings, template literals, interpolated strings or comments), so only the literal syntax
 * itself needs escaping.
 */

/**
 * Characters written as escapes even where the source could hold them raw: controls, format
 * characters (bidi overrides, zero-width and byte-order marks), line and paragraph separators,
 * spaces other than U+0020, private-use, unassigned and lone surrogates. Readers of an export see
 * them instead of being fooled by them, and no editor or compiler can swallow them.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Zs}]/u;

/** The escapes Python, Java and C# string literals share, by code point. */
const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x5c, '\\\\'],
  [0x22, '\\"'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
]);

function hex(codePoint: number, digits: number): string {
  return codePoint.toString(16).toUpperCase().padStart(digits, '0');
}

/** Splits a string into code points, keeping lone surrogates as their own unit. */
function codePoints(value: string): number[] {
  const points: number[] = [];
  for (const char of value) points.push(char.codePointAt(0)!);
  return points;
}

/** True for a code point that is written raw in Python and JavaScript source. */
function isPlain(codePoint: number): boolean {
  if (codePoint === 0x20) return true;
  return !INVISIBLE.test(String.fromCodePoint(codePoint)) && !isSurrogate(codePoint);
}

function isSurrogate(codePoint: number): boolean {
  return codePoint >= 0xd800 && codePoint <= 0xdfff;
}

/**
 * A Python 3 string literal (double-quoted). Printable text, non-ASCII letters and emoji stay as
 * they are (Python 3 source is UTF-8); everything else is `\xXX`, `\uXXXX` or `\UXXXXXXXX`.
 * Astral characters use `\U` because Python does not join `\u` surrogate pairs.
 */
export function pythonString(value: string): string {
  let out = '"';
  for (const cp of codePoints(value)) {
    const short = SHORT_ESCAPES.get(cp);
    if (short !== undefined) out += short;
    else if (isPlain(cp)) out += String.fromCodePoint(cp);
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** Re-escapes the characters `JSON.stringify` leaves raw but a reader should see. */
function escapeInvisibleInJson(json: string): string {
  let out = '';
  for (const cp of codePoints(json)) {
    if (isPlain(cp) || cp < 0x20) {
      // JSON.stringify has already escaped C0 controls, so any here are structural (none are).
      out += String.fromCodePoint(cp);
    } else if (cp <= 0xffff) {
      out += `\\u${hex(cp, 4).toLowerCase()}`;
    } else {
      // An astral code point that is not plain (private use, unassigned): a surrogate pair.
      const high = 0xd800 + ((cp - 0x10000) >> 10);
      const low = 0xdc00 + ((cp - 0x10000) & 0x3ff);
      out += `\\u${hex(high, 4).toLowerCase()}\\u${hex(low, 4).toLowerCase()}`;
    }
  }
  return out;
}

/**
 * A JSON text with the invisible characters escaped too (`\uXXXX`). Valid JSON with the same
 * value; used for the CLI's arguments and the native bodies embedded in Java and C#.
 */
export function readableJson(value: unknown, indent?: number): string {
  return escapeInvisibleInJson(JSON.stringify(value, null, indent));
}

/**
 * A JavaScript string literal: JSON's string syntax (a subset of JavaScript's since ES2019), with
 * U+2028/U+2029 and other invisible characters escaped as well.
 */
export function jsString(value: string): string {
  return escapeInvisibleInJson(JSON.stringify(value));
}

/** Every non-ASCII UTF-16 unit as `\uXXXX`; for Java and C# source that must stay ASCII. */
function utf16Escape(unit: number): string {
  return `\\u${hex(unit, 4)}`;
}

/**
 * A Java string literal, pure ASCII. Non-ASCII is written per UTF-16 unit as `\uXXXX` (so emoji
 * become surrogate pairs, as Java strings hold them). Controls use `\n`-style or three-digit octal
 * escapes, never `\u000a`-style ones: javac replaces Unicode escapes before it reads the literal,
 * so `\u000a` would end the line and `\u0022` the string. A backslash from the text is doubled, and
 * javac's pre-pass ignores a `u` after an escaped backslash (it needs an odd run of backslashes).
 */
export function javaString(value: string): string {
  return `"${javaStringBody(value)}"`;
}

function javaStringBody(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const short = SHORT_ESCAPES.get(unit);
    if (short !== undefined) out += short;
    else if (unit < 0x20 || unit === 0x7f) out += `\\${unit.toString(8).padStart(3, '0')}`;
    else if (unit > 0x7e) out += utf16Escape(unit);
    else out += value[i];
  }
  return out;
}

/**
 * A Java text block holding `text` (which has no line terminators of its own but the ones that
 * lay it out), indented by `indent`. Backslashes are doubled so the JSON escapes inside survive,
 * every `"""` is broken up, and non-ASCII is written as Unicode escapes.
 */
export function javaTextBlock(text: string, indent: string): string {
  const lines = text.split('\n').map((line) => {
    let body = '';
    for (let i = 0; i < line.length; i++) {
      const unit = line.charCodeAt(i);
      if (unit === 0x5c) body += '\\\\';
      else if (unit < 0x20 || unit === 0x7f) body += `\\${unit.toString(8).padStart(3, '0')}`;
      else if (unit > 0x7e) body += utf16Escape(unit);
      else body += line[i];
    }
    // Escape every quote that would complete a run of three, and any final quote.
    body = body.replace(/""(?=")/g, '"\\"').replace(/"$/, '\\"');
    // Text blocks strip trailing spaces; `\s` keeps a final one.
    body = body.replace(/ $/, '\\s');
    return `${indent}${body}`;
  });
  return `"""\n${lines.join('\n')}\n${indent}"""`;
}

/**
 * A C# regular string literal, pure ASCII: non-ASCII as `\uXXXX` (astral as `\UXXXXXXXX`), and
 * controls as `\uXXXX` (C# has no Unicode pre-pass, and `\x` escapes are variable-length, so they
 * are avoided).
 */
export function csharpString(value: string): string {
  let out = '"';
  for (const cp of codePoints(value)) {
    const short = SHORT_ESCAPES.get(cp);
    if (short !== undefined) out += short;
    else if (cp >= 0x20 && cp < 0x7f) out += String.fromCodePoint(cp);
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/**
 * A C# verbatim string (`@"…"`): only `"` is special (doubled). Used for JSON text, whose own
 * escapes then reach the JSON parser untouched; `readableJson` keeps it free of invisible
 * characters, and non-ASCII is escaped as JSON `\uXXXX` so the source stays ASCII.
 */
export function csharpVerbatimJson(json: string): string {
  let ascii = '';
  for (let i = 0; i < json.length; i++) {
    const unit = json.charCodeAt(i);
    ascii += unit > 0x7e ? `\\u${hex(unit, 4).toLowerCase()}` : json[i];
  }
  return `@"${ascii.replaceAll('"', '""')}"`;
}

/**
 * A POSIX shell word in single quotes, with `'` written as `'\''`. Shell words cannot hold NUL;
 * the CLI's JSON arguments never do, since JSON escapes it.
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** A shell word: bare when it is plainly safe (a model id, a region), else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_.:/@%+=,-]+$/.test(value) ? value : shellQuote(value);
}

/**
 * Text safe inside a line comment of any of the languages: no line breaks (so it cannot end the
 * comment), no star-slash, and no backslash-u (which javac would decode even in a comment).
 */
export function commentText(value: string): string {
  return value
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replaceAll('*/', '* /')
    .replaceAll('\\', '/');
}
