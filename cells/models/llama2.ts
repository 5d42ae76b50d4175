import type { ModelFacts } from './types.ts';
import { llamaAdapter, splitTurns } from './llama.ts';
import type { ModelAdapter, Turn } from './types.ts';

const B_INST = '[INST]';
const E_INST = '[/INST]';
const B_SYS = '<<SYS>>\n';
const E_SYS = '\n<</SYS>>\n\n';

/**
 * The Llama 2 chat prompt, exactly as Meta's reference `chat_completion` builds it: the system
 * text goes inside the first user turn, every turn's text is stripped, each finished exchange is
 * `<s>[INST] {user} [/INST] {answer} </s>` and the open one `<s>[INST] {user} [/INST]`.
 * `<s>`/`</s>` stand for the BOS/EOS tokens, which Bedrock reads from the text.
 *
 * A prefill (the messages end with an assistant turn) is appended after the open turn's
 * `[/INST] `, where the answer would start, so the model continues it.
 */
export function renderLlama2Prompt(system: string | undefined, messages: readonly Turn[]): string {
  const { pairs, open, prefill } = splitTurns(messages);
  const users = [...pairs.map(([user]) => user), open];
  // Meta prepends the system block to the first user message, then strips the whole message.
  if (system) users[0] = `${B_SYS}${system}${E_SYS}${users[0] ?? ''}`;
  let prompt = '';
  pairs.forEach(([, answer], i) => {
    prompt += `<s>${B_INST} ${users[i]!.trim()} ${E_INST} ${answer.trim()} </s>`;
  });
  prompt += `<s>${B_INST} ${users[pairs.length]!.trim()} ${E_INST}`;
  if (prefill !== undefined) prompt += ` ${prefill.trim()}`;
  return prompt;
}

/** Llama 2 Chat through InvokeModel: the `[INST]` template and the Llama native body. */
export function llama2Adapter(model?: ModelFacts): ModelAdapter {
  return llamaAdapter('llama2', renderLlama2Prompt, model);
}
