import { compile, runTargetsFor } from '../compile.ts';
import { familyOf, findModel, LLAMA_MAX_GEN_LEN } from '../models/index.ts';
import type { ModelFamily } from '../models/index.ts';
import type { Cell, Notebook, Target } from '../notebook.ts';
import { unreachable } from '../unreachable.ts';
import { jsClient, jsImports, jsNativeChunkText, jsNativeResponse, jsValue } from './javascript.ts';
import { jsString, pythonString } from './literals.ts';
import { pyNativeChunkText, pyNativeResponse, pythonClient, pyValue } from './python.ts';
import { ExportError } from './types.ts';

/** The forms a whole notebook can be exported to. */
export const NOTEBOOK_EXPORT_LANGS = ['ipynb', 'python', 'javascript'] as const;
export type NotebookExportLang = (typeof NOTEBOOK_EXPORT_LANGS)[number];

export interface NotebookExportOptions {
  lang: NotebookExportLang;
  /** Export one target's column only; all targets when left out. */
  targetId?: string;
  region: string;
  profile?: string;
  /** Stream every answer (printing it as it arrives) or wait for whole answers. */
  streaming: boolean;
}

/** One cell of the exported program: Markdown prose or code. */
interface Block {
  kind: 'markdown' | 'code';
  id: string;
  source: string;
}

interface TargetFacts {
  target: Target;
  family: ModelFamily | undefined;
}

/** A Python target entry, the limits the adapters apply included. */
function targetEntry(facts: TargetFacts): Record<string, unknown> {
  const { target, family } = facts;
  const entry: Record<string, unknown> = {
    label: target.label,
    model_id: target.modelId,
    api: target.api,
  };
  if (target.api === 'invoke') {
    entry.family = family;
    const limit = findModel(target.modelId)?.maxOutputTokens;
    entry.max_tokens_limit = family === 'claude' ? (limit ?? null) : (limit ?? LLAMA_MAX_GEN_LEN);
  }
  return entry;
}

/** Comment lines for prose: every line break ends a line, nothing else can end the comment. */
function commentLines(text: string, prefix: string): string[] {
  return text
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trimEnd())
    .map((line) => (line ? `${prefix} ${line}` : prefix));
}

/** The index of the assistant cell that answers the prompt at `index`, if one does. */
function scriptedAnswer(notebook: Notebook, index: number): number | undefined {
  for (let i = index + 1; i < notebook.cells.length; i++) {
    const kind = notebook.cells[i]!.kind;
    if (kind === 'assistant') return i;
    if (kind === 'prompt') return undefined;
  }
  return undefined;
}

/** The config cell's inference fields, only those set, in the order compile uses. */
function configFields(cell: Extract<Cell, { kind: 'config' }>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (cell.maxTokens !== undefined) config.maxTokens = cell.maxTokens;
  if (cell.temperature !== undefined) config.temperature = cell.temperature;
  if (cell.topP !== undefined) config.topP = cell.topP;
  if (cell.stopSequences !== undefined) config.stopSequences = cell.stopSequences;
  return config;
}

/** Checks the notebook compiles, so the export fails where the playground would. */
function validate(notebook: Notebook, targets: Target[]): void {
  const placeholder = () => '';
  for (const cell of notebook.cells) {
    if (cell.kind !== 'prompt' && cell.kind !== 'native') continue;
    const runTargets = cell.kind === 'prompt' ? targets : runTargetsFor(notebook, cell);
    if (cell.kind === 'prompt' && runTargets.length === 0) {
      throw new ExportError(
        'The notebook has no targets to run its prompt cells against: add a target first.',
      );
    }
    for (const target of runTargets) {
      compile(notebook, cell.id, target, placeholder);
      if (target.api === 'invoke' && familyOf(target.modelId) === undefined) {
        throw new ExportError(
          `Cannot export InvokeModel for "${target.modelId}": the exporters read the native answers of Claude, Llama 2 and Llama 3 only. Use the Converse API for this model.`,
        );
      }
    }
  }
}

function selectTargets(notebook: Notebook, targetId: string | undefined): Target[] {
  if (targetId === undefined) return notebook.targets;
  const target = notebook.targets.find((t) => t.id === targetId);
  if (!target) {
    const known = notebook.targets.map((t) => `"${t.id}"`).join(', ') || 'none';
    throw new ExportError(`There is no target "${targetId}" in this notebook (targets: ${known}).`);
  }
  return [target];
}

/** What the helpers must cover: APIs, native families. */
interface Needs {
  converse: boolean;
  families: Set<ModelFamily>;
}

function needsOf(notebook: Notebook, targets: TargetFacts[]): Needs {
  const hasPrompt = notebook.cells.some((c) => c.kind === 'prompt');
  const families = new Set<ModelFamily>();
  let converse = false;
  if (hasPrompt) {
    for (const { target, family } of targets) {
      if (target.api === 'converse') converse = true;
      else if (family) families.add(family);
    }
  }
  for (const cell of notebook.cells) {
    if (cell.kind === 'native') {
      const family = familyOf(cell.modelId);
      if (family) families.add(family);
    }
  }
  return { converse, families };
}

/**
 * A whole notebook as a Jupyter notebook (nbformat 4.5), a Python script (cells marked with
 * `# %%`, so editors can run them one by one) or a JavaScript ES module. Cells run in order: a
 * setup cell creates the client and one conversation per target; system and config cells set
 * variables later cells use; each prompt cell appends the user turn to every target's
 * conversation, sends it, prints the answer and appends it, so later prompts see the answers the
 * models actually gave (built at run time, as the playground's `compile` builds them); assistant
 * cells append their scripted text instead; native cells send their body as written.
 */
export function exportNotebook(notebook: Notebook, options: NotebookExportOptions): string {
  const targets = selectTargets(notebook, options.targetId);
  validate(notebook, targets);
  const facts = targets.map((target) => ({ target, family: familyOf(target.modelId) }));
  const needs = needsOf(notebook, facts);
  switch (options.lang) {
    case 'ipynb':
      return ipynb(notebook, pythonBlocks(notebook, facts, needs, options, 'notebook'));
    case 'python':
      return pythonScript(pythonBlocks(notebook, facts, needs, options, 'script'));
    case 'javascript':
      return javascriptModule(notebook, facts, needs, options);
    default:
      return unreachable(options.lang);
  }
}

// ---------------------------------------------------------------------------------------------
// Python

/** The whitespace JavaScript's trim() removes, so Python strips prompts exactly as compile does. */
const JS_WHITESPACE =
  '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

function pythonHelpers(
  needs: Needs,
  options: NotebookExportOptions,
  mode: 'notebook' | 'script',
): string[] {
  const lines: string[] = [];
  const streaming = options.streaming;
  const usage = (indent: string, input: string, output: string, latency?: string) => [
    `${indent}print()`,
    `${indent}print(f"Input tokens: {${input}}, output tokens: {${output}}")`,
    ...(latency ? [`${indent}print(f"Latency: {${latency}} ms")`] : []),
  ];
  if (needs.converse) {
    lines.push(
      '',
      'def send_converse(model_id, messages, system, inference_config, fields):',
      `    """Sends a conversation through ${streaming ? 'ConverseStream' : 'Converse'}; prints the answer and returns its text."""`,
      '    request = {"modelId": model_id, "messages": messages}',
      '    if system:',
      '        request["system"] = [{"text": system}]',
      '    if inference_config:',
      '        request["inferenceConfig"] = inference_config',
      '    if fields:',
      '        request["additionalModelRequestFields"] = fields',
    );
    if (streaming) {
      lines.push(
        '    response = client.converse_stream(**request)',
        '    answer = ""',
        '    for event in response["stream"]:',
        '        if "contentBlockDelta" in event:',
        '            text = event["contentBlockDelta"]["delta"].get("text", "")',
        '            print(text, end="", flush=True)',
        '            answer += text',
        '        elif "metadata" in event:',
        '            usage = event["metadata"]["usage"]',
        '            print()',
        ...usage(
          '            ',
          "usage['inputTokens']",
          "usage['outputTokens']",
          "event['metadata']['metrics']['latencyMs']",
        ),
        '    return answer',
      );
    } else {
      lines.push(
        '    response = client.converse(**request)',
        '    answer = "".join(block.get("text", "") for block in response["output"]["message"]["content"])',
        '    print(answer)',
        ...usage(
          '    ',
          "response['usage']['inputTokens']",
          "response['usage']['outputTokens']",
          "response['metrics']['latencyMs']",
        ),
        '    return answer',
      );
    }
  }
  if (needs.families.size) {
    lines.push(
      '',
      'def send_native(model_id, family, body):',
      `    """Sends a native body through ${streaming ? 'InvokeModelWithResponseStream' : 'InvokeModel'}; prints the answer and returns its text."""`,
    );
    if (streaming) {
      lines.push(
        '    response = client.invoke_model_with_response_stream(modelId=model_id, body=json.dumps(body))',
        '    answer = ""',
        '    for event in response["body"]:',
        '        chunk = json.loads(event["chunk"]["bytes"])',
      );
      for (const family of needs.families) {
        lines.push(
          `        if family == ${pythonString(family)}:`,
          ...pyNativeChunkText(family, '            ', 'print(text, end="", flush=True)'),
          '                answer += text',
        );
      }
      lines.push(
        '        metrics = chunk.get("amazon-bedrock-invocationMetrics")',
        '        if metrics:',
        '            print()',
        ...usage(
          '            ',
          "metrics['inputTokenCount']",
          "metrics['outputTokenCount']",
          "metrics['invocationLatency']",
        ),
        '    return answer',
      );
    } else {
      lines.push(
        '    response = client.invoke_model(modelId=model_id, body=json.dumps(body))',
        '    model_response = json.loads(response["body"].read())',
      );
      for (const family of needs.families) {
        lines.push(
          `    if family == ${pythonString(family)}:`,
          ...pyNativeResponse(family, '        '),
        );
      }
      lines.push(
        '    print(text)',
        ...usage('    ', 'input_tokens', 'output_tokens'),
        '    return text',
      );
    }
  }
  const llama = needs.families.has('llama2') || needs.families.has('llama3');
  if (needs.families.has('claude')) {
    lines.push(
      '',
      'def claude_body(messages, system, inference_config, fields, max_tokens_limit):',
      '    """The Claude Messages body for a conversation, built as the playground builds it."""',
      '    max_tokens = inference_config.get("maxTokens", 1024)',
      '    if max_tokens_limit is not None:',
      '        max_tokens = min(max_tokens, max_tokens_limit)',
      '    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": max_tokens}',
      '    if system:',
      '        body["system"] = system',
      '    body["messages"] = [',
      '        {"role": m["role"], "content": [{"type": "text", "text": m["content"][0]["text"]}]}',
      '        for m in messages',
      '    ]',
      '    if "temperature" in inference_config:',
      '        body["temperature"] = inference_config["temperature"]',
      '    if "topP" in inference_config:',
      '        body["top_p"] = inference_config["topP"]',
      '    if inference_config.get("stopSequences"):',
      '        body["stop_sequences"] = inference_config["stopSequences"]',
      '    for key, value in fields.items():',
      '        if key not in ("anthropic_version", "system", "messages"):',
      '            body[key] = value',
      '    return body',
    );
  }
  if (llama) {
    lines.push(
      '',
      "# The whitespace JavaScript's trim() removes, so prompts are stripped exactly as the",
      '# playground strips them.',
      `WHITESPACE = ${pythonString(JS_WHITESPACE)}`,
      '',
      'def llama_body(prompt, inference_config, fields, max_gen_len_limit):',
      '    """The Llama native body: the rendered prompt plus the parameters Llama takes."""',
      '    body = {"prompt": prompt}',
      '    if "maxTokens" in inference_config:',
      '        body["max_gen_len"] = min(inference_config["maxTokens"], max_gen_len_limit)',
      '    if "temperature" in inference_config:',
      '        body["temperature"] = inference_config["temperature"]',
      '    if "topP" in inference_config:',
      '        body["top_p"] = inference_config["topP"]',
      '    for key, value in fields.items():',
      '        if key in ("max_gen_len", "temperature", "top_p"):',
      '            body[key] = value',
      '    return body',
    );
  }
  if (needs.families.has('llama2')) {
    lines.push(
      '',
      'def llama2_prompt(messages, system):',
      '    """Meta\'s Llama 2 chat template: <<SYS>> in the first [INST], one <s>…</s> per exchange."""',
      '    texts = [m["content"][0]["text"] for m in messages]',
      '    users, answers = texts[0::2], texts[1::2]',
      '    if system:',
      '        users[0] = f"<<SYS>>\\n{system}\\n<</SYS>>\\n\\n{users[0]}"',
      '    prompt = ""',
      '    for user, answer in zip(users, answers):',
      '        prompt += f"<s>[INST] {user.strip(WHITESPACE)} [/INST] {answer.strip(WHITESPACE)} </s>"',
      '    return prompt + f"<s>[INST] {users[-1].strip(WHITESPACE)} [/INST]"',
    );
  }
  if (needs.families.has('llama3')) {
    lines.push(
      '',
      'def llama3_prompt(messages, system):',
      '    """Meta\'s Llama 3 template: one header block per message, then an open assistant header."""',
      '    def block(role, text):',
      '        return f"<|start_header_id|>{role}<|end_header_id|>\\n\\n{text.strip(WHITESPACE)}<|eot_id|>"',
      '',
      '    prompt = "<|begin_of_text|>"',
      '    if system:',
      '        prompt += block("system", system)',
      '    for m in messages:',
      '        prompt += block(m["role"], m["content"][0]["text"])',
      '    return prompt + "<|start_header_id|>assistant<|end_header_id|>\\n\\n"',
    );
  }
  const fail = mode === 'script' ? '        exit(1)' : '        raise';
  if (needs.converse || needs.families.size) {
    lines.push(
      '',
      'def ask(target_id):',
      '    """Sends one target its conversation with the current context; returns the answer."""',
      '    target = TARGETS[target_id]',
      '    messages = conversations[target_id]',
      '    fields = additional_fields.get(target_id, {})',
      '    print(f"\\n--- {target[\'label\']} ---")',
      '    try:',
    );
    if (needs.converse) {
      lines.push(
        '        if target["api"] == "converse":',
        '            return send_converse(target["model_id"], messages, system, inference_config, fields)',
      );
    }
    const bodies: [ModelFamily, string][] = [
      [
        'claude',
        'claude_body(messages, system, inference_config, fields, target["max_tokens_limit"])',
      ],
      [
        'llama2',
        'llama_body(llama2_prompt(messages, system), inference_config, fields, target["max_tokens_limit"])',
      ],
      [
        'llama3',
        'llama_body(llama3_prompt(messages, system), inference_config, fields, target["max_tokens_limit"])',
      ],
    ];
    for (const [family, expression] of bodies) {
      if (!needs.families.has(family)) continue;
      lines.push(
        `        if target["family"] == ${pythonString(family)}:`,
        `            return send_native(target["model_id"], ${pythonString(family)}, ${expression})`,
      );
    }
    lines.push(
      '        raise ValueError(f"no way to call {target[\'model_id\']}")',
      '    except (ClientError, Exception) as e:',
      "        print(f\"ERROR: Can't invoke '{target['model_id']}'. Reason: {e}\")",
      fail,
    );
    if (needs.families.size) {
      lines.push(
        '',
        'def run_native(label, model_id, family, body):',
        '    """Sends a native cell\'s body exactly as written."""',
        '    print(f"\\n--- {label} ---")',
        '    try:',
        '        return send_native(model_id, family, body)',
        '    except (ClientError, Exception) as e:',
        "        print(f\"ERROR: Can't invoke '{model_id}'. Reason: {e}\")",
        fail,
      );
    }
  }
  return lines;
}

function pythonBlocks(
  notebook: Notebook,
  facts: TargetFacts[],
  needs: Needs,
  options: NotebookExportOptions,
  mode: 'notebook' | 'script',
): Block[] {
  const ids = new Set(notebook.cells.map((c) => c.id));
  let setupId = 'setup';
  while (ids.has(setupId)) setupId += '-';
  const targetsValue = Object.fromEntries(facts.map((f) => [f.target.id, targetEntry(f)]));
  const setup = [
    ...commentLines(`${notebook.title}: exported from Bedrock Playground.`, '#'),
    '# Run the cells in order. Each target keeps its own conversation, so later prompts see that',
    "# model's own earlier answers, as in the playground.",
    '',
    'import json',
    '',
    'import boto3',
    'from botocore.exceptions import ClientError',
    '',
    ...pythonClient(options.region, options.profile),
    '',
    '# The models this notebook compares.',
    `TARGETS = ${pyValue(targetsValue, '', 10)}`,
    '',
    '# One conversation per target, and the context that system and config cells set.',
    'conversations = {target_id: [] for target_id in TARGETS}',
    'system = None',
    'inference_config = {}',
    'additional_fields = {}',
    ...pythonHelpers(needs, options, mode).flatMap((line) =>
      // PEP 8: two blank lines before a top-level function.
      line.startsWith('def ') ? ['', line] : [line],
    ),
  ];
  const blocks: Block[] = [{ kind: 'code', id: setupId, source: setup.join('\n') }];

  notebook.cells.forEach((cell, index) => {
    const head = `# Cell ${index + 1}: ${cell.kind} "${cell.id}"`;
    switch (cell.kind) {
      case 'markdown':
        blocks.push({ kind: 'markdown', id: cell.id, source: cell.text });
        break;
      case 'system':
        blocks.push({
          kind: 'code',
          id: cell.id,
          source: [
            head,
            '# The system prompt for the prompt cells below.',
            `system = ${cell.text.trim() ? pyValue(cell.text, '', 9) : 'None'}`,
          ].join('\n'),
        });
        break;
      case 'config':
        blocks.push({
          kind: 'code',
          id: cell.id,
          source: [
            head,
            '# The inference parameters for the prompt cells below, and extra model fields per target.',
            `inference_config = ${pyValue(configFields(cell), '', 19)}`,
            `additional_fields = ${pyValue(cell.extras, '', 20)}`,
          ].join('\n'),
        });
        break;
      case 'prompt': {
        const scripted = scriptedAnswer(notebook, index);
        const lines = [head];
        if (cell.newThread) {
          lines.push(
            '# This prompt starts a new conversation.',
            'conversations = {target_id: [] for target_id in TARGETS}',
          );
        }
        lines.push(
          `prompt = ${pyValue(cell.text, '', 9)}`,
          'for target_id in TARGETS:',
          '    conversations[target_id].append({"role": "user", "content": [{"text": prompt}]})',
        );
        if (scripted === undefined) {
          lines.push(
            '    answer = ask(target_id)',
            '    conversations[target_id].append({"role": "assistant", "content": [{"text": answer}]})',
          );
        } else {
          lines.push(
            `    # The assistant cell "${notebook.cells[scripted]!.id}" below stands in for this answer.`,
            '    ask(target_id)',
          );
        }
        blocks.push({ kind: 'code', id: cell.id, source: lines.join('\n') });
        break;
      }
      case 'assistant':
        blocks.push({
          kind: 'code',
          id: cell.id,
          source: [
            head,
            '# A scripted answer: every target sees it as its own earlier answer.',
            `answer = ${pyValue(cell.text, '', 9)}`,
            'for target_id in TARGETS:',
            '    conversations[target_id].append({"role": "assistant", "content": [{"text": answer}]})',
          ].join('\n'),
        });
        break;
      case 'native': {
        const target = runTargetsFor(notebook, cell)[0]!;
        const request = compile(notebook, cell.id, target).request;
        const body = request.api === 'invoke' ? request.body : {};
        blocks.push({
          kind: 'code',
          id: cell.id,
          source: [
            head,
            `# A native request body for ${findModel(cell.modelId)?.name ?? 'this model'}, sent exactly as written.`,
            `body = ${pyValue(body, '', 7)}`,
            `run_native(${pythonString(target.label)}, ${pythonString(cell.modelId)}, ${pythonString(familyOf(cell.modelId) ?? '')}, body)`,
          ].join('\n'),
        });
        break;
      }
      default:
        unreachable(cell);
    }
  });
  return blocks;
}

function pythonScript(blocks: Block[]): string {
  const parts = blocks.map((block) =>
    block.kind === 'markdown'
      ? ['# %% [markdown]', ...commentLines(block.source, '#')].join('\n')
      : `# %%\n${block.source}`,
  );
  return `${parts.join('\n\n')}\n`;
}

/** Source text as nbformat stores it: a list of lines, each but the last ending in "\n". */
function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function ipynb(notebook: Notebook, blocks: Block[]): string {
  const cells = blocks.map((block) =>
    block.kind === 'markdown'
      ? { cell_type: 'markdown', id: block.id, metadata: {}, source: sourceLines(block.source) }
      : {
          cell_type: 'code',
          execution_count: null,
          id: block.id,
          metadata: {},
          outputs: [],
          source: sourceLines(block.source),
        },
  );
  const document = {
    cells,
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
      title: notebook.title,
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(document, null, 1)}\n`;
}

// ---------------------------------------------------------------------------------------------
// JavaScript

function javascriptModule(
  notebook: Notebook,
  facts: TargetFacts[],
  needs: Needs,
  options: NotebookExportOptions,
): string {
  const streaming = options.streaming;
  const commands: string[] = [];
  if (needs.converse) commands.push(streaming ? 'ConverseStreamCommand' : 'ConverseCommand');
  if (needs.families.size) {
    commands.push(streaming ? 'InvokeModelWithResponseStreamCommand' : 'InvokeModelCommand');
  }
  const targetsValue = Object.fromEntries(
    facts.map((f) => {
      const entry = targetEntry(f);
      const js: Record<string, unknown> = {
        label: entry.label,
        modelId: entry.model_id,
        api: entry.api,
      };
      if ('family' in entry) {
        js.family = entry.family;
        js.maxTokensLimit = entry.max_tokens_limit;
      }
      return [f.target.id, js];
    }),
  );
  const usage = (indent: string, input: string, output: string, latency?: string) => [
    `${indent}console.log(\`\\nInput tokens: \${${input}}, output tokens: \${${output}}\`);`,
    ...(latency ? [`${indent}console.log(\`Latency: \${${latency}} ms\`);`] : []),
  ];
  const lines = [
    ...commentLines(`${notebook.title}: exported from Bedrock Playground.`, '//'),
    '// The cells run in order. Each target keeps its own conversation, so later prompts see that',
    "// model's own earlier answers, as in the playground. Run it as an ES module (a .mjs file).",
    '',
    ...jsImports(commands, options.profile),
    '',
    ...jsClient(options.region, options.profile),
    '',
    '// The models this notebook compares.',
    `const TARGETS = ${jsValue(targetsValue, '', 16)};`,
    '',
    '// One conversation per target, and the context that system and config cells set.',
    'let conversations = Object.fromEntries(Object.keys(TARGETS).map((id) => [id, []]));',
    'let system;',
    'let inferenceConfig = {};',
    'let additionalFields = {};',
  ];
  if (needs.converse) {
    lines.push(
      '',
      `/** Sends a conversation through ${streaming ? 'ConverseStream' : 'Converse'}; prints the answer and returns its text. */`,
      'async function sendConverse(modelId, messages, system, inferenceConfig, fields) {',
      '  const input = { modelId, messages };',
      '  if (system) input.system = [{ text: system }];',
      '  if (Object.keys(inferenceConfig).length) input.inferenceConfig = inferenceConfig;',
      '  if (Object.keys(fields).length) input.additionalModelRequestFields = fields;',
    );
    if (streaming) {
      lines.push(
        '  const response = await client.send(new ConverseStreamCommand(input));',
        '  let answer = "";',
        '  for await (const event of response.stream) {',
        '    if (event.contentBlockDelta) {',
        '      const text = event.contentBlockDelta.delta?.text ?? "";',
        '      process.stdout.write(text);',
        '      answer += text;',
        '    } else if (event.metadata) {',
        '      const { usage, metrics } = event.metadata;',
        '      console.log();',
        ...usage('      ', 'usage?.inputTokens', 'usage?.outputTokens', 'metrics?.latencyMs'),
        '    }',
        '  }',
        '  return answer;',
        '}',
      );
    } else {
      lines.push(
        '  const response = await client.send(new ConverseCommand(input));',
        '  const answer = response.output.message.content.map((block) => block.text ?? "").join("");',
        '  console.log(answer);',
        ...usage(
          '  ',
          'response.usage.inputTokens',
          'response.usage.outputTokens',
          'response.metrics.latencyMs',
        ),
        '  return answer;',
        '}',
      );
    }
  }
  if (needs.families.size) {
    lines.push(
      '',
      `/** Sends a native body through ${streaming ? 'InvokeModelWithResponseStream' : 'InvokeModel'}; prints the answer and returns its text. */`,
      'async function sendNative(modelId, family, body) {',
    );
    if (streaming) {
      lines.push(
        '  const response = await client.send(',
        '    new InvokeModelWithResponseStreamCommand({',
        '      modelId,',
        '      contentType: "application/json",',
        '      body: JSON.stringify(body),',
        '    }),',
        '  );',
        '  let answer = "";',
        '  for await (const event of response.body) {',
        '    const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));',
      );
      for (const family of needs.families) {
        lines.push(
          `    if (family === ${jsString(family)}) {`,
          ...jsNativeChunkText(family, '      ', 'process.stdout.write(text);').flatMap(
            (l, i, all) =>
              i === all.length - 2 ? [l, `${l.match(/^\s*/)![0]}answer += text;`] : [l],
          ),
          '    }',
        );
      }
      lines.push(
        '    const metrics = chunk["amazon-bedrock-invocationMetrics"];',
        '    if (metrics) {',
        '      console.log();',
        ...usage(
          '      ',
          'metrics.inputTokenCount',
          'metrics.outputTokenCount',
          'metrics.invocationLatency',
        ),
        '    }',
        '  }',
        '  return answer;',
        '}',
      );
    } else {
      lines.push(
        '  const response = await client.send(',
        '    new InvokeModelCommand({ modelId, contentType: "application/json", body: JSON.stringify(body) }),',
        '  );',
        '  const modelResponse = JSON.parse(new TextDecoder().decode(response.body));',
      );
      for (const family of needs.families) {
        lines.push(
          `  if (family === ${jsString(family)}) {`,
          ...jsNativeResponse(family, '    '),
          '    console.log(text);',
          ...usage('    ', 'inputTokens', 'outputTokens'),
          '    return text;',
          '  }',
        );
      }
      lines.push('  throw new Error(`no reader for the ${family} family`);', '}');
    }
  }
  if (needs.families.has('claude')) {
    lines.push(
      '',
      '/** The Claude Messages body for a conversation, built as the playground builds it. */',
      'function claudeBody(messages, system, inferenceConfig, fields, maxTokensLimit) {',
      '  let maxTokens = inferenceConfig.maxTokens ?? 1024;',
      '  if (maxTokensLimit !== null) maxTokens = Math.min(maxTokens, maxTokensLimit);',
      '  const body = { anthropic_version: "bedrock-2023-05-31", max_tokens: maxTokens };',
      '  if (system) body.system = system;',
      '  body.messages = messages.map((m) => ({',
      '    role: m.role,',
      '    content: [{ type: "text", text: m.content[0].text }],',
      '  }));',
      '  if (inferenceConfig.temperature !== undefined) body.temperature = inferenceConfig.temperature;',
      '  if (inferenceConfig.topP !== undefined) body.top_p = inferenceConfig.topP;',
      '  if (inferenceConfig.stopSequences?.length) body.stop_sequences = inferenceConfig.stopSequences;',
      '  for (const [key, value] of Object.entries(fields)) {',
      '    if (!["anthropic_version", "system", "messages"].includes(key)) body[key] = value;',
      '  }',
      '  return body;',
      '}',
    );
  }
  if (needs.families.has('llama2') || needs.families.has('llama3')) {
    lines.push(
      '',
      '/** The Llama native body: the rendered prompt plus the parameters Llama takes. */',
      'function llamaBody(prompt, inferenceConfig, fields, maxGenLenLimit) {',
      '  const body = { prompt };',
      '  if (inferenceConfig.maxTokens !== undefined) {',
      '    body.max_gen_len = Math.min(inferenceConfig.maxTokens, maxGenLenLimit);',
      '  }',
      '  if (inferenceConfig.temperature !== undefined) body.temperature = inferenceConfig.temperature;',
      '  if (inferenceConfig.topP !== undefined) body.top_p = inferenceConfig.topP;',
      '  for (const [key, value] of Object.entries(fields)) {',
      '    if (["max_gen_len", "temperature", "top_p"].includes(key)) body[key] = value;',
      '  }',
      '  return body;',
      '}',
    );
  }
  if (needs.families.has('llama2')) {
    lines.push(
      '',
      "/** Meta's Llama 2 chat template: <<SYS>> in the first [INST], one <s>…</s> per exchange. */",
      'function llama2Prompt(messages, system) {',
      '  const texts = messages.map((m) => m.content[0].text);',
      '  const users = texts.filter((_, i) => i % 2 === 0);',
      '  const answers = texts.filter((_, i) => i % 2 === 1);',
      '  if (system) users[0] = `<<SYS>>\\n${system}\\n<</SYS>>\\n\\n${users[0]}`;',
      '  let prompt = "";',
      '  answers.forEach((answer, i) => {',
      '    prompt += `<s>[INST] ${users[i].trim()} [/INST] ${answer.trim()} </s>`;',
      '  });',
      '  return `${prompt}<s>[INST] ${users.at(-1).trim()} [/INST]`;',
      '}',
    );
  }
  if (needs.families.has('llama3')) {
    lines.push(
      '',
      "/** Meta's Llama 3 template: one header block per message, then an open assistant header. */",
      'function llama3Prompt(messages, system) {',
      '  const block = (role, text) =>',
      '    `<|start_header_id|>${role}<|end_header_id|>\\n\\n${text.trim()}<|eot_id|>`;',
      '  let prompt = "<|begin_of_text|>";',
      '  if (system) prompt += block("system", system);',
      '  for (const m of messages) prompt += block(m.role, m.content[0].text);',
      '  return `${prompt}<|start_header_id|>assistant<|end_header_id|>\\n\\n`;',
      '}',
    );
  }
  if (needs.converse || needs.families.size) {
    lines.push(
      '',
      '/** Sends one target its conversation with the current context; returns the answer. */',
      'async function ask(targetId) {',
      '  const target = TARGETS[targetId];',
      '  const messages = conversations[targetId];',
      '  const fields = additionalFields[targetId] ?? {};',
      '  console.log(`\\n--- ${target.label} ---`);',
      '  try {',
    );
    if (needs.converse) {
      lines.push(
        '    if (target.api === "converse") {',
        '      return await sendConverse(target.modelId, messages, system, inferenceConfig, fields);',
        '    }',
      );
    }
    const bodies: [ModelFamily, string][] = [
      ['claude', 'claudeBody(messages, system, inferenceConfig, fields, target.maxTokensLimit)'],
      [
        'llama2',
        'llamaBody(llama2Prompt(messages, system), inferenceConfig, fields, target.maxTokensLimit)',
      ],
      [
        'llama3',
        'llamaBody(llama3Prompt(messages, system), inferenceConfig, fields, target.maxTokensLimit)',
      ],
    ];
    for (const [family, expression] of bodies) {
      if (!needs.families.has(family)) continue;
      lines.push(
        `    if (target.family === ${jsString(family)}) {`,
        `      return await sendNative(target.modelId, target.family, ${expression});`,
        '    }',
      );
    }
    lines.push(
      '    throw new Error(`no way to call ${target.modelId}`);',
      '  } catch (err) {',
      "    console.log(`ERROR: Can't invoke '${target.modelId}'. Reason: ${err}`);",
      '    process.exit(1);',
      '  }',
      '}',
    );
    if (needs.families.size) {
      lines.push(
        '',
        "/** Sends a native cell's body exactly as written. */",
        'async function runNative(label, modelId, family, body) {',
        '  console.log(`\\n--- ${label} ---`);',
        '  try {',
        '    return await sendNative(modelId, family, body);',
        '  } catch (err) {',
        "    console.log(`ERROR: Can't invoke '${modelId}'. Reason: ${err}`);",
        '    process.exit(1);',
        '  }',
        '}',
      );
    }
  }

  notebook.cells.forEach((cell, index) => {
    lines.push('', `// Cell ${index + 1}: ${cell.kind} "${cell.id}"`);
    switch (cell.kind) {
      case 'markdown':
        lines.push(...commentLines(cell.text, '//'));
        break;
      case 'system':
        lines.push(`system = ${cell.text.trim() ? jsValue(cell.text, '', 9) : 'undefined'};`);
        break;
      case 'config':
        lines.push(
          `inferenceConfig = ${jsValue(configFields(cell), '', 18)};`,
          `additionalFields = ${jsValue(cell.extras, '', 19)};`,
        );
        break;
      case 'prompt': {
        const scripted = scriptedAnswer(notebook, index);
        if (cell.newThread) {
          lines.push(
            '// This prompt starts a new conversation.',
            'conversations = Object.fromEntries(Object.keys(TARGETS).map((id) => [id, []]));',
          );
        }
        lines.push(
          '{',
          `  const prompt = ${jsValue(cell.text, '  ', 15)};`,
          '  for (const targetId of Object.keys(TARGETS)) {',
          '    conversations[targetId].push({ role: "user", content: [{ text: prompt }] });',
        );
        if (scripted === undefined) {
          lines.push(
            '    const answer = await ask(targetId);',
            '    conversations[targetId].push({ role: "assistant", content: [{ text: answer }] });',
          );
        } else {
          lines.push(
            `    // The assistant cell "${notebook.cells[scripted]!.id}" below stands in for this answer.`,
            '    await ask(targetId);',
          );
        }
        lines.push('  }', '}');
        break;
      }
      case 'assistant':
        lines.push(
          '// A scripted answer: every target sees it as its own earlier answer.',
          '{',
          `  const answer = ${jsValue(cell.text, '  ', 15)};`,
          '  for (const targetId of Object.keys(TARGETS)) {',
          '    conversations[targetId].push({ role: "assistant", content: [{ text: answer }] });',
          '  }',
          '}',
        );
        break;
      case 'native': {
        const target = runTargetsFor(notebook, cell)[0]!;
        const request = compile(notebook, cell.id, target).request;
        const body = request.api === 'invoke' ? request.body : {};
        lines.push(
          `await runNative(${jsString(target.label)}, ${jsString(cell.modelId)}, ${jsString(familyOf(cell.modelId) ?? '')}, ${jsValue(body, '', 60)});`,
        );
        break;
      }
      default:
        unreachable(cell);
    }
  });
  return `${lines.join('\n')}\n`;
}
