/**
 * `npm run export -- <notebook file> [--cell <id or 1-based index>] [--target <id>]
 *   --lang <python|javascript|java|csharp|cli|ipynb> [--stream|--no-stream] [--region R]
 *   [--profile P]`
 *
 * Prints the export on standard output. With `--cell`, one cell's request for one target (a
 * prompt cell with several targets needs `--target`; a native cell runs against its own model).
 * Without it, the whole notebook (python, javascript or ipynb), its threads built at run time.
 *
 * The command line has no earlier answers to give `compile` (run records are the UI's business),
 * so a prompt cell that continues a thread whose earlier prompts have no scripted assistant cell
 * cannot be exported on its own: the error says so and suggests the whole-notebook export, which
 * builds the conversation from the answers the models give when it runs.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CompileError, compile, runTargetsFor } from '../cells/compile.ts';
import { EXPORT_LANGS, ExportError, exportNotebook, exportRequest } from '../cells/export/index.ts';
import { NotebookParseError, parseNotebook } from '../cells/format.ts';
import type { Notebook } from '../cells/notebook.ts';

const LANGS = [...EXPORT_LANGS, 'ipynb'] as const;
type Lang = (typeof LANGS)[number];

const USAGE =
  'usage: npm run export -- <notebook file> [--cell <id or 1-based index>] [--target <id>] --lang <python|javascript|java|csharp|cli|ipynb> [--stream|--no-stream] [--region R] [--profile P]';

/** A problem the user can fix: printed without a stack trace, exit status 1. */
class UsageError extends Error {
  override name = 'UsageError';
}

function findCell(notebook: Notebook, ref: string) {
  const byId = notebook.cells.find((c) => c.id === ref);
  if (byId) return byId;
  if (/^\d+$/.test(ref)) {
    const byIndex = notebook.cells[Number(ref) - 1];
    if (byIndex) return byIndex;
  }
  throw new UsageError(
    `There is no cell "${ref}" in this notebook: give a cell id or a number from 1 to ${notebook.cells.length}.`,
  );
}

function run(argv: string[]): string {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      cell: { type: 'string' },
      target: { type: 'string' },
      lang: { type: 'string' },
      stream: { type: 'boolean', default: true },
      region: { type: 'string', default: 'us-east-1' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return `${USAGE}\n`;
  if (positionals.length !== 1) throw new UsageError(`Give exactly one notebook file.\n${USAGE}`);
  if (values.lang === undefined) throw new UsageError(`--lang is required.\n${USAGE}`);
  if (!(LANGS as readonly string[]).includes(values.lang)) {
    throw new UsageError(`Unknown --lang "${values.lang}": use one of ${LANGS.join(', ')}.`);
  }
  const lang = values.lang as Lang;
  const file = positionals[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const notebook = parseNotebook(text);
  const common = {
    streaming: values.stream,
    region: values.region,
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
  };

  if (values.cell === undefined) {
    if (lang === 'java' || lang === 'csharp' || lang === 'cli') {
      throw new UsageError(
        `--lang ${lang} exports one request: add --cell <id or number> (whole notebooks export to python, javascript or ipynb).`,
      );
    }
    return exportNotebook(notebook, {
      lang,
      ...common,
      ...(values.target !== undefined ? { targetId: values.target } : {}),
    });
  }

  if (lang === 'ipynb') {
    throw new UsageError('--lang ipynb exports the whole notebook: leave out --cell.');
  }
  const cell = findCell(notebook, values.cell);
  const index = notebook.cells.indexOf(cell) + 1;
  if (cell.kind !== 'prompt' && cell.kind !== 'native') {
    throw new UsageError(
      `Cell ${index} ("${cell.id}") is a ${cell.kind} cell, which does not run: export a prompt or native cell.`,
    );
  }
  const targets = runTargetsFor(notebook, cell);
  let target = targets[0];
  if (cell.kind === 'prompt') {
    if (targets.length === 0) {
      throw new UsageError('The notebook has no targets to run this prompt against.');
    }
    if (values.target !== undefined) {
      target = targets.find((t) => t.id === values.target);
      if (!target) {
        throw new UsageError(
          `There is no target "${values.target}" in this notebook (targets: ${targets.map((t) => t.id).join(', ')}).`,
        );
      }
    } else if (targets.length > 1) {
      throw new UsageError(
        `Cell ${index} ("${cell.id}") runs against ${targets.length} targets: pick one with --target (${targets.map((t) => t.id).join(', ')}).`,
      );
    }
  } else if (values.target !== undefined) {
    process.stderr.write(
      `Note: cell ${index} is a native cell and runs against its own model; --target is ignored.\n`,
    );
  }
  let request;
  try {
    request = compile(notebook, cell.id, target!).request;
  } catch (error) {
    if (error instanceof CompileError && /has no answer/.test(error.message)) {
      throw new UsageError(
        `${error.message}.\nThe command line has no earlier answers, so it cannot export a later turn of a conversation on its own. Export the whole notebook instead (leave out --cell, --lang python, javascript or ipynb): it builds the conversation from the answers the models give when it runs.`,
      );
    }
    throw error;
  }
  return exportRequest(request, { lang, ...common });
}

try {
  process.stdout.write(run(process.argv.slice(2)));
} catch (error) {
  const known =
    error instanceof UsageError ||
    error instanceof ExportError ||
    error instanceof CompileError ||
    error instanceof NotebookParseError ||
    (error instanceof Error && error.name === 'ZodError') ||
    (error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS'));
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    known
      ? `export: ${message}\n`
      : `export: unexpected error: ${error instanceof Error ? (error.stack ?? message) : message}\n`,
  );
  process.exitCode = known ? 1 : 2;
}
