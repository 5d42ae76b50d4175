import { unreachable } from '../unreachable.ts';
import { adapterFamilyOf, findModel } from './catalog.ts';
import { claudeAdapter } from './claude.ts';
import { genericReader } from './generic.ts';
import { llama2Adapter } from './llama2.ts';
import { llama3Adapter, llama4Adapter } from './llama3.ts';
import { mistralAdapter } from './mistral.ts';
import { novaAdapter } from './nova.ts';
import type { ModelAdapter, NativeReader, StreamState } from './types.ts';

export * from './catalog.ts';
export * from './listing.ts';
export * from './regions.ts';
export type * from './types.ts';
export { renderLlama2Prompt } from './llama2.ts';
export { renderLlama3Prompt, renderLlama4Prompt } from './llama3.ts';
export { renderMistralPrompt } from './mistral.ts';
export { ANTHROPIC_VERSION, CLAUDE_DEFAULT_MAX_TOKENS } from './claude.ts';
export { LLAMA_MAX_GEN_LEN } from './llama.ts';
export { NOVA_SCHEMA } from './nova.ts';

/** Thrown when no adapter knows a model's native body. */
export class UnknownModelError extends Error {
  override name = 'UnknownModelError';
}

/** True when the playground can build the model's native InvokeModel body. */
export function hasAdapter(modelId: string): boolean {
  return adapterFamilyOf(modelId) !== undefined;
}

/**
 * The adapter for a model id, ARN or inference profile id. Throws `UnknownModelError` for a
 * family the playground has no native body for (Converse still works for those).
 */
export function adapterFor(modelId: string): ModelAdapter {
  const family = adapterFamilyOf(modelId);
  const model = findModel(modelId);
  if (family === undefined) {
    throw new UnknownModelError(
      `No native body adapter for model "${modelId}": the playground builds native bodies for Claude, Llama 2, 3 and 4, Amazon Nova and Mistral. Use the Converse API for other models.`,
    );
  }
  switch (family) {
    case 'claude':
      return claudeAdapter(model);
    case 'llama2':
      return llama2Adapter(model);
    case 'llama3':
      return llama3Adapter(model);
    case 'llama4':
      return llama4Adapter(model);
    case 'nova':
      return novaAdapter(model);
    case 'mistral':
      return mistralAdapter(model);
    default:
      return unreachable(family);
  }
}

/**
 * What reads a model's native answers: its adapter, or for a model without one (a native cell
 * written by hand) a reader of the common answer shapes.
 */
export function readerFor(modelId: string): NativeReader {
  return hasAdapter(modelId) ? adapterFor(modelId) : genericReader;
}

/** A fresh parser state for one native stream. */
export function newStreamState(): StreamState {
  return {};
}
