/**
 * What differs between the output languages where the programs say the same thing: comments,
 * string literals, the name of each operation's call, and the file constants at the top of a
 * program. One small table; the templates hold everything else.
 */
import { layoutValue } from './layout.ts';
import type { ValueStyle } from './layout.ts';
import { csharpString, javaString, jsString, pythonString, shellWord } from './literals.ts';
import type { Layout } from './template.ts';
import type { ExportLang, Operation, ProgramFile } from './types.ts';
import { wrapComment } from './types.ts';

export interface Phrases {
  /** What starts a line comment. */
  comment: string;
  /** A string literal with exactly the code points of `value`. */
  string: (value: string) => string;
  /** The client method, command class or CLI verb of each operation. */
  call: Record<Operation, string>;
  /** Declares a file's path as a constant at the top of the program. */
  fileConstant: (file: ProgramFile) => string;
}

export const PHRASES: Record<ExportLang, Phrases> = {
  python: {
    comment: '#',
    string: pythonString,
    call: {
      Converse: 'converse',
      ConverseStream: 'converse_stream',
      InvokeModel: 'invoke_model',
      InvokeModelWithResponseStream: 'invoke_model_with_response_stream',
    },
    fileConstant: (file) => `${file.constant} = ${pythonString(file.path)}`,
  },
  javascript: {
    comment: '//',
    string: jsString,
    call: {
      Converse: 'ConverseCommand',
      ConverseStream: 'ConverseStreamCommand',
      InvokeModel: 'InvokeModelCommand',
      InvokeModelWithResponseStream: 'InvokeModelWithResponseStreamCommand',
    },
    fileConstant: (file) => `const ${file.constant} = ${jsString(file.path)};`,
  },
  java: {
    comment: '//',
    string: javaString,
    call: {
      Converse: 'converse',
      ConverseStream: 'converseStream',
      InvokeModel: 'invokeModel',
      InvokeModelWithResponseStream: 'invokeModelWithResponseStream',
    },
    fileConstant: (file) => `static final String ${file.constant} = ${javaString(file.path)};`,
  },
  csharp: {
    comment: '//',
    string: csharpString,
    call: {
      Converse: 'ConverseAsync',
      ConverseStream: 'ConverseStreamAsync',
      InvokeModel: 'InvokeModelAsync',
      InvokeModelWithResponseStream: 'InvokeModelWithResponseStreamAsync',
    },
    fileConstant: (file) => `private const string ${file.constant} = ${csharpString(file.path)};`,
  },
  cli: {
    comment: '#',
    string: shellWord,
    // The CLI has no streaming form: both streaming operations make the plain call.
    call: {
      Converse: 'converse',
      ConverseStream: 'converse',
      InvokeModel: 'invoke-model',
      InvokeModelWithResponseStream: 'invoke-model',
    },
    fileConstant: (file) => `${file.constant}=${shellWord(file.path)}`,
  },
};

/** Comment lines of `text`, wrapped at 96 columns, in `lang`'s comment syntax. */
export function comment(lang: ExportLang, text: string): string[] {
  return wrapComment(text, PHRASES[lang].comment);
}

/** Comment lines for prose: every line break ends a line, nothing else can end the comment. */
export function commentLines(text: string, prefix: string): string[] {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trimEnd())
    .map((line) => (line ? `${prefix} ${line}` : prefix));
}

/**
 * The block of file constants at the top of a program, or nothing when it reads no files.
 * A file's path is relative to the folder the program runs in.
 */
export function fileConstants(lang: ExportLang, files: readonly ProgramFile[]): string[] {
  if (files.length === 0) return [];
  return [
    ...comment(
      lang,
      'The files this prompt attaches, read when the program runs. The paths are relative to the folder this program is saved in (saved in the workspace, beside the notebook, it finds them): run it from there.',
    ),
    ...files.map((file) => PHRASES[lang].fileConstant(file)),
    '',
  ];
}

/** Python values: dicts and lists as `json.dumps` would show them, with Python's constants. */
export const pythonStyle: ValueStyle = {
  string: pythonString,
  key: pythonString,
  null: 'None',
  true: 'True',
  false: 'False',
  bracePadding: '',
  joinLines: (literals, indent, step) =>
    `(\n${literals.map((l) => indent + step + l).join('\n')}\n${indent})`,
  trailingComma: true,
  fileBytes: (constant) => `open(${constant}, "rb").read()`,
  fileBase64: (constant) => `base64.b64encode(open(${constant}, "rb").read()).decode()`,
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** JavaScript values as Prettier would lay them out. */
export const jsStyle: ValueStyle = {
  string: jsString,
  key: (key) => (IDENTIFIER.test(key) ? key : jsString(key)),
  null: 'null',
  true: 'true',
  false: 'false',
  bracePadding: ' ',
  joinLines: (literals, indent, step) => literals.join(` +\n${indent}${step}`),
  trailingComma: true,
  fileBytes: (constant) => `readFileSync(${constant})`,
  fileBase64: (constant) => `readFileSync(${constant}).toString("base64")`,
};

/** A Python expression for a JSON value, laid out where the template puts it. */
export function py(value: unknown): Layout {
  return ({ indent, column }) =>
    layoutValue(value, pythonStyle, indent, '    ', column - indent.length);
}

/** A JavaScript expression for a JSON value, laid out where the template puts it. */
export function js(value: unknown): Layout {
  return ({ indent, column }) => layoutValue(value, jsStyle, indent, '  ', column - indent.length);
}
