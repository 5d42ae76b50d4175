/**
 * A whole notebook as a Jupyter notebook (nbformat 4.5), a Python script (cells marked with
 * `# %%`, so editors can run them one by one) or a JavaScript ES module. Cells run in order: a
 * setup cell creates the client and one conversation per target; system and config cells set
 * variables later cells use; each prompt cell appends the user turn to every target's
 * conversation, sends it, prints the answer and appends it, so later prompts see the answers the
 * models actually gave (built at run time, as the playground's `compile` builds them); assistant
 * cells append their scripted text instead; native cells send their body as written.
 *
 * This module turns the notebook into a typed description (`NotebookProgram`); the templates in
 * `notebook-python.ts` and `notebook-javascript.ts` write the program from it.
 */
import { compile, runTargetsFor } from '../compile.ts';
import { familyOf, findModel, LLAMA_MAX_GEN_LEN } from '../models/index.ts';
import type { ModelFamily } from '../models/index.ts';
import { formatOfFile, parseData } from '../data.ts';
import type { DataFormat } from '../data.ts';
import { gridShapeOf } from '../grid.ts';
import type { Cell, InferenceConfig, Notebook, Target } from '../notebook.ts';
import { unreachable } from '../unreachable.ts';
import { javascriptNotebook } from './notebook-javascript.ts';
import { pythonNotebookCells } from './notebook-python.ts';
import type { NotebookBlock } from './notebook-python.ts';
import { commentLines } from './phrases.ts';
import { converseContent, keepAccepted, userTurn } from '../compile-parts.ts';
import { promptParts } from '../notebook.ts';
import { ExportError, nativeFamily, ProgramFiles } from './types.ts';
import type { ContentPart } from './types.ts';
import type { ProgramFile } from './types.ts';

/** The forms a whole notebook can be exported to. */
export const NOTEBOOK_EXPORT_LANGS = ['ipynb', 'python', 'javascript'] as const;
export type NotebookExportLang = (typeof NOTEBOOK_EXPORT_LANGS)[number];

export interface NotebookExportOptions {
  lang: NotebookExportLang;
  /** Export one target's column only; all targets when left out. */
  targetId?: string;
  region: string;
  profile?: string;
  /** Stream every answer (printing it as it arrives) or wait for whole answers. */
  streaming: boolean;
}

/** One model the exported notebook compares, with the limits the adapters apply. */
export interface TargetEntry {
  id: string;
  label: string;
  modelId: string;
  api: Target['api'];
  /** InvokeModel targets: the family that builds the body, and its output-token ceiling. */
  native?: { family: ModelFamily | undefined; maxTokensLimit: number | null };
  /** A variant's own system prompt and inference settings, which win over the cells'. */
  overrides?: { system?: string; inferenceConfig?: Record<string, unknown> };
}

/** One notebook cell as the exported program runs it; `index` counts cells from 0. */
export type NotebookStep =
  | { kind: 'markdown'; id: string; index: number; text: string }
  | { kind: 'system'; id: string; index: number; text: string }
  | {
      kind: 'config';
      id: string;
      index: number;
      inferenceConfig: Record<string, unknown>;
      extras: Record<string, unknown>;
    }
  | {
      kind: 'prompt';
      id: string;
      index: number;
      text: string;
      newThread: boolean;
      /** The assistant cell that stands in for this prompt's answers, if one does. */
      scriptedBy: string | undefined;
      /** Runs once per test case of the data cell above (its variables filled). */
      perCase: boolean;
      /** How many times each test case (or the prompt) runs. */
      repeat: number;
      /** A prompt with more than its text: images, documents, more text. */
      parts?: PromptStepParts;
    }
  | {
      kind: 'data';
      id: string;
      index: number;
      /** The test cases written in the cell, or the workspace file that holds them. */
      cases: { rows: Record<string, string>[] } | { file: string; format: DataFormat };
    }
  | { kind: 'assistant'; id: string; index: number; text: string }
  | {
      kind: 'native';
      id: string;
      index: number;
      label: string;
      modelId: string;
      /** What the catalog calls the model, if it knows it. */
      modelName: string | undefined;
      family: ModelFamily;
      body: Record<string, unknown>;
    };

/** A prompt's user message when it has more than text, and what each target takes of it. */
export interface PromptStepParts {
  /** The message's Converse blocks in order (blank text left out), files as `FileBytes`. */
  content: ContentPart[];
  /** For each target id, the indexes of the blocks it takes (the others are left out). */
  kept: Record<string, number[]>;
  /** What is left out for whom, as the playground says it. */
  warnings: string[];
}

/** True when a prompt of the program sends more than text (its helpers then read blocks). */
export function hasParts(program: NotebookProgram): boolean {
  return program.steps.some((s) => s.kind === 'prompt' && s.parts !== undefined);
}

/** The typed description of a whole-notebook program, whatever its language. */
export interface NotebookProgram {
  title: string;
  region: string;
  profile: string | undefined;
  streaming: boolean;
  targets: TargetEntry[];
  /** Whether any prompt runs through Converse. */
  converse: boolean;
  /** The native families the program must build bodies for and read, in order of first use. */
  families: ModelFamily[];
  steps: NotebookStep[];
  /** Files read at run time, declared as constants at the top (attachments). */
  files: ProgramFile[];
  /** Whether a prompt runs per test case or repeats, or a target is a variant. */
  grid: { cases: boolean; repeats: boolean; variants: boolean };
}

export function exportNotebook(notebook: Notebook, options: NotebookExportOptions): string {
  return renderNotebook(describeNotebook(notebook, options), options.lang);
}

/** The program a typed notebook description says, in `lang`. */
export function renderNotebook(program: NotebookProgram, lang: NotebookExportLang): string {
  switch (lang) {
    case 'ipynb':
      return ipynb(program.title, pythonNotebookCells(program, 'notebook'));
    case 'python':
      return pythonScript(pythonNotebookCells(program, 'script'));
    case 'javascript':
      return javascriptNotebook(program);
    default:
      return unreachable(lang);
  }
}

/** The typed description of `notebook`, checked to compile as the playground would. */
export function describeNotebook(
  notebook: Notebook,
  options: Omit<NotebookExportOptions, 'lang'>,
): NotebookProgram {
  const targets = selectTargets(notebook, options.targetId);
  validate(notebook, targets);
  const entries = targets.map(targetEntry);
  const hasPrompt = notebook.cells.some((c) => c.kind === 'prompt');
  const families = new Set<ModelFamily>();
  if (hasPrompt) {
    for (const entry of entries) if (entry.native?.family) families.add(entry.native.family);
  }
  const files = new ProgramFiles();
  const steps = notebook.cells.map((cell, index) => {
    const described = step(notebook, cell, index);
    return described.kind === 'prompt' && cell.kind === 'prompt' && cell.parts.length
      ? { ...described, parts: promptStepParts(cell, targets, files) }
      : described;
  });
  for (const s of steps) if (s.kind === 'native') families.add(s.family);
  const prompts = steps.flatMap((s) => (s.kind === 'prompt' ? [s] : []));
  return {
    title: notebook.title,
    region: options.region,
    profile: options.profile,
    streaming: options.streaming,
    targets: entries,
    converse: hasPrompt && entries.some((e) => e.api === 'converse'),
    families: [...families],
    steps,
    files: files.list,
    grid: {
      cases: prompts.some((s) => s.perCase),
      repeats: prompts.some((s) => s.repeat > 1),
      variants: entries.some((e) => e.overrides),
    },
  };
}

/**
 * A prompt's parts for the program: its user message as Converse blocks (each file read when the
 * program runs), and which blocks each target takes, with the warnings the playground shows for
 * the ones it leaves out.
 */
function promptStepParts(
  cell: Extract<Cell, { kind: 'prompt' }>,
  targets: readonly Target[],
  files: ProgramFiles,
): PromptStepParts {
  const parts = promptParts(cell).filter((part) => part.kind !== 'text' || part.text.trim());
  const turn = userTurn(parts);
  const content = files.read(converseContent(turn), 'bytes') as ContentPart[];
  const kept: Record<string, number[]> = {};
  const warnings: string[] = [];
  for (const target of targets) {
    const ctx = { messages: [turn], config: {}, extras: {} };
    warnings.push(...keepAccepted(ctx, target.api, target.modelId));
    const left = ctx.messages[0]!.parts ?? parts;
    kept[target.id] = parts.flatMap((part, i) => (left.includes(part) ? [i] : []));
  }
  return { content, kept, warnings };
}

function targetEntry(target: Target): TargetEntry {
  const entry: TargetEntry = {
    id: target.id,
    label: target.label,
    modelId: target.modelId,
    api: target.api,
  };
  if (target.overrides && Object.keys(target.overrides).length) {
    const { system, ...config } = target.overrides;
    entry.overrides = {
      ...(system === undefined ? {} : { system }),
      ...(Object.keys(config).length ? { inferenceConfig: configFields(config) } : {}),
    };
  }
  if (target.api === 'invoke') {
    const family = familyOf(target.modelId);
    const limit = findModel(target.modelId)?.maxOutputTokens;
    entry.native = {
      family,
      maxTokensLimit: family === 'claude' ? (limit ?? null) : (limit ?? LLAMA_MAX_GEN_LEN),
    };
  }
  return entry;
}

function step(notebook: Notebook, cell: Cell, index: number): NotebookStep {
  const { id } = cell;
  switch (cell.kind) {
    case 'markdown':
    case 'assistant':
      return { kind: cell.kind, id, index, text: cell.text };
    case 'system':
      return { kind: 'system', id, index, text: cell.text };
    case 'config':
      return {
        kind: 'config',
        id,
        index,
        inferenceConfig: configFields(cell),
        extras: cell.extras,
      };
    case 'prompt':
      return {
        kind: 'prompt',
        id,
        index,
        text: cell.text,
        newThread: cell.newThread,
        scriptedBy: scriptedAnswer(notebook, index),
        perCase: gridShapeOf(notebook, cell.id)?.data !== undefined,
        repeat: cell.repeat,
      };
    case 'native': {
      const target = runTargetsFor(notebook, cell)[0]!;
      const request = compile(notebook, cell.id, target).request;
      return {
        kind: 'native',
        id,
        index,
        label: target.label,
        modelId: cell.modelId,
        modelName: findModel(cell.modelId)?.name,
        family: nativeFamily(cell.modelId),
        body: request.api === 'invoke' ? request.body : {},
      };
    }
    case 'data':
      return { kind: 'data', id, index, cases: testCases(cell) };
    default:
      return unreachable(cell);
  }
}

/** The id of the assistant cell that answers the prompt at `index`, if one does. */
function scriptedAnswer(notebook: Notebook, index: number): string | undefined {
  for (const cell of notebook.cells.slice(index + 1)) {
    if (cell.kind === 'assistant') return cell.id;
    if (cell.kind === 'prompt') return undefined;
  }
  return undefined;
}

/** A data cell's test cases as an export carries them: its rows, or the file to read. */
function testCases(
  cell: Extract<Cell, { kind: 'data' }>,
): Extract<NotebookStep, { kind: 'data' }>['cases'] {
  if (cell.file !== undefined) {
    return { file: cell.file, format: formatOfFile(cell.file) ?? cell.format };
  }
  try {
    return { rows: parseData(cell.text, cell.format).rows.map((row) => ({ ...row })) };
  } catch (error) {
    throw new ExportError(`The test cases cannot be read: ${(error as Error).message}`);
  }
}

/** The config cell's inference fields, only those set, in the order compile uses. */
function configFields(cell: InferenceConfig): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (cell.maxTokens !== undefined) config.maxTokens = cell.maxTokens;
  if (cell.temperature !== undefined) config.temperature = cell.temperature;
  if (cell.topP !== undefined) config.topP = cell.topP;
  if (cell.stopSequences !== undefined) config.stopSequences = cell.stopSequences;
  return config;
}

/** Checks the notebook compiles, so the export fails where the playground would. */
function validate(notebook: Notebook, targets: Target[]): void {
  const placeholder = () => '';
  for (const cell of notebook.cells) {
    if (cell.kind !== 'prompt' && cell.kind !== 'native') continue;
    const runTargets = cell.kind === 'prompt' ? targets : runTargetsFor(notebook, cell);
    if (cell.kind === 'prompt' && runTargets.length === 0) {
      throw new ExportError(
        'The notebook has no targets to run its prompt cells against: add a target first.',
      );
    }
    for (const target of runTargets) {
      compile(notebook, cell.id, target, placeholder);
      if (target.api === 'invoke') nativeFamily(target.modelId);
    }
  }
}

function selectTargets(notebook: Notebook, targetId: string | undefined): Target[] {
  if (targetId === undefined) return notebook.targets;
  const target = notebook.targets.find((t) => t.id === targetId);
  if (!target) {
    const known = notebook.targets.map((t) => `"${t.id}"`).join(', ') || 'none';
    throw new ExportError(`There is no target "${targetId}" in this notebook (targets: ${known}).`);
  }
  return [target];
}

function pythonScript(blocks: NotebookBlock[]): string {
  const parts = blocks.map((block) =>
    block.kind === 'markdown'
      ? ['# %% [markdown]', ...commentLines(block.source, '#')].join('\n')
      : `# %%\n${block.source}`,
  );
  return `${parts.join('\n\n')}\n`;
}

/** Source text as nbformat stores it: a list of lines, each but the last ending in "\n". */
function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function ipynb(title: string, blocks: NotebookBlock[]): string {
  const cells = blocks.map((block) =>
    block.kind === 'markdown'
      ? { cell_type: 'markdown', id: block.id, metadata: {}, source: sourceLines(block.source) }
      : {
          cell_type: 'code',
          execution_count: null,
          id: block.id,
          metadata: {},
          outputs: [],
          source: sourceLines(block.source),
        },
  );
  const document = {
    cells,
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
      title,
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(document, null, 1)}\n`;
}
