import type { ModelInfo } from './catalog.ts';
import { llamaAdapter, splitTurns } from './llama.ts';
import type { ModelAdapter, Turn } from './types.ts';

function header(role: string): string {
  return `<|start_header_id|>${role}<|end_header_id|>\n\n`;
}

function message(role: string, text: string): string {
  return `${header(role)}${text.trim()}<|eot_id|>`;
}

/**
 * The Llama 3 Instruct prompt, as Meta's reference `ChatFormat.encode_dialog_prompt` builds it:
 * `<|begin_of_text|>`, one header-and-`<|eot_id|>` block per message (text stripped), then an
 * open assistant header for the model to complete.
 *
 * A prefill (the messages end with an assistant turn) is written after that open header, without
 * `<|eot_id|>`, so the model continues it.
 */
export function renderLlama3Prompt(system: string | undefined, messages: readonly Turn[]): string {
  const { pairs, open, prefill } = splitTurns(messages);
  let prompt = '<|begin_of_text|>';
  if (system) prompt += message('system', system);
  for (const [user, answer] of pairs) {
    prompt += message('user', user) + message('assistant', answer);
  }
  prompt += message('user', open) + header('assistant');
  if (prefill !== undefined) prompt += prefill.trim();
  return prompt;
}

/** Llama 3 Instruct through InvokeModel: the header template and the Llama native body. */
export function llama3Adapter(model?: ModelInfo): ModelAdapter {
  return llamaAdapter('llama3', renderLlama3Prompt, model);
}
