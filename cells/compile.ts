import { adapterFor, findModel, hasAdapter } from './models/index.ts';
import type { ConversationContext, Turn } from './models/index.ts';
import { converseContent, keepAccepted, limitProblem, userTurn } from './compile-parts.ts';
import type { Cell, InferenceConfig, Notebook, Target } from './notebook.ts';
import type { Compiled, ConverseInput } from './request.ts';
import { jsonErrorWhere } from './json.ts';
import { unreachable } from './unreachable.ts';
import { CompileError } from './compile-error.ts';
import { fillBody, filledParts, filler, withOverrides } from './compile-variants.ts';
import type { CompileOptions, Fill } from './compile-variants.ts';

export { CompileError } from './compile-error.ts';
export type { CompileOptions } from './compile-variants.ts';

/**
 * A target's earlier answer to a prompt cell (the text of its last run), or undefined when that
 * target has not answered it yet.
 */
export type AnswerLookup = (cellId: string, targetId: string) => string | undefined;

const noAnswers: AnswerLookup = () => undefined;

function describe(notebook: Notebook, index: number): string {
  return `Cell ${index + 1} (${notebook.cells[index]!.kind})`;
}

function indexOf(notebook: Notebook, cellId: string): number {
  const index = notebook.cells.findIndex((c) => c.id === cellId);
  if (index < 0) throw new CompileError(`There is no cell "${cellId}" in this notebook`, cellId);
  return index;
}

/** The inference config without the fields left unset, in a fixed order. */
function setFields(cell: Extract<Cell, { kind: 'config' }> | undefined): InferenceConfig {
  const config: InferenceConfig = {};
  if (!cell) return config;
  if (cell.maxTokens !== undefined) config.maxTokens = cell.maxTokens;
  if (cell.temperature !== undefined) config.temperature = cell.temperature;
  if (cell.topP !== undefined) config.topP = cell.topP;
  if (cell.stopSequences !== undefined) config.stopSequences = cell.stopSequences;
  return config;
}

/**
 * The context the cells above `end` give one target: the nearest system and config cells, and
 * the thread (prompts with this target's answers, or the assistant cells standing in for them).
 * With `open`, the last prompt above is left unanswered (it is the turn a native seed continues);
 * otherwise its answer is looked up too, so a prompt at `end` can follow it.
 */
function contextAbove(
  notebook: Notebook,
  end: number,
  target: Pick<Target, 'id' | 'label'>,
  answers: AnswerLookup,
  open: boolean,
  fill: Fill = (text) => text,
): ConversationContext {
  let system: string | undefined;
  let config: Extract<Cell, { kind: 'config' }> | undefined;
  let turns: Turn[] = [];
  // The prompt whose answer is still owed: by an assistant cell below it, or by the lookup.
  let owed: number | undefined;

  const settle = () => {
    if (owed === undefined) return;
    const prompt = notebook.cells[owed]!;
    const answer = answers(prompt.id, target.id);
    if (answer === undefined) {
      throw new CompileError(
        `${describe(notebook, owed)} has no answer from ${target.label} yet: run it first, or add an assistant cell after it`,
        prompt.id,
      );
    }
    turns.push({ role: 'assistant', text: answer });
    owed = undefined;
  };

  for (let i = 0; i < end; i++) {
    const cell = notebook.cells[i]!;
    switch (cell.kind) {
      case 'markdown':
      case 'native':
      case 'data':
        // A native cell stands alone: its body and answers are not part of any thread.
        break;
      case 'system':
        system = cell.text.trim() ? fill(cell.text, describe(notebook, i), cell.id) : undefined;
        break;
      case 'config':
        config = cell;
        break;
      case 'prompt':
        if (cell.newThread) {
          turns = [];
          owed = undefined;
        }
        settle();
        turns.push(userTurn(filledParts(cell, fill, describe(notebook, i))));
        owed = i;
        break;
      case 'assistant': {
        const last = turns.at(-1);
        if (!last) {
          throw new CompileError(
            `${describe(notebook, i)} comes before any prompt in its thread: a conversation starts with a user turn, so put a prompt cell above it`,
            cell.id,
          );
        }
        if (last.role === 'assistant') {
          throw new CompileError(
            `${describe(notebook, i)} follows another assistant turn: roles must alternate, so merge the two assistant cells or put a prompt cell between them`,
            cell.id,
          );
        }
        turns.push({ role: 'assistant', text: fill(cell.text, describe(notebook, i), cell.id) });
        owed = undefined;
        break;
      }
      default:
        return unreachable(cell);
    }
  }
  if (!open) settle();
  const ctx: ConversationContext = {
    messages: turns,
    config: setFields(config),
    extras: { ...config?.extras[target.id] },
  };
  if (system !== undefined) ctx.system = system;
  return ctx;
}

/** The context a prompt cell runs with for one target, its own text last. */
function promptContext(
  notebook: Notebook,
  index: number,
  target: Target,
  answers: AnswerLookup,
  fill: Fill,
): ConversationContext {
  const cell = notebook.cells[index]!;
  if (cell.kind !== 'prompt') throw new Error('promptContext needs a prompt cell');
  // A new thread still takes the system and config cells above; only the turns start afresh.
  const ctx = withOverrides(
    contextAbove(notebook, index, target, answers, cell.newThread, fill),
    target,
    fill,
    cell.id,
  );
  if (cell.newThread) ctx.messages = [];
  const turn = userTurn(filledParts(cell, fill, describe(notebook, index)));
  const attached = turn.parts?.some((part) => part.kind !== 'text') ?? false;
  if (!turn.text.trim() && !attached) {
    throw new CompileError(`${describe(notebook, index)} is empty: write a prompt first`, cell.id);
  }
  ctx.messages.push(turn);
  return ctx;
}

/** The Converse input for a context: only the fields the notebook sets. */
function converseInput(modelId: string, ctx: ConversationContext): ConverseInput {
  const input: ConverseInput = {
    modelId,
    messages: ctx.messages.map((turn) => ({ role: turn.role, content: converseContent(turn) })),
  };
  if (ctx.system !== undefined) input.system = [{ text: ctx.system }];
  if (Object.keys(ctx.config).length) input.inferenceConfig = { ...ctx.config };
  if (Object.keys(ctx.extras).length) input.additionalModelRequestFields = { ...ctx.extras };
  return input;
}

/** Parses a native cell's body text; a JSON error names the line and column. */
export function parseNativeBody(
  text: string,
  label: string,
  cellId?: string,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CompileError(
      `${label}: the body is not valid JSON (${jsonErrorWhere(text, message)})`,
      cellId,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CompileError(`${label}: the body must be a JSON object`, cellId);
  }
  return value as Record<string, unknown>;
}

/**
 * The exact request a cell sends to one target. A prompt cell compiles the context above it
 * (system, config, thread with this target's own answers); a native cell is its own body for its
 * own model, whatever target is passed.
 */
export function compile(
  notebook: Notebook,
  cellId: string,
  target: Target,
  answers: AnswerLookup = noAnswers,
  options: CompileOptions = {},
): Compiled {
  const index = indexOf(notebook, cellId);
  const cell = notebook.cells[index]!;
  switch (cell.kind) {
    case 'native': {
      const label = describe(notebook, index);
      const body = parseNativeBody(cell.body, label, cell.id);
      return {
        request: {
          api: 'invoke',
          modelId: cell.modelId,
          body: options.variables ? fillBody(body, options.variables, label, cell.id) : body,
        },
        warnings: [],
      };
    }
    case 'prompt': {
      const ctx = promptContext(notebook, index, target, answers, filler(options.variables));
      // A model without a native adapter runs through Converse, which every model speaks.
      const api = target.api === 'invoke' && !hasAdapter(target.modelId) ? 'converse' : target.api;
      // Parts the model cannot take are left out with a warning; what is left must be within
      // Bedrock's limits, checked here, before anything is sent.
      const dropped = keepAccepted(ctx, api, target.modelId);
      const limit = limitProblem(ctx);
      if (limit) throw new CompileError(limit, cell.id);
      switch (api) {
        case 'converse': {
          const warnings = hasAdapter(target.modelId)
            ? adapterFor(target.modelId).converseWarnings(ctx)
            : [];
          warnings.push(...dropped);
          if (target.api === 'invoke') {
            warnings.unshift(
              `The playground has no native body for ${target.modelId}: this target runs through the Converse API instead of InvokeModel`,
            );
          }
          return {
            request: {
              api: 'converse',
              modelId: target.modelId,
              input: converseInput(target.modelId, ctx),
            },
            warnings,
          };
        }
        case 'invoke': {
          const { body, warnings } = nativeBodyFor(target.modelId, ctx);
          return {
            request: { api: 'invoke', modelId: target.modelId, body },
            warnings: [...dropped, ...warnings],
          };
        }
        default:
          return unreachable(api);
      }
    }
    case 'markdown':
    case 'system':
    case 'config':
    case 'assistant':
    case 'data':
      throw new CompileError(
        `${describe(notebook, index)} does not run: only prompt and native cells run`,
        cell.id,
      );
    default:
      return unreachable(cell);
  }
}

function nativeBodyFor(modelId: string, ctx: ConversationContext) {
  try {
    return adapterFor(modelId).buildNativeBody(ctx);
  } catch (error) {
    if (error instanceof CompileError) throw error;
    throw new CompileError(error instanceof Error ? error.message : String(error));
  }
}

/** The targets a cell runs against: the notebook's for a prompt, its own model for a native cell. */
export function runTargetsFor(notebook: Notebook, cell: Cell): Target[] {
  switch (cell.kind) {
    case 'prompt':
      return notebook.targets;
    case 'native':
      return [
        {
          id: `native-${cell.id}`,
          label: findModel(cell.modelId)?.name ?? cell.modelId,
          modelId: cell.modelId,
          api: 'invoke',
        },
      ];
    case 'markdown':
    case 'system':
    case 'config':
    case 'assistant':
    case 'data':
      return [];
    default:
      return unreachable(cell);
  }
}

/**
 * A native body for `modelId` built from the context above a cell, as pretty JSON text: the seed
 * of a native cell. The thread ends with the last prompt above (or, when an assistant cell
 * follows it, with that assistant turn as a prefill); earlier prompts need an assistant cell or an
 * answer from the notebook target with this model id. With no prompt above, the user turn is
 * empty, ready to be written.
 */
export function deriveNativeBody(
  notebook: Notebook,
  cellId: string,
  modelId: string,
  answers: AnswerLookup = noAnswers,
): string {
  const index = indexOf(notebook, cellId);
  const target = notebook.targets.find((t) => t.modelId === modelId) ?? {
    id: `native-${cellId}`,
    label: findModel(modelId)?.name ?? modelId,
  };
  const ctx = contextAbove(notebook, index, target, answers, true);
  if (ctx.messages.length === 0) ctx.messages.push({ role: 'user', text: '' });
  keepAccepted(ctx, 'invoke', modelId);
  return JSON.stringify(nativeBodyFor(modelId, ctx).body, null, 2);
}
