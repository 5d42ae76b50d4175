import { describe, expect, it } from 'vitest';
import { renderLlama2Prompt, renderLlama3Prompt } from '../../cells/models/index.ts';
import type { Turn } from '../../cells/models/index.ts';

const user = (text: string): Turn => ({ role: 'user', text });
const assistant = (text: string): Turn => ({ role: 'assistant', text });

const threeTurns = [
  user('Hello there.'),
  assistant("Hi, I'm Claude. How can I help?"),
  user('Can you explain Glycolysis to me?'),
  assistant('Glycolysis splits glucose into two pyruvate molecules.'),
  user('And what comes next?'),
];

describe('the Llama 2 chat template', () => {
  it('renders one user turn as an open [INST] turn', () => {
    expect(
      renderLlama2Prompt(undefined, [
        user("Describe the purpose of a 'hello world' program in one line."),
      ]),
    ).toBe("<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]");
  });

  it('wraps the system prompt in <<SYS>> inside the first user turn', () => {
    expect(
      renderLlama2Prompt('Please respond to all requests in the style of a pirate.', [
        user('Write an email.'),
      ]),
    ).toBe(
      '<s>[INST] <<SYS>>\nPlease respond to all requests in the style of a pirate.\n<</SYS>>\n\nWrite an email. [/INST]',
    );
  });

  it('closes each finished exchange with </s> and leaves the last turn open', () => {
    expect(renderLlama2Prompt(undefined, threeTurns)).toBe(
      "<s>[INST] Hello there. [/INST] Hi, I'm Claude. How can I help? </s>" +
        '<s>[INST] Can you explain Glycolysis to me? [/INST] Glycolysis splits glucose into two pyruvate molecules. </s>' +
        '<s>[INST] And what comes next? [/INST]',
    );
  });

  it('puts the system prompt only in the first of three turns', () => {
    expect(renderLlama2Prompt('Be brief.', threeTurns)).toBe(
      "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHello there. [/INST] Hi, I'm Claude. How can I help? </s>" +
        '<s>[INST] Can you explain Glycolysis to me? [/INST] Glycolysis splits glucose into two pyruvate molecules. </s>' +
        '<s>[INST] And what comes next? [/INST]',
    );
  });

  it("strips each turn's surrounding whitespace as Meta's reference code does", () => {
    expect(
      renderLlama2Prompt(undefined, [user('  Hi!\n\n'), assistant(' Ahoy. '), user('\tBye ')]),
    ).toBe('<s>[INST] Hi! [/INST] Ahoy. </s><s>[INST] Bye [/INST]');
  });

  it('continues a prefill after the open turn', () => {
    expect(
      renderLlama2Prompt(undefined, [user('Name a colour.'), assistant('The colour is')]),
    ).toBe('<s>[INST] Name a colour. [/INST] The colour is');
  });

  it('refuses turns that do not alternate', () => {
    expect(() => renderLlama2Prompt(undefined, [user('a'), user('b')])).toThrow(/turn 2/);
  });
});

describe('the Llama 3 chat template', () => {
  it('renders one user turn followed by an open assistant header', () => {
    expect(renderLlama3Prompt(undefined, [user('Hello there.')])).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello there.<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('puts the system prompt in its own block first', () => {
    expect(renderLlama3Prompt('Be brief.', [user('Hello there.')])).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHello there.<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('renders three turns as alternating blocks ending with an open assistant header', () => {
    expect(renderLlama3Prompt('Be brief.', threeTurns)).toBe(
      '<|begin_of_text|>' +
        '<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHello there.<|eot_id|>' +
        "<|start_header_id|>assistant<|end_header_id|>\n\nHi, I'm Claude. How can I help?<|eot_id|>" +
        '<|start_header_id|>user<|end_header_id|>\n\nCan you explain Glycolysis to me?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nGlycolysis splits glucose into two pyruvate molecules.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nAnd what comes next?<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('continues a prefill after the open assistant header', () => {
    expect(
      renderLlama3Prompt(undefined, [user('Name a colour.'), assistant('The colour is ')]),
    ).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nName a colour.<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nThe colour is',
    );
  });
});
