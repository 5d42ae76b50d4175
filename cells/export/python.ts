import type { CompiledRequest } from '../request.ts';
import { unreachable } from '../unreachable.ts';
import { layoutValue } from './layout.ts';
import type { ValueStyle } from './layout.ts';
import { pythonString } from './literals.ts';
import { headline, modelFacts, nativeFamily } from './types.ts';
import type { ExportOptions } from './types.ts';
import type { ModelFamily } from '../models/catalog.ts';

/** Python values: dicts and lists as `json.dumps` would show them, with Python's constants. */
export const pythonStyle: ValueStyle = {
  string: pythonString,
  key: pythonString,
  null: 'None',
  true: 'True',
  false: 'False',
  bracePadding: '',
  joinLines: (literals, indent, step) =>
    `(\n${literals.map((l) => indent + step + l).join('\n')}\n${indent})`,
  trailingComma: true,
};

/** A Python expression for a JSON value, laid out from column `indent`. */
export function pyValue(value: unknown, indent = '', prefixWidth = 0): string {
  return layoutValue(value, pythonStyle, indent, '    ', prefixWidth);
}

/** The lines that create the client: default credential chain, or the named profile. */
export function pythonClient(region: string, profile: string | undefined): string[] {
  if (profile !== undefined) {
    return [
      '# Create a Bedrock Runtime client in the AWS Region you want to use, with the credentials',
      '# of a named profile from ~/.aws/config (never put access keys in code).',
      `session = boto3.Session(profile_name=${pythonString(profile)})`,
      `client = session.client("bedrock-runtime", region_name=${pythonString(region)})`,
    ];
  }
  return [
    '# Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials',
    '# through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a',
    '# named profile, create it with boto3.Session(profile_name="my-profile").client(...).',
    `client = boto3.client("bedrock-runtime", region_name=${pythonString(region)})`,
  ];
}

/** Lines printing usage and latency; `inputTokens`, `outputTokens`, `latency` are expressions. */
function pyUsage(
  indent: string,
  afterText: 'streamed' | 'printed',
  input: string,
  output: string,
  latency?: string,
): string[] {
  const lines = [
    // A blank line after the answer; print(text) has already ended its line.
    afterText === 'streamed' ? `${indent}print("\\n")` : `${indent}print()`,
    `${indent}print(f"Input tokens: {${input}}, output tokens: {${output}}")`,
  ];
  if (latency !== undefined) lines.push(`${indent}print(f"Latency: {${latency}} ms")`);
  return lines;
}

/** The loop body that prints the text of one native stream chunk, per family. */
export function pyNativeChunkText(family: ModelFamily, indent: string, sink: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}if chunk.get("type") == "content_block_delta":`,
        `${indent}    text = chunk["delta"].get("text", "")`,
        `${indent}    ${sink}`,
      ];
    case 'llama2':
    case 'llama3':
      return [
        `${indent}if chunk.get("generation"):`,
        `${indent}    text = chunk["generation"]`,
        `${indent}    ${sink}`,
      ];
    default:
      return unreachable(family);
  }
}

/** Lines reading the text and usage of a non-streaming native response, per family. */
export function pyNativeResponse(family: ModelFamily, indent: string): string[] {
  switch (family) {
    case 'claude':
      return [
        `${indent}text = "".join(block.get("text", "") for block in model_response["content"])`,
        `${indent}usage = model_response["usage"]`,
        `${indent}input_tokens, output_tokens = usage["input_tokens"], usage["output_tokens"]`,
      ];
    case 'llama2':
    case 'llama3':
      return [
        `${indent}text = model_response["generation"]`,
        `${indent}input_tokens = model_response["prompt_token_count"]`,
        `${indent}output_tokens = model_response["generation_token_count"]`,
      ];
    default:
      return unreachable(family);
  }
}

const ERROR_HANDLER = [
  'except (ClientError, Exception) as e:',
  `    print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")`,
  '    exit(1)',
];

/** A complete boto3 program for one request. */
export function exportPython(request: CompiledRequest, options: ExportOptions): string {
  const { name } = modelFacts(request.modelId);
  const lines = [...headline(request, options.streaming, '#'), ''];
  if (request.api === 'invoke') lines.push('import json', '');
  lines.push('import boto3', 'from botocore.exceptions import ClientError', '');
  lines.push(...pythonClient(options.region, options.profile), '');
  lines.push(
    `# Set the model ID, e.g., ${name}.`,
    `model_id = ${pythonString(request.modelId)}`,
    '',
  );

  switch (request.api) {
    case 'converse': {
      const { input } = request;
      const args = ['modelId=model_id', 'messages=conversation'];
      if (input.system) {
        lines.push('# The system prompt.', `system = ${pyValue(input.system, '', 9)}`, '');
        args.push('system=system');
      }
      lines.push(
        '# The conversation, ending with the user message.',
        `conversation = ${pyValue(input.messages, '', 15)}`,
        '',
      );
      if (input.inferenceConfig) {
        lines.push(
          '# The inference parameters.',
          `inference_config = ${pyValue(input.inferenceConfig, '', 19)}`,
          '',
        );
        args.push('inferenceConfig=inference_config');
      }
      if (input.additionalModelRequestFields) {
        lines.push(
          '# Parameters of this model that Converse has no field for, passed to it as they are.',
          `additional_model_request_fields = ${pyValue(input.additionalModelRequestFields, '', 34)}`,
          '',
        );
        args.push('additionalModelRequestFields=additional_model_request_fields');
      }
      const call = options.streaming ? 'converse_stream' : 'converse';
      lines.push(
        'try:',
        '    # Send the conversation to the model.',
        `    response = client.${call}(`,
        ...args.map((a) => `        ${a},`),
        '    )',
        '',
      );
      if (options.streaming) {
        lines.push(
          '    # Print the answer as it arrives, then the token usage and latency.',
          '    for event in response["stream"]:',
          '        if "contentBlockDelta" in event:',
          '            print(event["contentBlockDelta"]["delta"].get("text", ""), end="", flush=True)',
          '        elif "metadata" in event:',
          '            usage = event["metadata"]["usage"]',
          '            latency_ms = event["metadata"]["metrics"]["latencyMs"]',
          ...pyUsage(
            '            ',
            'streamed',
            "usage['inputTokens']",
            "usage['outputTokens']",
            'latency_ms',
          ),
        );
      } else {
        lines.push(
          '    # Print the answer, then the token usage and latency.',
          '    print(response["output"]["message"]["content"][0]["text"])',
          '    usage = response["usage"]',
          ...pyUsage(
            '    ',
            'printed',
            "usage['inputTokens']",
            "usage['outputTokens']",
            "response['metrics']['latencyMs']",
          ),
        );
      }
      break;
    }
    case 'invoke': {
      const family = nativeFamily(request);
      lines.push(
        "# Format the request payload using the model's native structure.",
        `native_request = ${pyValue(request.body, '', 17)}`,
        '',
        'try:',
        '    # Encode and send the request.',
      );
      if (options.streaming) {
        lines.push(
          '    response = client.invoke_model_with_response_stream(',
          '        modelId=model_id,',
          '        body=json.dumps(native_request),',
          '    )',
          '',
          '    # Print the answer as it arrives; Bedrock adds the token usage and latency to the',
          '    # last chunk.',
          '    for event in response["body"]:',
          '        chunk = json.loads(event["chunk"]["bytes"])',
          ...pyNativeChunkText(family, '        ', 'print(text, end="", flush=True)'),
          '        metrics = chunk.get("amazon-bedrock-invocationMetrics")',
          '        if metrics:',
          ...pyUsage(
            '            ',
            'streamed',
            "metrics['inputTokenCount']",
            "metrics['outputTokenCount']",
            "metrics['invocationLatency']",
          ),
        );
      } else {
        lines.push(
          '    response = client.invoke_model(',
          '        modelId=model_id,',
          '        body=json.dumps(native_request),',
          '    )',
          '',
          '    # Decode the response body and print the answer, then the token usage.',
          '    model_response = json.loads(response["body"].read())',
          ...pyNativeResponse(family, '    '),
          '    print(text)',
          ...pyUsage('    ', 'printed', 'input_tokens', 'output_tokens'),
        );
      }
      break;
    }
    default:
      return unreachable(request);
  }
  lines.push('', ...ERROR_HANDLER);
  return `${lines.join('\n')}\n`;
}
