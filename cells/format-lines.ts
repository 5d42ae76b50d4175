/** Lines, fences and line numbers of a notebook file, for its reader and its errors. */

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

/** A problem inside a cell, `line` lines below its opening fence. */
export class CellProblem extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `read` on the cell opening at `start`, turning its problems into file lines. */
export function withLines<T>(text: string, start: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof CellProblem)) throw error;
    throw new NotebookParseError(lineNumber(text, start) + error.line, error.message);
  }
}

/** The start of the line holding `offset`, looking back no further than `floor`. */
export function lineStart(text: string, offset: number, floor: number): number {
  let start = offset;
  while (start > floor && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

/** The line starting at `start`: its text and where the next one starts. */
export function lineAt(text: string, start: number): { text: string; next: number } {
  const lineBreak = /\r\n|\r|\n/g;
  lineBreak.lastIndex = start;
  const found = lineBreak.exec(text);
  if (!found) return { text: text.slice(start), next: text.length };
  return { text: text.slice(start, found.index), next: found.index + found[0].length };
}

/** The 1-based line number of `offset`: \r\n, \r and \n each end a line. */
export function lineNumber(text: string, offset: number): number {
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
export function closingFence(
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
export function outsideCells(text: string, line: number): NotebookParseError {
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

const LINE = /([^\r\n]*)(\r\n|\r|\n|$)/y;

/** The lines of `text` from offset `from` on, each with its start and the next line's start. */
export function* lines(
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
