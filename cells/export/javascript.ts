/** The SDK v3 ES module for one request: the template, and the pieces the notebook export shares. */
import type { ModelFamily } from '../models/catalog.ts';
import { unreachable } from '../unreachable.ts';
import { comment, fileConstants, js, PHRASES } from './phrases.ts';
import { code, file } from './template.ts';
import type { Code } from './template.ts';
import { headline } from './types.ts';
import type { ConverseCall, InvokeCall, ProgramFile, RequestProgram } from './types.ts';

const { string } = PHRASES.javascript;

export function javascriptProgram(p: RequestProgram): string {
  const { call } = p;
  const command = PHRASES.javascript.call[p.operation];
  return file(code`
    ${comment('javascript', headline(p))}
    // Run it as an ES module (e.g. saved as a .mjs file) with @aws-sdk/client-bedrock-runtime
    // installed.

    ${jsImports([command], p.profile, p.files)}

    ${fileConstants('javascript', p.files)}
    ${jsClient(p.region, p.profile)}

    // Set the model ID, e.g., ${p.modelName}.
    const modelId = ${string(p.modelId)};

    ${call.api === 'converse' ? converse(p, call, command) : invoke(p, call, command)}
    } catch (err) {
      console.log(\`ERROR: Can't invoke '\${modelId}'. Reason: \${err}\`);
      process.exit(1);
    }
  `);
}

/**
 * The import of the client and `commands`, plus fromIni when a profile is named and readFileSync
 * when the program reads files.
 */
export function jsImports(
  commands: string[],
  profile: string | undefined,
  files: readonly ProgramFile[],
): Code {
  return code`
    ${files.length > 0 && 'import { readFileSync } from "node:fs";'}
    import {
      BedrockRuntimeClient,
      ${commands.map((c) => `${c},`)}
    } from "@aws-sdk/client-bedrock-runtime";
    ${profile !== undefined && 'import { fromIni } from "@aws-sdk/credential-providers";'}
  `;
}

/** Creates `client`: with the default credential chain, or the named profile. */
export function jsClient(region: string, profile: string | undefined): Code {
  if (profile !== undefined) {
    return code`
      // Create a Bedrock Runtime client in the AWS Region you want to use, with the credentials
      // of a named profile from ~/.aws/config (never put access keys in code).
      const client = new BedrockRuntimeClient({
        region: ${string(region)},
        credentials: fromIni({ profile: ${string(profile)} }),
      });
    `;
  }
  return code`
    // Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
    // through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
    // named profile, pass \`credentials: fromIni({ profile: "my-profile" })\` from
    // "@aws-sdk/credential-providers".
    const client = new BedrockRuntimeClient({ region: ${string(region)} });
  `;
}

function converse(p: RequestProgram, call: ConverseCall, command: string): Code {
  return code`
    ${
      call.system &&
      code`
      // The system prompt.
      const system = ${js(call.system)};

    `
    }
    // The conversation, ending with the user message.
    const conversation = ${js(call.messages)};

    // Create a command with the model ID, the conversation and the inference parameters.
    const command = new ${command}({
      modelId,
      messages: conversation,
      ${call.system && 'system,'}
      ${call.inferenceConfig && code`inferenceConfig: ${js(call.inferenceConfig)},`}
      ${call.additionalModelRequestFields && code`additionalModelRequestFields: ${js(call.additionalModelRequestFields)},`}
    });

    try {
      // Send the command to the model and wait for the response.
      const response = await client.send(command);

      ${p.streaming ? converseStreamLoop : converseAnswer}
  `;
}

const converseStreamLoop = code`
  // Print the answer as it arrives, then the token usage and latency.
  for await (const event of response.stream) {
    if (event.contentBlockDelta) {
      process.stdout.write(event.contentBlockDelta.delta?.text ?? "");
    } else if (event.metadata) {
      const { usage, metrics } = event.metadata;
      console.log(\`\n\nInput tokens: \${usage?.inputTokens}, output tokens: \${usage?.outputTokens}\`);
      console.log(\`Latency: \${metrics?.latencyMs} ms\`);
    }
  }
`;

const converseAnswer = code`
  // Print the answer, then the token usage and latency.
  console.log(response.output.message.content[0].text);
  console.log(\`\nInput tokens: \${response.usage.inputTokens}, output tokens: \${response.usage.outputTokens}\`);
  console.log(\`Latency: \${response.metrics.latencyMs} ms\`);
`;

function invoke(p: RequestProgram, call: InvokeCall, command: string): Code {
  return code`
    // Format the request payload using the model's native structure.
    const nativeRequest = ${js(call.body)};

    // Create a command with the model ID and the encoded request.
    const command = new ${command}({
      modelId,
      contentType: "application/json",
      body: JSON.stringify(nativeRequest),
    });

    try {
      // Send the command to the model and wait for the response.
      const response = await client.send(command);

      ${p.streaming ? invokeStreamLoop(call.family) : invokeAnswer(call.family)}
  `;
}

function invokeStreamLoop(family: ModelFamily): Code {
  return code`
    // Print the answer as it arrives; Bedrock adds the token usage and latency to the last
    // chunk.
    for await (const event of response.body) {
      const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));
      ${jsNativeChunkText(family, code`process.stdout.write(text);`)}
      const metrics = chunk["amazon-bedrock-invocationMetrics"];
      if (metrics) {
        console.log(\`\n\nInput tokens: \${metrics.inputTokenCount}, output tokens: \${metrics.outputTokenCount}\`);
        console.log(\`Latency: \${metrics.invocationLatency} ms\`);
      }
    }
  `;
}

function invokeAnswer(family: ModelFamily): Code {
  return code`
    // Decode the response body and print the answer, then the token usage.
    const modelResponse = JSON.parse(new TextDecoder().decode(response.body));
    ${jsNativeResponse(family)}
    console.log(text);
    console.log(\`\nInput tokens: \${inputTokens}, output tokens: \${outputTokens}\`);
  `;
}

/** Declares `text` from one decoded native stream `chunk` when it carries some, then runs `sink`. */
export function jsNativeChunkText(family: ModelFamily, sink: Code): Code {
  switch (family) {
    case 'claude':
      return code`
        if (chunk.type === "content_block_delta") {
          const text = chunk.delta?.text ?? "";
          ${sink}
        }
      `;
    case 'llama2':
    case 'llama3':
      return code`
        if (chunk.generation) {
          const text = chunk.generation;
          ${sink}
        }
      `;
    default:
      return unreachable(family);
  }
}

/** Declares `text`, `inputTokens` and `outputTokens` from a whole native `modelResponse`. */
export function jsNativeResponse(family: ModelFamily): Code {
  switch (family) {
    case 'claude':
      return code`
        const text = modelResponse.content.map((block) => block.text ?? "").join("");
        const inputTokens = modelResponse.usage.input_tokens;
        const outputTokens = modelResponse.usage.output_tokens;
      `;
    case 'llama2':
    case 'llama3':
      return code`
        const text = modelResponse.generation;
        const inputTokens = modelResponse.prompt_token_count;
        const outputTokens = modelResponse.generation_token_count;
      `;
    default:
      return unreachable(family);
  }
}
