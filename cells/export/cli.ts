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
import { FileBytes } from './layout.ts';
import { headline } from './types.ts';
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

/** A marker standing for a file's base64 in JSON that the script then splits around. */
const marker = (constant: string) => `@@FILE ${constant}@@`;

/**
 * Shell lines that write `value` as JSON to the file named by the variable `variable`, each
 * attachment's bytes put in as base64 by the `base64` command when the script runs (never
 * pasted into it): the JSON in single-quoted pieces, printed around the encoded files. A file
 * argument, because the base64 of a 4.5 MB document is longer than one argument may be.
 */
function jsonFile(variable: string, value: unknown): Code {
  const text = readableJson(
    JSON.parse(
      JSON.stringify(value, (_, item: unknown) =>
        item instanceof FileBytes ? marker(item.constant) : item,
      ),
    ) as unknown,
    2,
  );
  const pieces = text.split(/"@@FILE ([A-Z0-9_]+)@@"/);
  const lines = pieces.map((piece, i) =>
    i % 2 === 0
      ? `printf '%s' ${shellQuote(`${i > 0 ? '"' : ''}${piece}${i < pieces.length - 1 ? '"' : ''}`)}`
      : `base64 < "$${piece}" | tr -d '\\n'`,
  );
  return code`
    ${variable}=$(mktemp)
    trap 'rm -f "$${variable}"' EXIT
    {
      ${lines}
    } > "$${variable}"
  `;
}

function converse(p: RequestProgram, call: ConverseCall, common: string[]): Code {
  const files = p.files.length > 0;
  return code`
    ${
      files &&
      code`
      # The messages, each file's bytes in base64 (how the CLI takes a blob in JSON), written
      # to a file. This needs AWS CLI v2: version 1 would send the base64 text itself.
      ${jsonFile('MESSAGES_JSON', call.messages)}

    `
    }
    # Send the conversation; the answer is in output.message.content, with usage and latency.
    aws bedrock-runtime ${PHRASES.cli.call[p.operation]} \
    ${args([
      ...common,
      files ? '--cli-binary-format base64' : undefined,
      files ? '--messages "file://$MESSAGES_JSON"' : `--messages ${json(call.messages)}`,
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
  const files = p.files.length > 0;
  return code`
    ${
      files &&
      code`
      # The native body, each file's bytes in base64 where the body takes them, written to a
      # file that the CLI sends as it is.
      ${jsonFile('BODY_JSON', call.body)}

    `
    }
    # Send the native request body; the CLI writes the response body to ${CLI_OUTPUT_FILE}.
    aws bedrock-runtime ${PHRASES.cli.call[p.operation]} \
    ${args([
      ...common,
      '--content-type application/json',
      files ? '--body "fileb://$BODY_JSON"' : '--cli-binary-format raw-in-base64-out',
      files ? undefined : `--body ${json(call.body)}`,
      CLI_OUTPUT_FILE,
    ])}

    # The answer is in the "${field}" field, the token usage beside it.
    cat ${CLI_OUTPUT_FILE}
    echo
  `;
}
