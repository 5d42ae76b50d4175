import { CompileError } from './compile-error.ts';
import type { ConversationContext } from './models/index.ts';
import { promptParts } from './notebook.ts';
import type { Cell, InferenceConfig, PromptPart, Target } from './notebook.ts';
import { describeNames, fillJsonVariables, fillVariables } from './variables.ts';
import type { Variables } from './variables.ts';

/**
 * What makes one request of a cell differ from another: a test case's values filling the
 * `{{variables}}` of its cells, and a target's overrides making it a variant of its model.
 */

/** How a cell is compiled beyond the notebook and the target. */
export interface CompileOptions {
  /**
   * One test case's values: they fill the `{{variables}}` of the cells' text. Without them the
   * text is sent as written.
   */
  variables?: Variables;
}

/** Fills the variables of one cell's text, or says which it uses that the test case lacks. */
export type Fill = (text: string, where: string, cellId: string) => string;

export function filler(variables: Variables | undefined): Fill {
  if (!variables) return (text) => text;
  return (text, where, cellId) => {
    const filled = fillVariables(text, variables);
    if (filled.missing.length) throw missingVariables(where, filled.missing, variables, cellId);
    return filled.text;
  };
}

function missingVariables(
  where: string,
  missing: readonly string[],
  variables: Variables,
  cellId: string,
): CompileError {
  const columns = Object.keys(variables);
  const have = columns.length ? `its columns are ${columns.join(', ')}` : 'it has no columns';
  return new CompileError(
    `${where} uses ${describeNames(missing)}, which the test cases do not fill: ${have}`,
    cellId,
  );
}

/** A prompt's parts with the variables of its text filled (attachments are sent as they are). */
export function filledParts(
  cell: Extract<Cell, { kind: 'prompt' }>,
  fill: Fill,
  where: string,
): PromptPart[] {
  return promptParts(cell).map((part) =>
    part.kind === 'text' ? { ...part, text: fill(part.text, where, cell.id) } : part,
  );
}

/**
 * A variant's own system prompt and inference settings in place of the notebook's: an empty
 * system prompt means none, and each setting it names wins over the config cell's.
 */
export function withOverrides(
  ctx: ConversationContext,
  target: Target,
  fill: Fill,
  cellId: string,
): ConversationContext {
  const { system, ...config } = target.overrides ?? {};
  if (system !== undefined) {
    if (system.trim()) ctx.system = fill(system, `The system prompt of ${target.label}`, cellId);
    else delete ctx.system;
  }
  // In the config's own order, so a variant's request differs only in the values it sets.
  const merged: InferenceConfig = {};
  for (const key of ['maxTokens', 'temperature', 'topP', 'stopSequences'] as const) {
    const value = config[key] ?? ctx.config[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  ctx.config = merged;
  return ctx;
}

/** A native body with the variables of its strings filled (after parsing, so JSON stays valid). */
export function fillBody(
  body: Record<string, unknown>,
  variables: Variables,
  label: string,
  cellId: string,
): Record<string, unknown> {
  const filled = fillJsonVariables(body, variables);
  if (filled.missing.length) throw missingVariables(label, filled.missing, variables, cellId);
  return filled.value as Record<string, unknown>;
}
