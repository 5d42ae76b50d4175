import type { ModelSpec } from './catalog.ts';
import type { Attachment, Conversation } from './conversation.ts';
import {
  lastUserText,
  llama2Prompt,
  llama3Prompt,
  llama4Prompt,
  mistralPrompt,
  parseLlamaPrompt,
} from './conversation.ts';
import { unreachable } from './errors.ts';
import type { ThinkingRequest } from './reasoning.ts';
import { countConversationTokens, countPromptTokens } from './tokens.ts';

/** One inference request, whatever its wire format, reduced to what generation needs. */
export interface Job {
  model: ModelSpec;
  /** The conversation the answer is composed from. */
  conversation: Conversation;
  /** The raw last user message, where fault directives are read. */
  faultText: string;
  inputTokens: number;
  maxTokens: number;
  stopSequences: string[];
  /** Set when the request turned on extended thinking. */
  thinking?: ThinkingRequest | undefined;
}

/** What the model reads: everything of a job but the output settings. */
export type JobInput = Pick<Job, 'model' | 'conversation' | 'faultText' | 'inputTokens'>;

/**
 * The prompt Bedrock builds from a conversation for a model that reads a templated prompt
 * (Llama, Mistral), or undefined for a chat model (Claude, Nova).
 */
function templated(model: ModelSpec, conversation: Conversation): string | undefined {
  switch (model.family) {
    case 'claude':
    case 'nova':
      return undefined;
    case 'llama2':
      return llama2Prompt(conversation);
    case 'llama3':
      return llama3Prompt(conversation);
    case 'llama4':
      return llama4Prompt(conversation);
    case 'mistral':
      return mistralPrompt(conversation);
    default:
      return unreachable(model.family);
  }
}

/** A raw prompt as the model reads it: the conversation is read back from its template. */
export function promptInput(
  model: ModelSpec,
  prompt: string,
  attachments: Attachment[] = [],
): JobInput {
  const conversation = parseLlamaPrompt(prompt);
  const last = conversation.turns.findLast((turn) => turn.role === 'user');
  last?.attachments.push(...attachments);
  return {
    model,
    conversation,
    faultText: lastUserText(conversation),
    inputTokens: countPromptTokens(prompt),
  };
}

/**
 * A structured conversation as the model reads it: chat models take it as is; Bedrock puts it
 * into the prompt template of the others, so a Converse request and the native prompt of the
 * same conversation read alike.
 */
export function conversationInput(model: ModelSpec, conversation: Conversation): JobInput {
  const prompt = templated(model, conversation);
  if (prompt === undefined) {
    return {
      model,
      conversation,
      faultText: lastUserText(conversation),
      inputTokens: countConversationTokens(conversation),
    };
  }
  const attachments = conversation.turns.findLast((turn) => turn.role === 'user')?.attachments;
  return promptInput(model, prompt, attachments);
}
