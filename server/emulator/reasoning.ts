import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { ModelSpec } from './catalog.ts';
import type { Conversation } from './conversation.ts';
import { lastUserText } from './conversation.ts';
import { validationError } from './errors.ts';
import { stripFaults } from './faults.ts';
import { tokenize } from './tokens.ts';

/** What a request asked of extended thinking, once validated. */
export interface ThinkingRequest {
  budgetTokens: number;
}

/** A model's reasoning before its answer: `tokens` joined is `text`. */
export interface Reasoning {
  text: string;
  tokens: string[];
  /** Opaque, as Bedrock's: it differs on every call even when the text does not. */
  signature: string;
}

/** The sampling settings thinking restricts, as the request set them. */
export interface Sampling {
  maxTokens: number;
  temperature?: number | undefined;
  topP?: number | undefined;
  topK?: number | undefined;
}

const MIN_BUDGET = 1024;
const DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';
const CONSIDERATIONS = `Please consult our documentation at ${DOCS}#important-considerations-when-using-extended-thinking`;

/**
 * Reads Claude's `thinking` field (native body, or Converse `additionalModelRequestFields`) and
 * applies Anthropic's rules, in Anthropic's words: the field's shape, a model that thinks, a
 * budget of at least 1024 below max_tokens, and no sampling changes thinking does not allow.
 * `prefix` is what Bedrock puts before a model's error ("The model returned the following
 * errors: " on Converse).
 */
export function readThinking(
  model: ModelSpec,
  thinking: unknown,
  sampling: Sampling,
  prefix = '',
): ThinkingRequest | undefined {
  const fail = (message: string): never => {
    throw validationError(`${prefix}${message}`);
  };
  if (thinking === undefined) return undefined;
  if (typeof thinking !== 'object' || thinking === null || Array.isArray(thinking)) {
    return fail('thinking: Input should be a valid dictionary or object to extract fields from');
  }
  const { type, budget_tokens: budget } = thinking as Record<string, unknown>;
  if (type === undefined) return fail("thinking: Unable to extract tag using discriminator 'type'");
  if (type !== 'enabled' && type !== 'disabled') {
    return fail(
      `thinking: Input tag '${typeof type === 'string' ? type : JSON.stringify(type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled'`,
    );
  }
  if (type === 'disabled') return undefined;
  if (!model.features.reasoning) return fail(`${model.nativeName} does not support thinking.`);
  if (budget === undefined) return fail('thinking.enabled.budget_tokens: Field required');
  if (typeof budget !== 'number' || !Number.isInteger(budget)) {
    return fail('thinking.enabled.budget_tokens: Input should be a valid integer');
  }
  if (budget < MIN_BUDGET) {
    return fail(
      `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_BUDGET}`,
    );
  }
  if (sampling.maxTokens <= budget) {
    return fail(
      `\`max_tokens\` must be greater than \`thinking.budget_tokens\`. Please consult our documentation at ${DOCS}#max-tokens-and-context-window-size`,
    );
  }
  if (sampling.temperature !== undefined && sampling.temperature !== 1) {
    return fail(`\`temperature\` may only be set to 1 when thinking is enabled. ${CONSIDERATIONS}`);
  }
  if (sampling.topK !== undefined) {
    return fail(`\`top_k\` must be unset when thinking is enabled. ${CONSIDERATIONS}`);
  }
  if (sampling.topP !== undefined && sampling.topP < 0.95) {
    return fail(
      `\`top_p\` must be greater than or equal to 0.95 or unset when thinking is enabled. ${CONSIDERATIONS}`,
    );
  }
  return { budgetTokens: budget };
}

// The signing key only has to be stable: a signature is checked by nobody but the emulator.
const SIGNING_KEY = 'bedrock-emulator-reasoning';

/** A fresh signature over the reasoning text: a random nonce and an HMAC of nonce and text. */
export function signReasoning(text: string): string {
  const nonce = randomBytes(16);
  const mac = createHmac('sha256', SIGNING_KEY).update(nonce).update(text).digest();
  return Buffer.concat([nonce, mac]).toString('base64');
}

const COMMON = new Set(
  'about after before being could does from have just like more most only other over should some such than that their them then there these they this those very what when where which while will with would your'.split(
    ' ',
  ),
);

/** The request's notable words, longest first, for the reasoning to mention. */
function terms(text: string): string[] {
  const words = [...text.matchAll(/\p{L}[\p{L}\p{N}-]{3,}/gu)]
    .map(([word]) => word.toLowerCase())
    .filter((word) => !COMMON.has(word));
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, 3);
}

const STEPS = [
  'First I should pin down what is really being asked.',
  'The key terms seem to be {a}, {b} and {c}.',
  'Let me consider {a} on its own before connecting it to {b}.',
  'A simple example would make {b} concrete.',
  'I should check whether {c} changes the answer, or only the details.',
  'There is a common misconception about {a} worth avoiding.',
  'The answer should start with the main point, then give the reasons.',
  'How much detail is right? Enough to be useful, not a lecture.',
  'Let me double-check the relationship between {a} and {c}.',
  'If anything is uncertain I should say so plainly.',
  'I will keep the structure simple: the point, the reasons, an example.',
];

/**
 * The reasoning a model shows before its answer. Like the answer it depends only on the model
 * and the conversation; its length varies with them and never exceeds the budget.
 */
export function composeReasoning(
  model: ModelSpec,
  conversation: Conversation,
  budgetTokens: number,
): Reasoning {
  const question = stripFaults(lastUserText(conversation));
  const system = stripFaults(conversation.system);
  const seed = createHash('sha256')
    .update(
      `${model.id}\n${system}\n${JSON.stringify(conversation.turns.map((turn) => turn.text))}`,
    )
    .digest();
  const [a = 'the question', b = 'the context', c = 'the setting'] = terms(question);
  const fill = (step: string): string => step.replace('{a}', a).replace('{b}', b).replace('{c}', c);
  const order = STEPS.map((step, index) => ({ step, key: seed[index % seed.length] ?? 0 }))
    .sort((x, y) => x.key - y.key)
    .map(({ step }) => fill(step));
  const quote = question.replace(/\s+/g, ' ').trim().split(' ').slice(0, 24).join(' ');
  const lines = [`The user asks: "${quote}".`];
  if (system) lines.push(`The system prompt says: "${system.slice(0, 120)}". I must follow it.`);
  const target = 60 + ((seed[0] ?? 0) % 80);
  for (const step of order) {
    if (tokenize(lines.join(' ')).length >= target) break;
    lines.push(step);
  }
  const tokens = tokenize(lines.join(' ')).slice(0, budgetTokens);
  const text = tokens.join('');
  return { text, tokens, signature: signReasoning(text) };
}
