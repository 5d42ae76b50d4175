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
 * Attachments: when content blocks gain images and documents, the exporters will read each file
 * from its path at run time (`open(path, "rb").read()`, `readFileSync(path)`, …) as AWS's examples
 * do, rather than inline base64 — each language's content-block writer is the one place to add it.
 */
import type { CompiledRequest } from '../request.ts';
import { unreachable } from '../unreachable.ts';
import { exportCli } from './cli.ts';
import { exportCSharp } from './csharp.ts';
import { exportJava } from './java.ts';
import { exportJavaScript } from './javascript.ts';
import { exportPython } from './python.ts';
import { operationOf } from './types.ts';
import type { ExportOptions } from './types.ts';

export { EXPORT_LANGS, ExportError } from './types.ts';
export type { ExportLang, ExportOptions } from './types.ts';
export { CLI_OUTPUT_FILE } from './cli.ts';
export { NOTEBOOK_EXPORT_LANGS, exportNotebook } from './notebook.ts';
export type { NotebookExportLang, NotebookExportOptions } from './notebook.ts';

/** A complete, runnable program that sends `request` (see the module comment). */
export function exportRequest(request: CompiledRequest, options: ExportOptions): string {
  switch (options.lang) {
    case 'python':
      return exportPython(request, options);
    case 'javascript':
      return exportJavaScript(request, options);
    case 'java':
      return exportJava(request, options);
    case 'csharp':
      return exportCSharp(request, options);
    case 'cli':
      return exportCli(request, options);
    default:
      return unreachable(options.lang);
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
      return `${operationOf(request, options.streaming)}.java`;
    case 'csharp':
      return `${operationOf(request, options.streaming)}.cs`;
    case 'cli':
      return `${request.api === 'converse' ? 'converse' : 'invoke-model'}.sh`;
    default:
      return unreachable(options.lang);
  }
}
