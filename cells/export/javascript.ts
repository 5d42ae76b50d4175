import type { ModelFamily } from '../models/catalog.ts';
import type { CompiledRequest } from '../request.ts';
import { unreachable } from '../unreachable.ts';
import { layoutValue } from './layout.ts';
import type { ValueStyle } from './layout.ts';
import { jsString } from './literals.ts';
import { headline, modelFacts, nativeFamily } from './types.ts';
import type { ExportOptions } from './types.ts';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** JavaScript values as Prettier would lay them out. */
export const jsStyle: ValueStyle = {
  string: jsString,
  key: (key) => (IDENTIFIER.test(key) ? key : jsString(key)),
  null: 'null',
  true: 'true',
  false: 'false',
  bracePadding: ' ',
  joinLines: (literals, indent, step) => literals.join(` +\n${indent}${step}`),
  trailingComma: true,
};

/** A JavaScript expression for a JSON value, laid out from column `indent`. */
export function jsValue(value: unknown, indent = '', prefixWidth = 0): string {
  return layoutValue(value, jsStyle, indent, '  ', prefixWidth);
}

/** The lines that create the client: default credential chain, or the named profile. */
export function jsClient(region: string, profile: string | undefined): string[] {
  if (profile !== undefined) {
    return [
      '// Create a Bedrock Runtime client in the AWS Region you want to use, with the credentials',
      '// of a named profile from ~/.aws/config (never put access keys in code).',
      'const client = new BedrockRuntimeClient({',
      `  region: ${jsString(region)},`,
      `  credentials: fromIni({ profile: ${jsString(profile)} }),`,
      '});',
    ];
  }
  return [
    '// Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials',
    '// through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a',
    '// named profile, pass `credentials: fromIni({ profile: "my-profile" })` from',
    '// "@aws-sdk/credential-providers".',
    `const client = new BedrockRuntimeClient({ region: ${jsString(region)} });`,
  ];
}

/** The import lines for the commands used, plus fromIni when a profile is named. */
export function jsImports(commands: string[], profile: string | undefined): string[] {
  const lines = [
    'import {',
    '  BedrockRuntimeClient,',
    ...commands.map((c) => `  ${c},`),
    '} from "@aws-sdk/client-bedrock-runtime";',
  ];
  if (profile !== undefined) lines.push('import { fromIni } from "@aws-sdk/credential-providers";');
  return lines;
}

function jsUsage(
  indent: string,
  afterText: 'streamed' | 'printed',
  input: string,
  output: string,
  latency?: string,
): string[] {
  // A blank line after the answer; console.log(text) has already ended its line.
  const gap = afterText === 'streamed' ? '\\n\\n' : '\\n';
  const lines = [
    `${indent}console.log(\`${gap}Input tokens: \${${input}}, output tokens: \${${output}}\`);`,
  ];
  if (latency !== undefined) lines.push(`${indent}console.log(\`Latency: \${${latency}} ms\`);`);
  return lines;
}

/** The statements that print the text of one decoded native stream chunk, per family. */
export function jsNativeChunkText(family: ModelFamily, indent: string, sink: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}if (chunk.type === "content_block_delta") {`,
        `${indent}  const text = chunk.delta?.text ?? "";`,
        `${indent}  ${sink}`,
        `${indent}}`,
      ];
    case 'llama2':
    case 'llama3':
      return [
        `${indent}if (chunk.generation) {`,
        `${indent}  const text = chunk.generation;`,
        `${indent}  ${sink}`,
        `${indent}}`,
      ];
    default:
      return unreachable(family);
  }
}

/** Statements declaring `text`, `inputTokens`, `outputTokens` from `modelResponse`, per family. */
export function jsNativeResponse(family: ModelFamily, indent: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}const text = modelResponse.content.map((block) => block.text ?? "").join("");`,
        `${indent}const inputTokens = modelResponse.usage.input_tokens;`,
        `${indent}const outputTokens = modelResponse.usage.output_tokens;`,
      ];
    case 'llama2':
    case 'llama3':
      return [
        `${indent}const text = modelResponse.generation;`,
        `${indent}const inputTokens = modelResponse.prompt_token_count;`,
        `${indent}const outputTokens = modelResponse.generation_token_count;`,
      ];
    default:
      return unreachable(family);
  }
}

/** A complete ES module (run it as `.mjs`) using the AWS SDK for JavaScript v3. */
export function exportJavaScript(request: CompiledRequest, options: ExportOptions): string {
  const { name } = modelFacts(request.modelId);
  const command =
    request.api === 'converse'
      ? options.streaming
        ? 'ConverseStreamCommand'
        : 'ConverseCommand'
      : options.streaming
        ? 'InvokeModelWithResponseStreamCommand'
        : 'InvokeModelCommand';
  const lines = [
    ...headline(request, options.streaming, '//'),
    '// Run it as an ES module (e.g. saved as a .mjs file) with @aws-sdk/client-bedrock-runtime',
    '// installed.',
    '',
    ...jsImports([command], options.profile),
    '',
    ...jsClient(options.region, options.profile),
    '',
    `// Set the model ID, e.g., ${name}.`,
    `const modelId = ${jsString(request.modelId)};`,
    '',
  ];

  switch (request.api) {
    case 'converse': {
      const { input } = request;
      const fields = ['  modelId,', '  messages: conversation,'];
      if (input.system) {
        lines.push('// The system prompt.', `const system = ${jsValue(input.system, '', 15)};`, '');
        fields.push('  system,');
      }
      lines.push(
        '// The conversation, ending with the user message.',
        `const conversation = ${jsValue(input.messages, '', 21)};`,
        '',
      );
      if (input.inferenceConfig) {
        fields.push(`  inferenceConfig: ${jsValue(input.inferenceConfig, '  ', 17)},`);
      }
      if (input.additionalModelRequestFields) {
        // Converse has no field for these model parameters; the model receives them as they are.
        fields.push(
          `  additionalModelRequestFields: ${jsValue(input.additionalModelRequestFields, '  ', 30)},`,
        );
      }
      lines.push(
        '// Create a command with the model ID, the conversation and the inference parameters.',
        `const command = new ${command}({`,
        ...fields,
        '});',
        '',
        'try {',
        '  // Send the command to the model and wait for the response.',
        '  const response = await client.send(command);',
        '',
      );
      if (options.streaming) {
        lines.push(
          '  // Print the answer as it arrives, then the token usage and latency.',
          '  for await (const event of response.stream) {',
          '    if (event.contentBlockDelta) {',
          '      process.stdout.write(event.contentBlockDelta.delta?.text ?? "");',
          '    } else if (event.metadata) {',
          '      const { usage, metrics } = event.metadata;',
          ...jsUsage(
            '      ',
            'streamed',
            'usage?.inputTokens',
            'usage?.outputTokens',
            'metrics?.latencyMs',
          ),
          '    }',
          '  }',
        );
      } else {
        lines.push(
          '  // Print the answer, then the token usage and latency.',
          '  console.log(response.output.message.content[0].text);',
          ...jsUsage(
            '  ',
            'printed',
            'response.usage.inputTokens',
            'response.usage.outputTokens',
            'response.metrics.latencyMs',
          ),
        );
      }
      break;
    }
    case 'invoke': {
      const family = nativeFamily(request);
      lines.push(
        "// Format the request payload using the model's native structure.",
        `const nativeRequest = ${jsValue(request.body, '', 22)};`,
        '',
        '// Create a command with the model ID and the encoded request.',
        `const command = new ${command}({`,
        '  modelId,',
        '  contentType: "application/json",',
        '  body: JSON.stringify(nativeRequest),',
        '});',
        '',
        'try {',
        '  // Send the command to the model and wait for the response.',
        '  const response = await client.send(command);',
        '',
      );
      if (options.streaming) {
        lines.push(
          '  // Print the answer as it arrives; Bedrock adds the token usage and latency to the last',
          '  // chunk.',
          '  for await (const event of response.body) {',
          '    const chunk = JSON.parse(new TextDecoder().decode(event.chunk?.bytes));',
          ...jsNativeChunkText(family, '    ', 'process.stdout.write(text);'),
          '    const metrics = chunk["amazon-bedrock-invocationMetrics"];',
          '    if (metrics) {',
          ...jsUsage(
            '      ',
            'streamed',
            'metrics.inputTokenCount',
            'metrics.outputTokenCount',
            'metrics.invocationLatency',
          ),
          '    }',
          '  }',
        );
      } else {
        lines.push(
          '  // Decode the response body and print the answer, then the token usage.',
          '  const modelResponse = JSON.parse(new TextDecoder().decode(response.body));',
          ...jsNativeResponse(family, '  '),
          '  console.log(text);',
          '  console.log(`\\nInput tokens: ${inputTokens}, output tokens: ${outputTokens}`);',
        );
      }
      break;
    }
    default:
      return unreachable(request);
  }
  lines.push(
    '} catch (err) {',
    "  console.log(`ERROR: Can't invoke '${modelId}'. Reason: ${err}`);",
    '  process.exit(1);',
    '}',
  );
  return `${lines.join('\n')}\n`;
}
