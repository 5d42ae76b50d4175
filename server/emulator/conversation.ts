/** An image or document attached to a turn, reduced to what the answer and token count use. */
export interface Attachment {
  kind: 'image' | 'document';
  format: string;
  name?: string;
  bytes: number;
  /** The decoded bytes, until `describeAttachments` has read them. */
  data?: Uint8Array;
  /** What the bytes hold, said in the answer ("a 2×1 PNG", a PDF's pages and first words). */
  detail?: string | undefined;
}

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
  attachments: Attachment[];
}

/** What every request format (Converse, Claude Messages, Llama prompts) is normalized into. */
export interface Conversation {
  system: string;
  turns: Turn[];
}

const userTurn = (text: string): Turn => ({ role: 'user', text, attachments: [] });

/** Meta's Llama 2 chat template, as Bedrock applies it to Converse requests. */
export function llama2Prompt({ system, turns }: Conversation): string {
  let prompt = '';
  let first = true;
  for (let i = 0; i < turns.length; i += 1) {
    const turn = turns[i];
    if (!turn || turn.role !== 'user') continue;
    const user = first && system ? `<<SYS>>\n${system}\n<</SYS>>\n\n${turn.text}` : turn.text;
    first = false;
    const answer = turns[i + 1];
    if (answer?.role === 'assistant') {
      const closed = i + 1 < turns.length - 1;
      prompt += `<s>[INST] ${user} [/INST] ${answer.text}${closed ? ' </s>' : ''}`;
      i += 1;
    } else {
      prompt += `<s>[INST] ${user} [/INST]`;
    }
  }
  return prompt;
}

/** Header-block templates: Llama 3's, and Llama 4's with renamed markers. */
const HEADER_TEMPLATES = {
  llama3: { open: '<|start_header_id|>', close: '<|end_header_id|>', end: '<|eot_id|>' },
  llama4: { open: '<|header_start|>', close: '<|header_end|>', end: '<|eot|>' },
} as const;

function headerPrompt(
  { open, close, end }: (typeof HEADER_TEMPLATES)[keyof typeof HEADER_TEMPLATES],
  { system, turns }: Conversation,
): string {
  const block = (role: string, text: string): string => `${open}${role}${close}\n\n${text}${end}`;
  let prompt = '<|begin_of_text|>';
  if (system) prompt += block('system', system);
  for (const turn of turns) prompt += block(turn.role, turn.text);
  const last = turns.at(-1);
  if (last?.role !== 'assistant') prompt += `${open}assistant${close}\n\n`;
  return prompt;
}

/** Meta's Llama 3 instruct template: header blocks, ending with an open assistant header. */
export const llama3Prompt = (conversation: Conversation): string =>
  headerPrompt(HEADER_TEMPLATES.llama3, conversation);

/** Meta's Llama 4 template: Llama 3's shape with `<|header_start|>` and `<|eot|>` markers. */
export const llama4Prompt = (conversation: Conversation): string =>
  headerPrompt(HEADER_TEMPLATES.llama4, conversation);

/**
 * Mistral's instruct template as AWS documents it: `<s>[INST] … [/INST] answer</s>[INST] … [/INST]`.
 * Mistral has no system role; a system prompt goes before the last user message.
 */
export function mistralPrompt({ system, turns }: Conversation): string {
  const lastUser = turns.map((turn) => turn.role).lastIndexOf('user');
  let prompt = '<s>';
  turns.forEach((turn, index) => {
    if (turn.role === 'assistant') {
      prompt += ` ${turn.text}</s>`;
      return;
    }
    const text = index === lastUser && system ? `${system}\n\n${turn.text}` : turn.text;
    prompt += `${index > 0 ? ' ' : ''}[INST] ${text} [/INST]`;
  });
  return prompt;
}

/**
 * Reads a raw Llama prompt back into turns so the answer can quote the right message. A prompt
 * without template markers is one user message, as the model would see it.
 */
export function parseLlamaPrompt(prompt: string): Conversation {
  if (/<\|(?:start_header_id|header_start)\|>/.test(prompt)) {
    let system = '';
    const turns: Turn[] = [];
    const blocks =
      /<\|(?:start_header_id|header_start)\|>(\w+)<\|(?:end_header_id|header_end)\|>([\s\S]*?)(?=<\|eot(?:_id)?\|>|<\|(?:start_header_id|header_start)\|>|$)/g;
    for (const [, role, text = ''] of prompt.matchAll(blocks)) {
      const content = text.trim();
      if (role === 'system') system = content;
      else if (role === 'user') turns.push(userTurn(content));
      else if (role === 'assistant' && content)
        turns.push({ ...userTurn(content), role: 'assistant' });
    }
    return { system, turns };
  }
  if (prompt.includes('[INST]')) {
    let system = '';
    const turns: Turn[] = [];
    const exchanges = /\[INST\]([\s\S]*?)(?:\[\/INST\]([\s\S]*?))?(?=(?:<s>)?\s*\[INST\]|$)/g;
    for (const [, rawUser = '', rawAnswer = ''] of prompt.matchAll(exchanges)) {
      let user = rawUser;
      const sys = /<<SYS>>([\s\S]*?)<<\/SYS>>/.exec(user);
      if (sys) {
        system = (sys[1] ?? '').trim();
        user = user.replace(sys[0], '');
      }
      turns.push(userTurn(user.trim()));
      const answer = rawAnswer.replace(/<\/?s>/g, '').trim();
      if (answer) turns.push({ ...userTurn(answer), role: 'assistant' });
    }
    return { system, turns };
  }
  return { system: '', turns: [userTurn(prompt.trim())] };
}

/** Claude's legacy `\n\nHuman: … \n\nAssistant:` prompt, read back into turns. */
export function parseHumanAssistantPrompt(prompt: string): Conversation {
  const firstHuman = prompt.indexOf('\n\nHuman:');
  const system = firstHuman > 0 ? prompt.slice(0, firstHuman).trim() : '';
  const turns: Turn[] = [];
  const parts = /\n\n(Human|Assistant):([\s\S]*?)(?=\n\n(?:Human|Assistant):|$)/g;
  for (const [, speaker, text = ''] of prompt.slice(Math.max(firstHuman, 0)).matchAll(parts)) {
    const content = text.trim();
    if (speaker === 'Human') turns.push(userTurn(content));
    else if (content) turns.push({ ...userTurn(content), role: 'assistant' });
  }
  return { system, turns };
}

/** The text of the last user turn: where fault directives are read. */
export function lastUserText(conversation: Conversation): string {
  for (let i = conversation.turns.length - 1; i >= 0; i -= 1) {
    const turn = conversation.turns[i];
    if (turn?.role === 'user') return turn.text;
  }
  return '';
}
