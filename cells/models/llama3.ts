import type { ModelFacts } from './types.ts';
import { llamaAdapter, splitTurns } from './llama.ts';
import type { ModelAdapter, Turn } from './types.ts';

/** The markers of a header-block template: Llama 3's, and Llama 4's renamed ones. */
interface Markers {
  open: string;
  close: string;
  end: string;
}

const LLAMA3: Markers = {
  open: '<|start_header_id|>',
  close: '<|end_header_id|>',
  end: '<|eot_id|>',
};
const LLAMA4: Markers = { open: '<|header_start|>', close: '<|header_end|>', end: '<|eot|>' };

function headerPrompt(
  { open, close, end }: Markers,
  system: string | undefined,
  messages: readonly Turn[],
): string {
  const header = (role: string) => `${open}${role}${close}\n\n`;
  const message = (role: string, text: string) => `${header(role)}${text.trim()}${end}`;
  const { pairs, open: last, prefill } = splitTurns(messages);
  let prompt = '<|begin_of_text|>';
  if (system) prompt += message('system', system);
  for (const [user, answer] of pairs) {
    prompt += message('user', user) + message('assistant', answer);
  }
  prompt += message('user', last) + header('assistant');
  if (prefill !== undefined) prompt += prefill.trim();
  return prompt;
}

/**
 * The Llama 3 Instruct prompt (3, 3.1, 3.2, 3.3), as Meta's reference
 * `ChatFormat.encode_dialog_prompt` builds it: `<|begin_of_text|>`, one header-and-`<|eot_id|>`
 * block per message (text stripped), then an open assistant header for the model to complete.
 *
 * A prefill (the messages end with an assistant turn) is written after that open header, without
 * `<|eot_id|>`, so the model continues it.
 */
export function renderLlama3Prompt(system: string | undefined, messages: readonly Turn[]): string {
  return headerPrompt(LLAMA3, system, messages);
}

/**
 * The Llama 4 prompt: Llama 3's shape with Meta's renamed markers, `<|header_start|>`,
 * `<|header_end|>` and `<|eot|>`.
 */
export function renderLlama4Prompt(system: string | undefined, messages: readonly Turn[]): string {
  return headerPrompt(LLAMA4, system, messages);
}

/** Llama 3.x Instruct through InvokeModel: the header template and the Llama native body. */
export function llama3Adapter(model?: ModelFacts): ModelAdapter {
  return llamaAdapter('llama3', renderLlama3Prompt, model);
}

/** Llama 4 through InvokeModel: its header template and the Llama native body. */
export function llama4Adapter(model?: ModelFacts): ModelAdapter {
  return llamaAdapter('llama4', renderLlama4Prompt, model);
}
