/** The whole-notebook Python program (a Jupyter notebook or a `# %%` script): the template. */
import type { ModelFamily } from '../models/catalog.ts';
import { unreachable } from '../unreachable.ts';
import type { NotebookProgram, NotebookStep } from './notebook.ts';
import {
  contextFunction,
  dataCell,
  fillFunction,
  gridPrompt,
  newConversation,
} from './notebook-python-grid.ts';
import { hasParts } from './notebook.ts';
import { comment, commentLines, fileConstants, PHRASES, py } from './phrases.ts';
import { claudeBody, llama2Prompt, llama3Prompt, llamaBody } from './notebook-python-native.ts';
import { pyNativeChunkText, pyNativeResponse, pythonClient } from './python.ts';
import { code } from './template.ts';
import type { Code } from './template.ts';

const { string } = PHRASES.python;

/** One cell of the exported program: Markdown prose or code. */
export interface NotebookBlock {
  kind: 'markdown' | 'code';
  id: string;
  source: string;
}

/** The setup cell, then one cell per notebook cell. */
export function pythonNotebookCells(
  p: NotebookProgram,
  mode: 'notebook' | 'script',
): NotebookBlock[] {
  const ids = new Set(p.steps.map((s) => s.id));
  let setupId = 'setup';
  while (ids.has(setupId)) setupId += '-';
  return [
    { kind: 'code', id: setupId, source: setup(p, mode).render() },
    ...p.steps.map((s): NotebookBlock => {
      if (s.kind === 'markdown') return { kind: 'markdown', id: s.id, source: s.text };
      return { kind: 'code', id: s.id, source: cell(s).render() };
    }),
  ];
}

function setup(p: NotebookProgram, mode: 'notebook' | 'script'): Code {
  const targets = Object.fromEntries(
    p.targets.map((t) => [
      t.id,
      {
        label: t.label,
        model_id: t.modelId,
        api: t.api,
        ...(t.native && { family: t.native.family, max_tokens_limit: t.native.maxTokensLimit }),
        ...(t.overrides?.system !== undefined && { system: t.overrides.system }),
        ...(t.overrides?.inferenceConfig && { inference_config: t.overrides.inferenceConfig }),
      },
    ]),
  );
  const readsCsv = p.steps.some(
    (s) => s.kind === 'data' && 'file' in s.cases && s.cases.format === 'csv',
  );
  const has = (family: ModelFamily) => p.families.includes(family);
  const fail = mode === 'script' ? 'exit(1)' : 'raise';
  const parts = hasParts(p);
  return code`
    ${commentLines(`${p.title}: exported from Bedrock Playground.`, '#')}
    # Run the cells in order. Each target keeps its own conversation, so later prompts see that
    # model's own earlier answers, as in the playground.

    ${parts && has('claude') && 'import base64'}
    ${readsCsv && 'import csv'}
    import json
    ${p.grid.cases && 'import re'}

    import boto3
    from botocore.exceptions import ClientError

    ${fileConstants('python', p.files)}
    ${pythonClient(p.region, p.profile)}

    # The models this notebook compares.
    TARGETS = ${py(targets)}

    # One conversation per target, and the context that system and config cells set.
    conversations = {target_id: [] for target_id in TARGETS}
    system = None
    inference_config = {}
    additional_fields = {}
    ${p.converse && sendConverse(p.streaming)}
    ${p.families.length > 0 && sendNative(p.streaming, p.families)}
    ${has('claude') && claudeBody(parts)}
    ${(has('llama2') || has('llama3')) && llamaBody(parts)}
    ${has('llama2') && llama2Prompt(parts)}
    ${has('llama3') && llama3Prompt(parts)}
    ${p.grid.cases && fillFunction}
    ${(p.grid.cases || p.grid.variants) && contextFunction(p.grid.cases)}
    ${(p.converse || p.families.length > 0) && ask(p, fail)}
    ${(p.converse || p.families.length > 0) && p.families.length > 0 && runNative(fail)}
  `;
}

function sendConverse(streaming: boolean): Code {
  return code`


    def send_converse(model_id, messages, system, inference_config, fields):
        """Sends a conversation through ${streaming ? 'ConverseStream' : 'Converse'}; prints the answer and returns its text."""
        request = {"modelId": model_id, "messages": messages}
        if system:
            request["system"] = [{"text": system}]
        if inference_config:
            request["inferenceConfig"] = inference_config
        if fields:
            request["additionalModelRequestFields"] = fields
        ${streaming ? converseStreamLoop : converseAnswer}
  `;
}

const converseStreamLoop = code`
  response = client.converse_stream(**request)
  answer = ""
  for event in response["stream"]:
      if "contentBlockDelta" in event:
          text = event["contentBlockDelta"]["delta"].get("text", "")
          print(text, end="", flush=True)
          answer += text
      elif "metadata" in event:
          usage = event["metadata"]["usage"]
          print()
          print()
          print(f"Input tokens: {usage['inputTokens']}, output tokens: {usage['outputTokens']}")
          print(f"Latency: {event['metadata']['metrics']['latencyMs']} ms")
  return answer
`;

const converseAnswer = code`
  response = client.converse(**request)
  answer = "".join(block.get("text", "") for block in response["output"]["message"]["content"])
  print(answer)
  print()
  print(f"Input tokens: {response['usage']['inputTokens']}, output tokens: {response['usage']['outputTokens']}")
  print(f"Latency: {response['metrics']['latencyMs']} ms")
  return answer
`;

function sendNative(streaming: boolean, families: ModelFamily[]): Code {
  const loop = code`
    response = client.invoke_model_with_response_stream(modelId=model_id, body=json.dumps(body))
    answer = ""
    for event in response["body"]:
        chunk = json.loads(event["chunk"]["bytes"])
        ${families.map(
          (family) => code`
          if family == ${string(family)}:
              ${pyNativeChunkText(
                family,
                code`
                print(text, end="", flush=True)
                answer += text
              `,
              )}
        `,
        )}
        metrics = chunk.get("amazon-bedrock-invocationMetrics")
        if metrics:
            print()
            print()
            print(f"Input tokens: {metrics['inputTokenCount']}, output tokens: {metrics['outputTokenCount']}")
            print(f"Latency: {metrics['invocationLatency']} ms")
    return answer
  `;
  const answer = code`
    response = client.invoke_model(modelId=model_id, body=json.dumps(body))
    model_response = json.loads(response["body"].read())
    ${families.map(
      (family) => code`
      if family == ${string(family)}:
          ${pyNativeResponse(family)}
    `,
    )}
    print(text)
    print()
    print(f"Input tokens: {input_tokens}, output tokens: {output_tokens}")
    return text
  `;
  return code`


    def send_native(model_id, family, body):
        """Sends a native body through ${streaming ? 'InvokeModelWithResponseStream' : 'InvokeModel'}; prints the answer and returns its text."""
        ${streaming ? loop : answer}
  `;
}

/** The body each native family sends, from the target's conversation and the context. */
const NATIVE_BODIES: Record<ModelFamily, string> = {
  claude: 'claude_body(messages, system, inference_config, fields, target["max_tokens_limit"])',
  llama2:
    'llama_body(llama2_prompt(messages, system), inference_config, fields, target["max_tokens_limit"])',
  llama3:
    'llama_body(llama3_prompt(messages, system), inference_config, fields, target["max_tokens_limit"])',
};

function ask(p: NotebookProgram, fail: string): Code {
  const families = (['claude', 'llama2', 'llama3'] as const).filter((f) => p.families.includes(f));
  return code`


    def ask(target_id${p.grid.cases ? ', case=None' : ''}):
        """Sends one target its conversation with the current context; returns the answer."""
        target = TARGETS[target_id]
        ${(p.grid.cases || p.grid.variants) && `system, inference_config = context_of(target${p.grid.cases ? ', case' : ''})`}
        messages = conversations[target_id]
        fields = additional_fields.get(target_id, {})
        print(f"\n--- {target['label']} ---")
        try:
            ${
              p.converse &&
              code`
              if target["api"] == "converse":
                  return send_converse(target["model_id"], messages, system, inference_config, fields)
            `
            }
            ${families.map(
              (family) => code`
              if target["family"] == ${string(family)}:
                  return send_native(target["model_id"], ${string(family)}, ${NATIVE_BODIES[family]})
            `,
            )}
            raise ValueError(f"no way to call {target['model_id']}")
        except (ClientError, Exception) as e:
            print(f"ERROR: Can't invoke '{target['model_id']}'. Reason: {e}")
            ${fail}
  `;
}

function runNative(fail: string): Code {
  return code`


    def run_native(label, model_id, family, body):
        """Sends a native cell's body exactly as written."""
        print(f"\n--- {label} ---")
        try:
            return send_native(model_id, family, body)
        except (ClientError, Exception) as e:
            print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
            ${fail}
  `;
}

function cell(s: Exclude<NotebookStep, { kind: 'markdown' }>): Code {
  const head = `# Cell ${s.index + 1}: ${s.kind} "${s.id}"`;
  switch (s.kind) {
    case 'system':
      return code`
        ${head}
        # The system prompt for the prompt cells below.
        system = ${s.text.trim() ? py(s.text) : 'None'}
      `;
    case 'config':
      return code`
        ${head}
        # The inference parameters for the prompt cells below, and extra model fields per target.
        inference_config = ${py(s.inferenceConfig)}
        additional_fields = ${py(s.extras)}
      `;
    case 'data':
      return dataCell(s, head);
    case 'prompt':
      if (s.perCase || s.repeat > 1) return gridPrompt(s, head);
      return code`
        ${head}
        ${s.newThread && newConversation}
        ${
          s.parts
            ? code`
              # The user message: text, images and documents in order, files read now.
              content = ${py(s.parts.content)}
              ${s.parts.warnings.flatMap((w) => comment('python', w))}
              kept = ${py(s.parts.kept)}
              for target_id in TARGETS:
                  conversations[target_id].append(
                      {"role": "user", "content": [content[i] for i in kept[target_id]]}
                  )
            `
            : code`
              prompt = ${py(s.text)}
              for target_id in TARGETS:
                  conversations[target_id].append({"role": "user", "content": [{"text": prompt}]})
            `
        }
            ${
              s.scriptedBy === undefined
                ? code`
                  answer = ask(target_id)
                  conversations[target_id].append({"role": "assistant", "content": [{"text": answer}]})
                `
                : code`
                  # The assistant cell "${s.scriptedBy}" below stands in for this answer.
                  ask(target_id)
                `
            }
      `;
    case 'assistant':
      return code`
        ${head}
        # A scripted answer: every target sees it as its own earlier answer.
        answer = ${py(s.text)}
        for target_id in TARGETS:
            conversations[target_id].append({"role": "assistant", "content": [{"text": answer}]})
      `;
    case 'native':
      return code`
        ${head}
        # A native request body for ${s.modelName ?? 'this model'}, sent exactly as written.
        body = ${py(s.body)}
        run_native(${string(s.label)}, ${string(s.modelId)}, ${string(s.family)}, body)
      `;
    default:
      return unreachable(s);
  }
}
