/** The whole-notebook JavaScript program (one ES module): the template. */
import type { ModelFamily } from '../models/catalog.ts';
import { unreachable } from '../unreachable.ts';
import { jsClient, jsImports, jsNativeChunkText, jsNativeResponse } from './javascript.ts';
import type { NotebookProgram, NotebookStep } from './notebook.ts';
import {
  contextFunction,
  dataCell,
  fillFunction,
  gridPrompt,
  newConversation,
} from './notebook-javascript-grid.ts';
import { hasParts } from './notebook.ts';
import { comment, commentLines, fileConstants, js, PHRASES } from './phrases.ts';
import { code, file } from './template.ts';
import type { Code } from './template.ts';
import { ExportError, operationOf } from './types.ts';

const { string } = PHRASES.javascript;

export function javascriptNotebook(p: NotebookProgram): string {
  const call = PHRASES.javascript.call;
  const commands = [
    p.converse && call[operationOf('converse', p.streaming)],
    p.families.length > 0 && call[operationOf('invoke', p.streaming)],
  ].filter((c) => c !== false);
  const targets = Object.fromEntries(
    p.targets.map((t) => [
      t.id,
      {
        label: t.label,
        modelId: t.modelId,
        api: t.api,
        ...(t.native && { family: t.native.family, maxTokensLimit: t.native.maxTokensLimit }),
        ...(t.overrides?.system !== undefined && { system: t.overrides.system }),
        ...(t.overrides?.inferenceConfig && { inferenceConfig: t.overrides.inferenceConfig }),
      },
    ]),
  );
  const dataFiles = p.steps.flatMap((s) =>
    s.kind === 'data' && 'file' in s.cases ? [s.cases] : [],
  );
  const csv = dataFiles.find((cases) => cases.format === 'csv');
  if (csv) {
    throw new ExportError(
      `The JavaScript export reads test cases from JSON lines only: ${csv.file} is CSV. Export as Python, or put the test cases in the data cell.`,
    );
  }
  const has = (family: ModelFamily) => p.families.includes(family);
  const calls = p.converse || p.families.length > 0;
  const parts = hasParts(p);
  return file(code`
    ${commentLines(`${p.title}: exported from Bedrock Playground.`, '//')}
    // The cells run in order. Each target keeps its own conversation, so later prompts see that
    // model's own earlier answers, as in the playground. Run it as an ES module (a .mjs file).

    ${jsImports(commands, p.profile, p.files)}
    ${dataFiles.length > 0 && p.files.length === 0 && 'import { readFileSync } from "node:fs";'}

    ${fileConstants('javascript', p.files)}
    ${jsClient(p.region, p.profile)}

    // The models this notebook compares.
    const TARGETS = ${js(targets)};

    // One conversation per target, and the context that system and config cells set.
    let conversations = Object.fromEntries(Object.keys(TARGETS).map((id) => [id, []]));
    let system;
    let inferenceConfig = {};
    let additionalFields = {};
    ${p.converse && sendConverse(p.streaming)}
    ${p.families.length > 0 && sendNative(p.streaming, p.families)}
    ${has('claude') && claudeBody(parts)}
    ${(has('llama2') || has('llama3')) && llamaBody}
    ${(has('llama2') || has('llama3')) && parts && textOf}
    ${has('llama2') && llama2Prompt(parts)}
    ${has('llama3') && llama3Prompt(parts)}
    ${p.grid.cases && fillFunction}
    ${(p.grid.cases || p.grid.variants) && contextFunction(p.grid.cases)}
    ${calls && ask(p)}
    ${calls && p.families.length > 0 && runNative}
    ${p.steps.map(cell)}
  `);
}

function sendConverse(streaming: boolean): Code {
  return code`

    /** Sends a conversation through ${streaming ? 'ConverseStream' : 'Converse'}; prints the answer and returns its text. */
    async function sendConverse(modelId, messages, system, inferenceConfig, fields) {
      const input = { modelId, messages };
      if (system) input.system = [{ text: system }];
      if (Object.keys(inferenceConfig).length) input.inferenceConfig = inferenceConfig;
      if (Object.keys(fields).length) input.additionalModelRequestFields = fields;
      ${streaming ? converseStreamLoop : converseAnswer}
    }
  `;
}

const converseStreamLoop = code`
  const response = await client.send(new ConverseStreamCommand(input));
  let answer = "";
  for await (const event of response.stream) {
    if (event.contentBlockDelta) {
      const text = event.contentBlockDelta.delta?.text ?? "";
      process.stdout.write(text);
      answer += text;
    } else if (event.metadata) {
      const { usage, metrics } = event.metadata;
      console.log();
      console.log(\`\nInput tokens: \${usage?.inputTokens}, output tokens: \${usage?.outputTokens}\`);
      console.log(\`Latency: \${metrics?.latencyMs} ms\`);
    }
  }
  return answer;
`;

const converseAnswer = code`
  const response = await client.send(new ConverseCommand(input));
  const answer = response.output.message.content.map((block) => block.text ?? "").join("");
  console.log(answer);
  console.log(\`\nInput tokens: \${response.usage.inputTokens}, output tokens: \${response.usage.outputTokens}\`);
  console.log(\`Latency: \${response.metrics.latencyMs} ms\`);
  return answer;
`;

function sendNative(streaming: boolean, families: ModelFamily[]): Code {
  const loop = code`
    const response = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId,
        contentType: "application/json",
        body: JSON.stringify(body),
      }),
    );
    let answer = "";
    for await (const event of response.body) {
      const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
      ${families.map(
        (family) => code`
        if (family === ${string(family)}) {
          ${jsNativeChunkText(
            family,
            code`
            process.stdout.write(text);
            answer += text;
          `,
          )}
        }
      `,
      )}
      const metrics = chunk["amazon-bedrock-invocationMetrics"];
      if (metrics) {
        console.log();
        console.log(\`\nInput tokens: \${metrics.inputTokenCount}, output tokens: \${metrics.outputTokenCount}\`);
        console.log(\`Latency: \${metrics.invocationLatency} ms\`);
      }
    }
    return answer;
  `;
  const answer = code`
    const response = await client.send(
      new InvokeModelCommand({ modelId, contentType: "application/json", body: JSON.stringify(body) }),
    );
    const modelResponse = JSON.parse(new TextDecoder().decode(response.body));
    ${families.map(
      (family) => code`
      if (family === ${string(family)}) {
        ${jsNativeResponse(family)}
        console.log(text);
        console.log(\`\nInput tokens: \${inputTokens}, output tokens: \${outputTokens}\`);
        return text;
      }
    `,
    )}
    throw new Error(\`no reader for the \${family} family\`);
  `;
  return code`

    /** Sends a native body through ${streaming ? 'InvokeModelWithResponseStream' : 'InvokeModel'}; prints the answer and returns its text. */
    async function sendNative(modelId, family, body) {
      ${streaming ? loop : answer}
    }
  `;
}

/** Claude's body builder; with parts, files become base64 sources. */
function claudeBody(parts: boolean): Code {
  return code`

  /** The Claude Messages body for a conversation, built as the playground builds it. */
  function claudeBody(messages, system, inferenceConfig, fields, maxTokensLimit) {
    let maxTokens = inferenceConfig.maxTokens ?? 1024;
    if (maxTokensLimit !== null) maxTokens = Math.min(maxTokens, maxTokensLimit);
    const body = { anthropic_version: "bedrock-2023-05-31", max_tokens: maxTokens };
    if (system) body.system = system;
    ${
      parts
        ? 'body.messages = messages.map((m) => ({ role: m.role, content: m.content.map(claudeBlock) }));'
        : code`
          body.messages = messages.map((m) => ({
            role: m.role,
            content: [{ type: "text", text: m.content[0].text }],
          }));
        `
    }
    if (inferenceConfig.temperature !== undefined) body.temperature = inferenceConfig.temperature;
    if (inferenceConfig.topP !== undefined) body.top_p = inferenceConfig.topP;
    if (inferenceConfig.stopSequences?.length) body.stop_sequences = inferenceConfig.stopSequences;
    for (const [key, value] of Object.entries(fields)) {
      if (!["anthropic_version", "system", "messages"].includes(key)) body[key] = value;
    }
    return body;
  }
  ${parts && claudeBlock}
  `;
}

const claudeBlock = code`

  /** A Converse content block as a Claude Messages block: a file's bytes as a base64 source. */
  function claudeBlock(block) {
    const base64 = (source, mediaType) => ({
      type: "base64",
      media_type: mediaType,
      data: Buffer.from(source.bytes).toString("base64"),
    });
    if (block.image) {
      return { type: "image", source: base64(block.image.source, \`image/\${block.image.format}\`) };
    }
    if (block.document) {
      const source = base64(block.document.source, "application/pdf");
      return { type: "document", title: block.document.name, source };
    }
    return { type: "text", text: block.text };
  }
`;

const textOf = code`

  /** A message's text blocks joined by blank lines, as the playground joins them. */
  function textOf(message) {
    const texts = message.content.flatMap((block) => (block.text === undefined ? [] : [block.text]));
    return texts.join("\n\n");
  }
`;

const llamaBody = code`

  /** The Llama native body: the rendered prompt plus the parameters Llama takes. */
  function llamaBody(prompt, inferenceConfig, fields, maxGenLenLimit) {
    const body = { prompt };
    if (inferenceConfig.maxTokens !== undefined) {
      body.max_gen_len = Math.min(inferenceConfig.maxTokens, maxGenLenLimit);
    }
    if (inferenceConfig.temperature !== undefined) body.temperature = inferenceConfig.temperature;
    if (inferenceConfig.topP !== undefined) body.top_p = inferenceConfig.topP;
    for (const [key, value] of Object.entries(fields)) {
      if (["max_gen_len", "temperature", "top_p"].includes(key)) body[key] = value;
    }
    return body;
  }
`;

function llama2Prompt(parts: boolean): Code {
  const text = parts ? 'textOf(m)' : 'm.content[0].text';
  return code`

  /** Meta's Llama 2 chat template: <<SYS>> in the first [INST], one <s>…</s> per exchange. */
  function llama2Prompt(messages, system) {
    const texts = messages.map((m) => ${text});
    const users = texts.filter((_, i) => i % 2 === 0);
    const answers = texts.filter((_, i) => i % 2 === 1);
    if (system) users[0] = \`<<SYS>>\n\${system}\n<</SYS>>\n\n\${users[0]}\`;
    let prompt = "";
    answers.forEach((answer, i) => {
      prompt += \`<s>[INST] \${users[i].trim()} [/INST] \${answer.trim()} </s>\`;
    });
    return \`\${prompt}<s>[INST] \${users.at(-1).trim()} [/INST]\`;
  }
  `;
}

function llama3Prompt(parts: boolean): Code {
  const text = parts ? 'textOf(m)' : 'm.content[0].text';
  return code`

  /** Meta's Llama 3 template: one header block per message, then an open assistant header. */
  function llama3Prompt(messages, system) {
    const block = (role, text) =>
      \`<|start_header_id|>\${role}<|end_header_id|>\n\n\${text.trim()}<|eot_id|>\`;
    let prompt = "<|begin_of_text|>";
    if (system) prompt += block("system", system);
    for (const m of messages) prompt += block(m.role, ${text});
    return \`\${prompt}<|start_header_id|>assistant<|end_header_id|>\n\n\`;
  }
  `;
}

/** The body each native family sends, from the target's conversation and the context. */
const NATIVE_BODIES: Record<ModelFamily, string> = {
  claude: 'claudeBody(messages, system, inferenceConfig, fields, target.maxTokensLimit)',
  llama2:
    'llamaBody(llama2Prompt(messages, system), inferenceConfig, fields, target.maxTokensLimit)',
  llama3:
    'llamaBody(llama3Prompt(messages, system), inferenceConfig, fields, target.maxTokensLimit)',
};

function ask(p: NotebookProgram): Code {
  const families = (['claude', 'llama2', 'llama3'] as const).filter((f) => p.families.includes(f));
  return code`

    /** Sends one target its conversation with the current context; returns the answer. */
    async function ask(targetId${p.grid.cases ? ', testCase' : ''}) {
      const target = TARGETS[targetId];
      ${(p.grid.cases || p.grid.variants) && `const [system, inferenceConfig] = contextOf(target${p.grid.cases ? ', testCase' : ''});`}
      const messages = conversations[targetId];
      const fields = additionalFields[targetId] ?? {};
      console.log(\`\n--- \${target.label} ---\`);
      try {
        ${
          p.converse &&
          code`
          if (target.api === "converse") {
            return await sendConverse(target.modelId, messages, system, inferenceConfig, fields);
          }
        `
        }
        ${families.map(
          (family) => code`
          if (target.family === ${string(family)}) {
            return await sendNative(target.modelId, target.family, ${NATIVE_BODIES[family]});
          }
        `,
        )}
        throw new Error(\`no way to call \${target.modelId}\`);
      } catch (err) {
        console.log(\`ERROR: Can't invoke '\${target.modelId}'. Reason: \${err}\`);
        process.exit(1);
      }
    }
  `;
}

const runNative = code`

  /** Sends a native cell's body exactly as written. */
  async function runNative(label, modelId, family, body) {
    console.log(\`\n--- \${label} ---\`);
    try {
      return await sendNative(modelId, family, body);
    } catch (err) {
      console.log(\`ERROR: Can't invoke '\${modelId}'. Reason: \${err}\`);
      process.exit(1);
    }
  }
`;

function cell(s: NotebookStep): Code {
  const head = code`

    // Cell ${s.index + 1}: ${s.kind} "${s.id}"
  `;
  switch (s.kind) {
    case 'markdown':
      return code`
        ${head}
        ${commentLines(s.text, '//')}
      `;
    case 'system':
      return code`
        ${head}
        system = ${s.text.trim() ? js(s.text) : 'undefined'};
      `;
    case 'config':
      return code`
        ${head}
        inferenceConfig = ${js(s.inferenceConfig)};
        additionalFields = ${js(s.extras)};
      `;
    case 'prompt':
      if (s.perCase || s.repeat > 1) return gridPrompt(s, head);
      return code`
        ${head}
        ${s.newThread && newConversation}
        {
          ${
            s.parts
              ? code`
                // The user message: text, images and documents in order, files read now.
                const content = ${js(s.parts.content)};
                ${s.parts.warnings.flatMap((w) => comment('javascript', w))}
                const kept = ${js(s.parts.kept)};
              `
              : code`
                const prompt = ${js(s.text)};
              `
          }
          for (const targetId of Object.keys(TARGETS)) {
            ${
              s.parts
                ? 'conversations[targetId].push({ role: "user", content: kept[targetId].map((i) => content[i]) });'
                : 'conversations[targetId].push({ role: "user", content: [{ text: prompt }] });'
            }
            ${
              s.scriptedBy === undefined
                ? code`
                  const answer = await ask(targetId);
                  conversations[targetId].push({ role: "assistant", content: [{ text: answer }] });
                `
                : code`
                  // The assistant cell "${s.scriptedBy}" below stands in for this answer.
                  await ask(targetId);
                `
            }
          }
        }
      `;
    case 'assistant':
      return code`
        ${head}
        // A scripted answer: every target sees it as its own earlier answer.
        {
          const answer = ${js(s.text)};
          for (const targetId of Object.keys(TARGETS)) {
            conversations[targetId].push({ role: "assistant", content: [{ text: answer }] });
          }
        }
      `;
    case 'data':
      return dataCell(s, head);
    case 'native':
      return code`
        ${head}
        await runNative(${string(s.label)}, ${string(s.modelId)}, ${string(s.family)}, ${js(s.body)});
      `;
    default:
      return unreachable(s);
  }
}
