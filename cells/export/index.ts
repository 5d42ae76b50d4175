/**
 * Code exporters: a compiled request (or a whole notebook) as a runnable program in the shape of
 * AWS's own Bedrock Runtime examples: a client for the Region, a `modelId` constant, the request,
 * the call (with the loop that prints a stream as it arrives), the token usage, and an error
 * message that names the model. Pure functions, string in and string out.
 *
 * Exports never contain credentials: the programs use the SDK's default credential chain, or the
 * named profile given in the options.
 *
 * A per-request export is exactly the request `compile` produced, so a prompt later in a thread
 * embeds the earlier turns as compiled, with the answers the caller passed to `compile` (the UI
 * passes the answers of its last runs). With no answers to give (the command line has none), such
 * a cell cannot be compiled, and the whole-notebook export is the honest alternative: it builds
 * the thread at run time from the answers the models actually give.
 *
 * Each language has one template that reads like the program it writes (`python.ts`,
 * `javascript.ts`, `java.ts`, `csharp.ts`, `cli.ts`, and `notebook-python.ts` /
 * `notebook-javascript.ts` for whole notebooks), written with the `code` tag of `template.ts`
 * and filled from a typed description of the request (`describeRequest`, `RequestProgram`) or
 * notebook (`describeNotebook`, `NotebookProgram`); what differs by language where the programs
 * say the same thing is in the table of `phrases.ts`.
 *
 * Attachments: a program reads each file at run time from a path declared as a constant at its
 * top (`RequestProgram.files`, written by `fileConstants`), as AWS's examples do, rather than
 * inlining base64; each template's content-block writer is where the block that reads it goes.
 */
import type { CompiledRequest } from '../request.ts';
import { unreachable } from '../unreachable.ts';
import { cliProgram } from './cli.ts';
import { csharpProgram } from './csharp.ts';
import { javaProgram } from './java.ts';
import { javascriptProgram } from './javascript.ts';
import { pythonProgram } from './python.ts';
import { describeRequest, operationOf } from './types.ts';
import type { ExportLang, ExportOptions, RequestProgram } from './types.ts';

export { EXPORT_LANGS, ExportError } from './types.ts';
export { describeRequest } from './types.ts';
export type { ExportLang, ExportOptions, ProgramFile, RequestProgram } from './types.ts';
export { CLI_OUTPUT_FILE } from './cli.ts';
export {
  NOTEBOOK_EXPORT_LANGS,
  describeNotebook,
  exportNotebook,
  renderNotebook,
} from './notebook.ts';
export type {
  NotebookExportLang,
  NotebookExportOptions,
  NotebookProgram,
  NotebookStep,
} from './notebook.ts';

/** A complete, runnable program that sends `request` (see the module comment). */
export function exportRequest(request: CompiledRequest, options: ExportOptions): string {
  return renderProgram(describeRequest(request, options), options.lang);
}

/** The program a typed description says, in `lang`. */
export function renderProgram(program: RequestProgram, lang: ExportLang): string {
  switch (lang) {
    case 'python':
      return pythonProgram(program);
    case 'javascript':
      return javascriptProgram(program);
    case 'java':
      return javaProgram(program);
    case 'csharp':
      return csharpProgram(program);
    case 'cli':
      return cliProgram(program);
    default:
      return unreachable(lang);
  }
}

/** The file name a user would save an export of `request` under. */
export function exportFileName(request: CompiledRequest, options: ExportOptions): string {
  const stream = options.streaming ? '_stream' : '';
  switch (options.lang) {
    case 'python':
      return `${request.api === 'converse' ? 'converse' : 'invoke_model'}${stream}.py`;
    case 'javascript':
      return `${request.api === 'converse' ? 'converse' : 'invoke-model'}${stream ? '-stream' : ''}.mjs`;
    case 'java':
      return `${operationOf(request.api, options.streaming)}.java`;
    case 'csharp':
      return `${operationOf(request.api, options.streaming)}.cs`;
    case 'cli':
      return `${request.api === 'converse' ? 'converse' : 'invoke-model'}.sh`;
    default:
      return unreachable(options.lang);
  }
}
