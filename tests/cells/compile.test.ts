import { describe, expect, it } from 'vitest';
import { compile, CompileError, deriveNativeBody, runTargetsFor } from '../../cells/compile.ts';
import type { AnswerLookup } from '../../cells/compile.ts';
import { toNotebook } from '../../cells/notebook.ts';
import type { CellSpec, Target } from '../../cells/notebook.ts';
import { CompiledRequestSchema } from '../../cells/request.ts';
import { example } from './helpers.ts';

const haiku: Target = {
  id: 'haiku',
  label: 'Claude 3 Haiku',
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  api: 'converse',
};
const llama2: Target = {
  id: 'llama2',
  label: 'Llama 2 13B Chat',
  modelId: 'meta.llama2-13b-chat-v1',
  api: 'invoke',
};
const llama3: Target = {
  id: 'llama3',
  label: 'Llama 3 8B Instruct',
  modelId: 'meta.llama3-8b-instruct-v1:0',
  api: 'invoke',
};
const claudeNative: Target = { ...haiku, id: 'haiku-native', api: 'invoke' };

function notebook(cells: CellSpec[], targets: Target[] = [haiku, llama2]) {
  return toNotebook({ title: 'Test', targets, cells });
}

const PIRATE_SYSTEM = 'Please respond to all requests in the style of a pirate.';
const PIRATE_PROMPT =
  'Write an email from Bob, Customer Service Manager, to the customer "John Doe" who provided negative feedback on the service provided by our customer support engineer';

describe('compiling the example notebooks', () => {
  it('compiles the pirate email for Claude 3 Haiku to the Converse request of the source document', () => {
    const nb = example('pirate-email.md');
    const target = nb.targets.find((t) => t.api === 'converse')!;
    const { request, warnings } = compile(nb, 'email', target);
    expect(request).toEqual({
      api: 'converse',
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      input: {
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        messages: [{ role: 'user', content: [{ text: PIRATE_PROMPT }] }],
        system: [{ text: PIRATE_SYSTEM }],
        inferenceConfig: { maxTokens: 2000, temperature: 0 },
      },
    });
    expect(warnings).toEqual([]);
    expect(CompiledRequestSchema.parse(request)).toEqual(request);
  });

  it('compiles the pirate email for Llama 2 to a native body with the rendered prompt', () => {
    const nb = example('pirate-email.md');
    const target = nb.targets.find((t) => t.api === 'invoke')!;
    const { request, warnings } = compile(nb, 'email', target);
    expect(request).toEqual({
      api: 'invoke',
      modelId: 'meta.llama2-13b-chat-v1',
      body: {
        prompt: `<s>[INST] <<SYS>>\n${PIRATE_SYSTEM}\n<</SYS>>\n\n${PIRATE_PROMPT} [/INST]`,
        max_gen_len: 2000,
        temperature: 0,
      },
    });
    expect(warnings).toEqual([]);
  });

  it('compiles the hello-world native cell to its own body, whatever target is passed', () => {
    const nb = example('hello-world-llama2.md');
    const { request, warnings } = compile(nb, 'hello', haiku);
    expect(request).toEqual({
      api: 'invoke',
      modelId: 'meta.llama2-13b-chat-v1',
      body: {
        prompt: "<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]",
        max_gen_len: 512,
        temperature: 0.5,
      },
    });
    expect(warnings).toEqual([]);
  });

  it('compiles the glycolysis thread to user/assistant/user messages for Claude', () => {
    const nb = example('glycolysis.md');
    const target = nb.targets.find((t) => t.api === 'converse')!;
    const { request } = compile(nb, 'glycolysis', target);
    expect(request.api === 'converse' && request.input.messages).toEqual([
      { role: 'user', content: [{ text: 'Hello there.' }] },
      { role: 'assistant', content: [{ text: "Hi, I'm Claude. How can I help?" }] },
      { role: 'user', content: [{ text: 'Can you explain Glycolysis to me?' }] },
    ]);
    expect(request.api === 'converse' && request.input.system).toBeUndefined();
    expect(request.api === 'converse' && request.input.inferenceConfig).toBeUndefined();
  });

  it('compiles the glycolysis thread to a two-turn Llama 2 prompt', () => {
    const nb = example('glycolysis.md');
    const target = nb.targets.find((t) => t.api === 'invoke')!;
    const { request } = compile(nb, 'glycolysis', target);
    expect(request).toEqual({
      api: 'invoke',
      modelId: 'meta.llama2-13b-chat-v1',
      body: {
        prompt:
          "<s>[INST] Hello there. [/INST] Hi, I'm Claude. How can I help? </s><s>[INST] Can you explain Glycolysis to me? [/INST]",
      },
    });
  });

  it('runs the first glycolysis prompt on its own, without needing any answer', () => {
    const nb = example('glycolysis.md');
    const { request } = compile(nb, 'hello', nb.targets[0]!);
    expect(request.api === 'converse' && request.input.messages).toHaveLength(1);
  });
});

describe('conversation threads', () => {
  const cells: CellSpec[] = [
    { kind: 'system', id: 'sys', text: 'Be brief.' },
    { kind: 'prompt', id: 'p1', text: 'Hello there.' },
    { kind: 'prompt', id: 'p2', text: 'Explain glycolysis.' },
  ];
  const answers: AnswerLookup = (cellId, targetId) =>
    cellId === 'p1' ? `answer from ${targetId}` : undefined;

  it('gives each target its own earlier answer as the assistant turn', () => {
    const nb = notebook(cells);
    const claude = compile(nb, 'p2', haiku, answers).request;
    const llama = compile(nb, 'p2', llama2, answers).request;
    expect(claude.api === 'converse' && claude.input.messages[1]).toEqual({
      role: 'assistant',
      content: [{ text: 'answer from haiku' }],
    });
    expect(llama.api === 'invoke' && llama.body.prompt).toBe(
      '<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHello there. [/INST] answer from llama2 </s><s>[INST] Explain glycolysis. [/INST]',
    );
  });

  it('lets an assistant cell stand in for the answers of the prompt above it', () => {
    const nb = notebook([
      cells[0]!,
      cells[1]!,
      { kind: 'assistant', id: 'a1', text: 'Scripted.' },
      cells[2]!,
    ]);
    const claude = compile(nb, 'p2', haiku, answers).request;
    expect(claude.api === 'converse' && claude.input.messages[1]?.content).toEqual([
      { text: 'Scripted.' },
    ]);
  });

  it('starts afresh at a prompt marked as a new thread, keeping the system prompt', () => {
    const nb = notebook([
      cells[0]!,
      cells[1]!,
      { kind: 'prompt', id: 'p2', text: 'Something else.', newThread: true },
      { kind: 'prompt', id: 'p3', text: 'Go on.' },
    ]);
    const fresh = compile(nb, 'p2', haiku).request;
    expect(fresh.api === 'converse' && fresh.input.messages).toEqual([
      { role: 'user', content: [{ text: 'Something else.' }] },
    ]);
    expect(fresh.api === 'converse' && fresh.input.system).toEqual([{ text: 'Be brief.' }]);
    const next = compile(nb, 'p3', haiku, (id) => (id === 'p2' ? 'Sure.' : undefined)).request;
    expect(
      next.api === 'converse' &&
        next.input.messages.map((m) => (m.content[0] as { text: string }).text),
    ).toEqual(['Something else.', 'Sure.', 'Go on.']);
  });

  it('applies the nearest system and config cells above, not those below', () => {
    const nb = notebook([
      { kind: 'system', id: 's1', text: 'First.' },
      { kind: 'config', id: 'c1', maxTokens: 100 },
      { kind: 'system', id: 's2', text: 'Second.' },
      { kind: 'config', id: 'c2', temperature: 0.3 },
      { kind: 'prompt', id: 'p', text: 'Hi' },
      { kind: 'system', id: 's3', text: 'Third.' },
    ]);
    const { request } = compile(nb, 'p', haiku);
    expect(request.api === 'converse' && request.input.system).toEqual([{ text: 'Second.' }]);
    expect(request.api === 'converse' && request.input.inferenceConfig).toEqual({
      temperature: 0.3,
    });
  });

  it('names the prompt that has no answer yet, and the target', () => {
    const nb = notebook(cells);
    expect(() => compile(nb, 'p2', llama2)).toThrow(CompileError);
    expect(() => compile(nb, 'p2', llama2)).toThrow(
      'Cell 2 (prompt) has no answer from Llama 2 13B Chat yet: run it first, or add an assistant cell after it',
    );
    try {
      compile(nb, 'p2', llama2);
    } catch (error) {
      expect((error as CompileError).cellId).toBe('p1');
    }
  });

  it('rejects two assistant cells in a row, since roles must alternate', () => {
    const nb = notebook([
      { kind: 'prompt', id: 'p1', text: 'Hi' },
      { kind: 'assistant', id: 'a1', text: 'Hello.' },
      { kind: 'assistant', id: 'a2', text: 'Again.' },
      { kind: 'prompt', id: 'p2', text: 'Bye' },
    ]);
    expect(() => compile(nb, 'p2', haiku)).toThrow(
      /Cell 3 \(assistant\) follows another assistant turn/,
    );
  });

  it('rejects an assistant cell that opens a thread', () => {
    const nb = notebook([
      { kind: 'assistant', id: 'a1', text: 'Hello.' },
      { kind: 'prompt', id: 'p1', text: 'Hi' },
    ]);
    expect(() => compile(nb, 'p1', haiku)).toThrow(/Cell 1 \(assistant\) comes before any prompt/);
  });

  it('refuses to run cells other than prompt and native cells', () => {
    const nb = notebook(cells);
    expect(() => compile(nb, 'sys', haiku)).toThrow('only prompt and native cells run');
    expect(() => compile(nb, 'missing', haiku)).toThrow(/no cell "missing"/);
  });

  it('refuses an empty prompt', () => {
    const nb = notebook([{ kind: 'prompt', id: 'p', text: '  \n' }]);
    expect(() => compile(nb, 'p', haiku)).toThrow(/Cell 1 \(prompt\) is empty/);
  });
});

describe('inference config and extras', () => {
  const configured = (config: Omit<Extract<CellSpec, { kind: 'config' }>, 'kind' | 'id'>) =>
    notebook(
      [
        { kind: 'config', id: 'cfg', ...config },
        { kind: 'prompt', id: 'p', text: 'Hi' },
      ],
      [haiku, llama2, llama3, claudeNative],
    );

  it('warns that Llama 2 ignores stop sequences in its native body', () => {
    const { request, warnings } = compile(configured({ stopSequences: ['END'] }), 'p', llama2);
    expect(request.api === 'invoke' && request.body).not.toHaveProperty('stop_sequences');
    expect(warnings).toEqual([
      'Llama 2 13B Chat ignores stopSequences "END": its native body has no stop sequences field',
    ]);
  });

  it('leaves a top_k extra out of a Llama body, with a warning', () => {
    const { request, warnings } = compile(
      configured({ extras: { llama3: { top_k: 50, top_p: 0.8 } } }),
      'p',
      llama3,
    );
    expect(request.api === 'invoke' && request.body).toEqual({
      prompt:
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
      top_p: 0.8,
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Llama 3 8B Instruct has no "top_k" parameter/);
  });

  it('passes top_k to Claude as an additional model request field through Converse', () => {
    const { request, warnings } = compile(
      configured({ maxTokens: 300, extras: { haiku: { top_k: 40 } } }),
      'p',
      haiku,
    );
    expect(request.api === 'converse' && request.input.additionalModelRequestFields).toEqual({
      top_k: 40,
    });
    expect(warnings).toEqual([]);
  });

  it('builds the Claude Messages body for an invoke target, with top_k from the extras', () => {
    const nb = notebook(
      [
        { kind: 'system', id: 'sys', text: 'Be brief.' },
        {
          kind: 'config',
          id: 'cfg',
          temperature: 0.2,
          topP: 0.9,
          stopSequences: ['###'],
          extras: { 'haiku-native': { top_k: 40 } },
        },
        { kind: 'prompt', id: 'p', text: 'Hi' },
      ],
      [claudeNative],
    );
    expect(compile(nb, 'p', claudeNative)).toEqual({
      request: {
        api: 'invoke',
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        body: {
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 1024,
          system: 'Be brief.',
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
          temperature: 0.2,
          top_p: 0.9,
          stop_sequences: ['###'],
          top_k: 40,
        },
      },
      warnings: [],
    });
  });

  it('clamps maxTokens to the Llama limit of 2048 with a warning', () => {
    const { request, warnings } = compile(configured({ maxTokens: 4000 }), 'p', llama2);
    expect(request.api === 'invoke' && request.body.max_gen_len).toBe(2048);
    expect(warnings[0]).toMatch(/at most 2048 tokens: maxTokens 4000.*lowered to 2048/);
  });

  it('warns when a Converse maxTokens is over the model limit', () => {
    const { warnings } = compile(configured({ maxTokens: 9000 }), 'p', haiku);
    expect(warnings).toEqual([
      'Claude 3 Haiku answers at most 4096 tokens: maxTokens 9000 is over that limit; Bedrock will reject the request',
    ]);
  });

  it('compiles a Converse request for a model without an adapter', () => {
    const titan: Target = {
      id: 't',
      label: 'Titan',
      modelId: 'amazon.titan-text-express-v1',
      api: 'converse',
    };
    const nb = notebook([{ kind: 'prompt', id: 'p', text: 'Hi' }], [titan]);
    expect(compile(nb, 'p', titan)).toMatchObject({ request: { api: 'converse' }, warnings: [] });
  });

  it('runs a model without an adapter through Converse, with a note, when InvokeModel is asked', () => {
    const deepseek: Target = {
      id: 'd',
      label: 'DeepSeek-R1',
      modelId: 'us.deepseek.r1-v1:0',
      api: 'invoke',
    };
    const nb = notebook([{ kind: 'prompt', id: 'p', text: 'Hi' }], [deepseek]);
    const { request, warnings } = compile(nb, 'p', deepseek);
    expect(request).toMatchObject({
      api: 'converse',
      modelId: 'us.deepseek.r1-v1:0',
      input: { messages: [{ role: 'user', content: [{ text: 'Hi' }] }] },
    });
    expect(warnings).toEqual([
      'The playground has no native body for us.deepseek.r1-v1:0: this target runs through the Converse API instead of InvokeModel',
    ]);
  });
});

describe('native cells', () => {
  it('reports invalid JSON with its line and column', () => {
    const nb = notebook([
      {
        kind: 'native',
        id: 'n',
        modelId: 'meta.llama2-13b-chat-v1',
        body: '{\n  "prompt": "x",\n}',
      },
    ]);
    expect(() => compile(nb, 'n', llama2)).toThrow(
      /Cell 1 \(native\): the body is not valid JSON \(line 3, column 1/,
    );
  });

  it('runs against one synthetic target for its own model', () => {
    const nb = example('hello-world-llama2.md');
    expect(runTargetsFor(nb, nb.cells[1]!)).toEqual([
      {
        id: 'native-hello',
        label: 'Llama 2 13B Chat',
        modelId: 'meta.llama2-13b-chat-v1',
        api: 'invoke',
      },
    ]);
    expect(runTargetsFor(nb, nb.cells[0]!)).toEqual([]);
    const pirate = example('pirate-email.md');
    expect(runTargetsFor(pirate, pirate.cells[3]!)).toBe(pirate.targets);
  });

  it('derives a seed body from the context above through the model adapter', () => {
    const nb = notebook([
      { kind: 'system', id: 'sys', text: 'Be brief.' },
      { kind: 'config', id: 'cfg', maxTokens: 256 },
      { kind: 'prompt', id: 'p', text: 'Hi' },
      { kind: 'native', id: 'n', modelId: 'meta.llama2-13b-chat-v1' },
    ]);
    const text = deriveNativeBody(nb, 'n', 'meta.llama2-13b-chat-v1');
    expect(text).toBe(
      '{\n  "prompt": "<s>[INST] <<SYS>>\\nBe brief.\\n<</SYS>>\\n\\nHi [/INST]",\n  "max_gen_len": 256\n}',
    );
  });

  it('derives a body with an assistant cell above as the prefill', () => {
    const nb = notebook([
      { kind: 'prompt', id: 'p', text: 'Name a colour.' },
      { kind: 'assistant', id: 'a', text: 'The colour is' },
      { kind: 'native', id: 'n', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' },
    ]);
    const body = JSON.parse(
      deriveNativeBody(nb, 'n', 'anthropic.claude-3-haiku-20240307-v1:0'),
    ) as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Name a colour.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'The colour is' }] },
    ]);
  });

  it('derives a body with an empty user turn when nothing is above', () => {
    const nb = notebook([{ kind: 'native', id: 'n', modelId: 'meta.llama3-8b-instruct-v1:0' }]);
    expect(JSON.parse(deriveNativeBody(nb, 'n', 'meta.llama3-8b-instruct-v1:0'))).toEqual({
      prompt:
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    });
  });
});
