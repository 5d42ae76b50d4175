import type { CompiledRequest } from '../request.ts';
import { unreachable } from '../unreachable.ts';
import { readableJson, shellQuote, shellWord } from './literals.ts';
import { headline, nativeFamily, wrapComment } from './types.ts';
import type { ExportOptions } from './types.ts';

/** Where `invoke-model` writes the answer (the CLI writes response bodies to a file). */
export const CLI_OUTPUT_FILE = 'invoke-model-output.json';

/** A JSON argument in single quotes: pretty JSON, readable and safe from the shell. */
function jsonArg(value: unknown): string {
  return shellQuote(readableJson(value, 2));
}

/**
 * A bash script calling the AWS CLI. The CLI has no streaming form of these operations, so
 * `streaming` only changes the explanatory comment: the script always makes the non-streaming
 * call. Converse prints the whole JSON response (answer, stop reason, usage, latency);
 * InvokeModel writes the native response body to a file, which the script then prints.
 */
export function exportCli(request: CompiledRequest, options: ExportOptions): string {
  const lines = ['#!/usr/bin/env bash', ...headline(request, false, '#')];
  if (options.streaming) {
    lines.push(
      ...wrapComment(
        'The AWS CLI has no streaming form of ConverseStream or InvokeModelWithResponseStream, so this is the non-streaming call: the answer arrives all at once.',
        '#',
      ),
    );
  }
  lines.push(
    ...wrapComment(
      options.profile === undefined
        ? 'The CLI finds credentials through the default chain (environment, ~/.aws, SSO, instance role); add --profile my-profile to use a named profile.'
        : 'It uses the credentials of a named profile from ~/.aws/config (never put access keys in a script).',
      '#',
    ),
    'set -euo pipefail',
    '',
  );
  const common = [`  --region ${shellWord(options.region)}`];
  if (options.profile !== undefined) common.push(`  --profile ${shellWord(options.profile)}`);
  common.push(`  --model-id ${shellWord(request.modelId)}`);

  switch (request.api) {
    case 'converse': {
      const { input } = request;
      const args = [...common, `  --messages ${jsonArg(input.messages)}`];
      if (input.system) args.push(`  --system ${jsonArg(input.system)}`);
      if (input.inferenceConfig)
        args.push(`  --inference-config ${jsonArg(input.inferenceConfig)}`);
      if (input.additionalModelRequestFields) {
        args.push(
          `  --additional-model-request-fields ${jsonArg(input.additionalModelRequestFields)}`,
        );
      }
      args.push('  --output json');
      lines.push(
        '# Send the conversation; the answer is in output.message.content, with usage and latency.',
        'aws bedrock-runtime converse \\',
        args.join(' \\\n'),
      );
      break;
    }
    case 'invoke': {
      const family = nativeFamily(request);
      const field =
        family === 'claude'
          ? 'content[0].text'
          : family === 'llama2' || family === 'llama3'
            ? 'generation'
            : unreachable(family);
      lines.push(
        `# Send the native request body; the CLI writes the response body to ${CLI_OUTPUT_FILE}.`,
        'aws bedrock-runtime invoke-model \\',
        [
          ...common,
          '  --content-type application/json',
          '  --cli-binary-format raw-in-base64-out',
          `  --body ${jsonArg(request.body)}`,
          `  ${CLI_OUTPUT_FILE}`,
        ].join(' \\\n'),
        '',
        `# The answer is in the "${field}" field, the token usage beside it.`,
        `cat ${CLI_OUTPUT_FILE}`,
        'echo',
      );
      break;
    }
    default:
      return unreachable(request);
  }
  return `${lines.join('\n')}\n`;
}
