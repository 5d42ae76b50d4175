import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../server/emulator/conversation.ts';
import {
  llama2Prompt,
  llama3Prompt,
  llama4Prompt,
  mistralPrompt,
  parseLlamaPrompt,
} from '../../server/emulator/conversation.ts';
import { MAX_FAULT_MS, parseFaults, stripFaults } from '../../server/emulator/faults.ts';
import { composeAnswer, limitAnswer } from '../../server/emulator/generate.ts';
import { MODELS, findModel, resolveModel } from '../../server/emulator/models.ts';
import { composeReasoning } from '../../server/emulator/reasoning.ts';
import { tokenize } from '../../server/emulator/tokens.ts';

const conversation: Conversation = {
  system: 'You are a careful historian.',
  turns: [
    { role: 'user', text: 'Who built the pyramids?', attachments: [] },
    { role: 'assistant', text: 'Egyptian workers did.', attachments: [] },
    { role: 'user', text: 'How long did it take?', attachments: [] },
  ],
};

describe('generation', () => {
  it('tokenizes any text into pieces that join back to it exactly', () => {
    for (const text of [
      '',
      'Hello, world!',
      '  spaced   out\n\nlines  ',
      'photosynthesis’s “quotes” 😊 ok',
    ]) {
      expect(tokenize(text).join('')).toBe(text);
    }
  });

  it('reads Llama 2 and Llama 3 prompts back into the conversation they were built from', () => {
    for (const prompt of [llama2Prompt(conversation), llama3Prompt(conversation)]) {
      expect(parseLlamaPrompt(prompt)).toEqual(conversation);
    }
    expect(llama2Prompt(conversation)).toBe(
      '<s>[INST] <<SYS>>\nYou are a careful historian.\n<</SYS>>\n\nWho built the pyramids? [/INST] Egyptian workers did. </s><s>[INST] How long did it take? [/INST]',
    );
  });

  it('composes a different answer for every model, each mentioning the last question', () => {
    const answers = MODELS.map((model) => composeAnswer(model, conversation));
    expect(new Set(answers).size).toBe(MODELS.length);
    for (const answer of answers) expect(answer).toContain('How long did it take?');
  });

  it('truncates to a prefix of the full answer at maxTokens or before a stop sequence', () => {
    const full = composeAnswer(
      findModel('meta.llama3-8b-instruct-v1:0') ?? MODELS[0]!,
      conversation,
    );
    const cut = limitAnswer(full, 5);
    expect(cut).toMatchObject({
      stopReason: 'max_tokens',
      text: tokenize(full).slice(0, 5).join(''),
    });
    const stopped = limitAnswer(full, 1000, ['take']);
    expect(stopped.stopReason).toBe('stop_sequence');
    expect(stopped.text).toBe(full.slice(0, full.indexOf('take')));
    expect(limitAnswer(full, 1000).stopReason).toBe('end_turn');
  });

  it('reads fault directives and removes them from the quoted text', () => {
    const text = 'Go [[fault:stream-error:after=3]] on [[fault:slow:ms=50]][[fault:pace:ms=7]]';
    expect(parseFaults(text)).toMatchObject({ streamErrorAfter: 3, slowMs: 50, paceMs: 7 });
    expect(parseFaults('[[fault:throttling]]').before?.errorName).toBe('ThrottlingException');
    expect(stripFaults(text)).toBe('Go on');
  });

  it('caps slow and pace directives at ten minutes, however large N is', () => {
    const huge = '[[fault:slow:ms=99999999999]] [[fault:pace:ms=3000000000]]';
    expect(parseFaults(huge)).toMatchObject({ slowMs: MAX_FAULT_MS, paceMs: MAX_FAULT_MS });
    // Several slow directives add up, but not past the cap either.
    const many = '[[fault:slow:ms=400000]] [[fault:slow:ms=400000]]';
    expect(parseFaults(many).slowMs).toBe(MAX_FAULT_MS);
    expect(MAX_FAULT_MS).toBe(10 * 60 * 1000);
  });

  it('applies a fault with model= only to the models whose id contains that text', () => {
    const text =
      'Hi [[fault:throttling:model=claude-3-haiku]] [[fault:stream-error:after=2:model=llama2]]';
    const haiku = parseFaults(text, 'anthropic.claude-3-haiku-20240307-v1:0');
    expect(haiku.before?.errorName).toBe('ThrottlingException');
    expect(haiku.streamErrorAfter).toBeUndefined();
    const llama = parseFaults(text, 'meta.llama2-13b-chat-v1');
    expect(llama.before).toBeUndefined();
    expect(llama.streamErrorAfter).toBe(2);
    expect(stripFaults(text)).toBe('Hi');
  });

  it('resolves model ids, foundation-model ARNs, profile ids and profile ARNs to the same model', () => {
    const id = 'anthropic.claude-3-haiku-20240307-v1:0';
    const none = new Set<string>();
    for (const identifier of [
      id,
      `arn:aws:bedrock:us-west-2::foundation-model/${id}`,
      `us.${id}`,
      `arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.${id}`,
    ]) {
      expect(resolveModel(identifier, 'us-west-2', none).id).toBe(id);
    }
    expect(findModel('acme.nothing-v1')).toBeUndefined();
  });

  it('never lets reasoning exceed its budget, and composes the same reasoning for the same request', () => {
    const model = findModel('anthropic.claude-sonnet-4-20250514-v1:0') ?? MODELS[0]!;
    const full = composeReasoning(model, conversation, 100_000);
    expect(full.tokens.join('')).toBe(full.text);
    expect(full.text).toContain('How long did it take?');
    expect(composeReasoning(model, conversation, 100_000).text).toBe(full.text);
    const cut = composeReasoning(model, conversation, 12);
    expect(cut.tokens).toHaveLength(12);
    expect(full.text.startsWith(cut.text)).toBe(true);
  });

  it('templates Llama 4 and Mistral prompts that read back into the conversation', () => {
    expect(parseLlamaPrompt(llama4Prompt(conversation))).toEqual(conversation);
    expect(llama4Prompt(conversation)).toBe(
      '<|begin_of_text|><|header_start|>system<|header_end|>\n\nYou are a careful historian.<|eot|><|header_start|>user<|header_end|>\n\nWho built the pyramids?<|eot|><|header_start|>assistant<|header_end|>\n\nEgyptian workers did.<|eot|><|header_start|>user<|header_end|>\n\nHow long did it take?<|eot|><|header_start|>assistant<|header_end|>\n\n',
    );
    expect(mistralPrompt({ ...conversation, system: '' })).toBe(
      '<s>[INST] Who built the pyramids? [/INST] Egyptian workers did.</s> [INST] How long did it take? [/INST]',
    );
    expect(parseLlamaPrompt(mistralPrompt({ ...conversation, system: '' }))).toEqual({
      ...conversation,
      system: '',
    });
  });
});
