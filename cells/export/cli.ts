/**
 * The bash script for one request, calling the AWS CLI. The CLI has no streaming form of these
 * operations, so `streaming` only adds a comment saying so: the script always makes the plain
 * call. Converse prints the whole JSON response (answer, stop reason, usage, latency);
 * InvokeModel writes the native response body to a file, which the script then prints.
 */
import { unreachable } from '../unreachable.ts';
import { readableJson, shellQuote, shellWord } from './literals.ts';
import { comment, fileConstants, PHRASES } from './phrases.ts';
import { code, file, join } from './template.ts';
import type { Code } from './template.ts';
import { ExportError, headline } from './types.ts';
import type { ConverseCall, InvokeCall, RequestProgram } from './types.ts';

/** Where `invoke-model` writes the answer (the CLI writes response bodies to a file). */
export const CLI_OUTPUT_FILE = 'invoke-model-output.json';

export function cliProgram(p: RequestProgram): string {
  const { call } = p;
  const credentials =
    p.profile === undefined
      ? 'The CLI finds credentials through the default chain (environment, ~/.aws, SSO, instance role); add --profile my-profile to use a named profile.'
      : 'It uses the credentials of a named profile from ~/.aws/config (never put access keys in a script).';
  const common = [
    `--region ${shellWord(p.region)}`,
    p.profile !== undefined && `--profile ${shellWord(p.profile)}`,
    `--model-id ${shellWord(p.modelId)}`,
  ].filter((arg) => arg !== false);
  return file(code`
    #!/usr/bin/env bash
    ${comment('cli', headline(p, false))}
    ${p.streaming && comment('cli', 'The AWS CLI has no streaming form of ConverseStream or InvokeModelWithResponseStream, so this is the non-streaming call: the answer arrives all at once.')}
    ${comment('cli', credentials)}
    set -euo pipefail

    ${fileConstants('cli', p.files)}
    ${call.api === 'converse' ? converse(p, call, common) : invoke(p, call, common)}
  `);
}

/** A JSON argument in single quotes: pretty JSON, readable and safe from the shell. */
function json(value: unknown): string {
  return shellQuote(readableJson(value, 2));
}

/** The arguments of one call, one per line, joined with backslash-newlines. */
function args(list: (string | false | undefined)[]): Code {
  return join(
    list.filter((arg) => typeof arg === 'string').map((arg) => `  ${arg}`),
    ' \\',
  );
}

function converse(p: RequestProgram, call: ConverseCall, common: string[]): Code {
  if (call.messages.some((m) => m.content.some((block) => !('text' in block)))) {
    throw new ExportError(
      'The AWS CLI export cannot send images or documents yet: export this cell to Python, JavaScript, Java or C#.',
    );
  }
  return code`
    # Send the conversation; the answer is in output.message.content, with usage and latency.
    aws bedrock-runtime ${PHRASES.cli.call[p.operation]} \
    ${args([
      ...common,
      `--messages ${json(call.messages)}`,
      call.system && `--system ${json(call.system)}`,
      call.inferenceConfig && `--inference-config ${json(call.inferenceConfig)}`,
      call.additionalModelRequestFields &&
        `--additional-model-request-fields ${json(call.additionalModelRequestFields)}`,
      '--output json',
    ])}
  `;
}

function invoke(p: RequestProgram, call: InvokeCall, common: string[]): Code {
  const field =
    call.family === 'claude'
      ? 'content[0].text'
      : call.family === 'llama2' || call.family === 'llama3'
        ? 'generation'
        : unreachable(call.family);
  return code`
    # Send the native request body; the CLI writes the response body to ${CLI_OUTPUT_FILE}.
    aws bedrock-runtime ${PHRASES.cli.call[p.operation]} \
    ${args([
      ...common,
      '--content-type application/json',
      '--cli-binary-format raw-in-base64-out',
      `--body ${json(call.body)}`,
      CLI_OUTPUT_FILE,
    ])}

    # The answer is in the "${field}" field, the token usage beside it.
    cat ${CLI_OUTPUT_FILE}
    echo
  `;
}
