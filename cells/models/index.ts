import { unreachable } from '../unreachable.ts';
import { familyOf, findModel } from './catalog.ts';
import { claudeAdapter } from './claude.ts';
import { llama2Adapter } from './llama2.ts';
import { llama3Adapter } from './llama3.ts';
import type { ModelAdapter, StreamState } from './types.ts';

export * from './catalog.ts';
export type * from './types.ts';
export { renderLlama2Prompt } from './llama2.ts';
export { renderLlama3Prompt } from './llama3.ts';
export { ANTHROPIC_VERSION, CLAUDE_DEFAULT_MAX_TOKENS } from './claude.ts';
export { LLAMA_MAX_GEN_LEN } from './llama.ts';

/** Thrown when no adapter knows a model's native body. */
export class UnknownModelError extends Error {
  override name = 'UnknownModelError';
}

/**
 * The adapter for a model id or foundation-model ARN. Throws `UnknownModelError` for a family
 * the playground has no native template for (Converse still works for those).
 */
export function adapterFor(modelId: string): ModelAdapter {
  const family = familyOf(modelId);
  const model = findModel(modelId);
  if (family === undefined) {
    throw new UnknownModelError(
      `No native body adapter for model "${modelId}": the playground knows Claude (anthropic.claude-*), Llama 2 (meta.llama2-*) and Llama 3 (meta.llama3-*). Use the Converse API for other models.`,
    );
  }
  switch (family) {
    case 'claude':
      return claudeAdapter(model);
    case 'llama2':
      return llama2Adapter(model);
    case 'llama3':
      return llama3Adapter(model);
    default:
      return unreachable(family);
  }
}

/** A fresh parser state for one native stream. */
export function newStreamState(): StreamState {
  return {};
}
