import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../../cells/compile.ts';
import { parseNotebook } from '../../../cells/format.ts';
import type { Notebook, Target } from '../../../cells/notebook.ts';
import type { CompiledRequest } from '../../../cells/request.ts';
import { describeRequest } from '../../../cells/export/index.ts';
import type { RequestProgram } from '../../../cells/export/index.ts';
import { FileBytes } from '../../../cells/export/layout.ts';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { RunEvent } from '../../../cells/events.ts';
import { startServer, type PlaygroundServer } from '../../../server/app.ts';
import { EMULATOR_CREDENTIALS } from '../../../server/emulator/index.ts';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../../..');
/**
 * Scratch space inside the project (gitignored), so exported modules resolve the SDK. One folder
 * per test file (each imports this module afresh), so concurrent runs never share files.
 */
export const SCRATCH = join(ROOT, 'test-results', 'export', randomUUID().slice(0, 8));

/** Removes this test file's scratch folder. */
export function removeScratch(): void {
  rmSync(SCRATCH, { recursive: true, force: true });
}

export function scratchDir(name: string): string {
  const dir = join(SCRATCH, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeScratch(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** The code cells of an .ipynb joined into one script, as running them in order would. */
export function ipynbScript(text: string): string {
  const nb = JSON.parse(text) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => c.source.join(''))
    .join('\n\n');
}

export function loadNotebook(name: string): Notebook {
  return parseNotebook(readFileSync(join(ROOT, 'notebooks', `${name}.md`), 'utf8'));
}

/** One request the golden and run tests export: a cell of an example notebook for one target. */
export interface Case {
  name: string;
  request: CompiledRequest;
}

/** pirate-email's prompt for both targets (Converse and InvokeModel) and hello-world's native cell. */
export function exampleCases(): Case[] {
  const pirate = loadNotebook('pirate-email');
  const hello = loadNotebook('hello-world-llama2');
  const cases = pirate.targets.map((target) => ({
    name: `pirate-email-${target.id}`,
    request: compile(pirate, 'email', target).request,
  }));
  const native: Target = {
    id: 'native',
    label: 'Llama 2',
    modelId: 'meta.llama2-13b-chat-v1',
    api: 'invoke',
  };
  cases.push({ name: 'hello-world-llama2', request: compile(hello, 'hello', native).request });
  return cases;
}

/** A request whose every string is hard to write as a literal. */
export const NASTY =
  'Quote " apostrophe \' backslash \\ \\u0022 \\\\u000a ${x} {y} """ \'\'\' */ %s $(id) `id`\n\ttab é 😀 \u2028 \u202e \u0000 \u007f';
export const nasty: CompiledRequest[] = [
  {
    api: 'converse',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    input: {
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      system: [{ text: NASTY }],
      messages: [
        { role: 'user', content: [{ text: NASTY }] },
        { role: 'assistant', content: [{ text: NASTY.repeat(3) }] },
        { role: 'user', content: [{ text: 'again' }] },
      ],
      inferenceConfig: {
        maxTokens: 100,
        temperature: 0.25,
        topP: 1,
        stopSequences: [NASTY, '\n\nHuman:'],
      },
      additionalModelRequestFields: {
        top_k: 5,
        nested: { list: [1, 2.5, true, null, NASTY], [NASTY]: {} },
      },
    },
  },
  {
    api: 'invoke',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    body: {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 10,
      system: NASTY,
      messages: [{ role: 'user', content: [{ type: 'text', text: NASTY }] }],
    },
  },
  {
    api: 'invoke',
    modelId: 'meta.llama3-8b-instruct-v1:0',
    body: { prompt: NASTY, max_gen_len: 5 },
  },
];

/** A 2×1 PNG (one red pixel, one blue), made for these tests. */
const PIXELS_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The guide's attachment prompts in one turn for Claude 3 Haiku: text, a PNG, text, and a
 * document named "Q2 report". `program` is the typed description an exporter fills its template
 * from (the bytes read from files when the program runs); `files` are the files to put beside
 * the program; `input` is the same request with the bytes in it, for the SDK to send directly.
 */
export function attachmentCase(streaming: boolean): {
  program: RequestProgram;
  files: Record<string, Uint8Array>;
  input: ConverseCommandInput;
} {
  const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
  const report = new TextEncoder().encode('Q2 revenue grew 12% while costs fell 3%.\n');
  const request: CompiledRequest = {
    api: 'converse',
    modelId,
    input: { modelId, messages: [{ role: 'user', content: [{ text: 'unused' }] }] },
  };
  const program: RequestProgram = {
    ...describeRequest(request, { lang: 'python', streaming, region: 'us-east-1' }),
    files: [
      { constant: 'IMAGE_1', path: 'pixels.png' },
      { constant: 'Q2_REPORT', path: 'q2 report.txt' },
    ],
  };
  program.call = {
    api: 'converse',
    messages: [
      {
        role: 'user',
        content: [
          { text: 'This is image 1:' },
          { image: { format: 'png', source: { bytes: new FileBytes('IMAGE_1') } } },
          { text: 'Please describe the image, then summarize the report.' },
          {
            document: {
              format: 'txt',
              name: 'Q2 report',
              source: { bytes: new FileBytes('Q2_REPORT') },
            },
          },
        ],
      },
    ],
  };
  const input: ConverseCommandInput = {
    modelId,
    messages: [
      {
        role: 'user',
        content: [
          { text: 'This is image 1:' },
          { image: { format: 'png', source: { bytes: PIXELS_PNG } } },
          { text: 'Please describe the image, then summarize the report.' },
          { document: { format: 'txt', name: 'Q2 report', source: { bytes: report } } },
        ],
      },
    ],
  };
  return { program, files: { 'pixels.png': PIXELS_PNG, 'q2 report.txt': report }, input };
}

/** Writes `files` into `dir`. */
export function writeFiles(dir: string, files: Record<string, Uint8Array>): void {
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion, never through a shell. */
export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    if (child.stdin) {
      // A program may exit before reading its input; that is its business, not an error here.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** The environment that points every SDK and the CLI at the emulator, with its key pair. */
export function emulatorEnv(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_AUTH_SCHEME_PREFERENCE: 'sigv4',
    AWS_CONFIG_FILE: join(SCRATCH, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(SCRATCH, 'no-aws-credentials'),
    ...extra,
  };
  delete env.AWS_BEARER_TOKEN_BEDROCK;
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  return env;
}

/** A playground server on the offline emulator, as `npm start -- --offline` runs it. */
export async function startPlayground(): Promise<PlaygroundServer> {
  return startServer({ port: 0, offline: true, speed: 0, dir: scratchDir('workspace') });
}

/**
 * The text the playground shows for a request: what `POST /api/run` streams, joined. Exports
 * are compared with it whether they stream or not (the emulator answers both alike).
 */
export async function playgroundText(
  playground: PlaygroundServer,
  request: CompiledRequest,
): Promise<string> {
  const res = await fetch(`${playground.url}api/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `token ${playground.token}` },
    body: JSON.stringify({ target: { modelId: request.modelId, api: request.api }, request }),
  });
  let text = '';
  for (const line of (await res.text()).split('\n')) {
    if (!line) continue;
    const event = JSON.parse(line) as RunEvent;
    if (event.type === 'error') throw new Error(`the playground run failed: ${event.message}`);
    if (event.type === 'text') text += event.text;
  }
  return text;
}

/** A Python with boto3, and the environment it needs to reach the emulator. */
export interface Python {
  command: string;
  env: NodeJS.ProcessEnv;
  /** Which Python and boto3 ran, for test messages. */
  describe: string;
}

/** The project's virtual environment, which .ci/run fills from tests/python/requirements.txt. */
export const VENV = join(ROOT, '.venv');

const INSTALL_VENV =
  "run .ci/run's install step: python3 -m venv .venv && .venv/bin/pip install -r tests/python/requirements.txt";

/** Asks `command` for its boto3 version; an Error saying what is missing when it cannot. */
async function probeBoto3(
  command: string,
  env: NodeJS.ProcessEnv,
  missing: string,
): Promise<Python> {
  const probe = await run(command, ['-c', 'import boto3; print(boto3.__version__)'], {
    env: { ...process.env, ...env },
  }).catch((error: unknown) => ({ code: -1, stdout: '', stderr: String(error) }));
  if (probe.code !== 0)
    throw new Error(`${missing}
${probe.stderr.trim()}`);
  return { command, env, describe: `${command} with boto3 ${probe.stdout.trim()}` };
}

let projectFound: Promise<Python> | undefined;
let debianFound: Promise<Python> | undefined;

/** The boto3 the project pins, in .venv: the Python the exports are run with first. */
export function projectPython(): Promise<Python> {
  projectFound ??= probeBoto3(
    join(VENV, 'bin', 'python'),
    { PYTHONIOENCODING: 'utf-8' },
    `The project's Python with the pinned boto3 is missing (.venv/bin/python): ${INSTALL_VENV}.`,
  );
  return projectFound;
}

/**
 * Debian's python3 with its older python3-boto3, a client no one here wrote: it learns Bedrock
 * Runtime from AWS_DATA_PATH, and the test-only sitecustomize lets it honour
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME.
 */
export function debianPython(): Promise<Python> {
  debianFound ??= probeBoto3(
    '/usr/bin/python3',
    {
      AWS_DATA_PATH: resolve(ROOT, '..', 'shared', 'aws-models'),
      PYTHONPATH: join(HERE, 'python'),
      PYTHONIOENCODING: 'utf-8',
    },
    "Debian's /usr/bin/python3 has no boto3: apt-get install python3-boto3 (.ci/run does).",
  );
  return debianFound;
}

/**
 * The AWS CLI the project pins, from .venv. It is CLI v1, which does not know
 * `--cli-binary-format` and already reads blob arguments the way that flag asks v2 to, so a
 * test-only wrapper that drops the flag goes first on PATH.
 */
export async function projectAwsCli(): Promise<{ pathPrefix: string; version: string }> {
  const aws = join(VENV, 'bin', 'aws');
  const probe = await run(aws, ['--version']).catch(() => undefined);
  if (!probe || probe.code !== 0) {
    throw new Error(`The project's AWS CLI is missing (.venv/bin/aws): ${INSTALL_VENV}.`);
  }
  const version = `${probe.stdout}${probe.stderr}`.trim();
  if (!version.startsWith('aws-cli/1.')) return { pathPrefix: join(VENV, 'bin'), version };
  const dir = scratchDir('aws-cli-shim');
  const shim = join(dir, 'aws');
  writeScratch(
    shim,
    [
      '#!/usr/bin/env bash',
      '# Test-only: AWS CLI v1 reads blob arguments raw and does not know --cli-binary-format.',
      'args=()',
      'while [ $# -gt 0 ]; do',
      '  if [ "$1" = --cli-binary-format ]; then shift 2; continue; fi',
      '  args+=("$1"); shift',
      'done',
      `exec ${JSON.stringify(aws)} "\${args[@]}"`,
      '',
    ].join('\n'),
  );
  chmodSync(shim, 0o755);
  return { pathPrefix: dir, version };
}

/**
 * Debian's AWS CLI v2 (`apt-get install awscli`; .ci/run installs it): the CLI exports with
 * attachments need v2, which reads a blob in JSON as base64 (v1 sends the text itself). It
 * predates Bedrock Runtime and service endpoint variables, so it learns the service from
 * AWS_DATA_PATH and a test-only wrapper first on PATH passes the emulator's endpoint.
 */
export async function debianAwsCliV2(): Promise<{ pathPrefix: string; version: string }> {
  const aws = '/usr/bin/aws';
  const probe = await run(aws, ['--version']).catch(() => undefined);
  const version = `${probe?.stdout ?? ''}${probe?.stderr ?? ''}`.trim();
  if (!probe || probe.code !== 0 || !version.startsWith('aws-cli/2.')) {
    throw new Error(
      `AWS CLI v2 is missing (${aws}): apt-get install awscli (.ci/run does). Found: ${version || 'nothing'}`,
    );
  }
  const pathPrefix = awsShim('aws-cli-v2-shim', [
    "# Test-only: Debian's CLI v2 learns Bedrock Runtime from AWS_DATA_PATH and knows no endpoint variables.",
    `export AWS_DATA_PATH=${JSON.stringify(resolve(ROOT, '..', 'shared', 'aws-models'))}`,
    `exec ${aws} --endpoint-url "$AWS_ENDPOINT_URL_BEDROCK_RUNTIME" "$@"`,
  ]);
  return { pathPrefix, version };
}

/** A test-only `aws` script of `lines` in a scratch folder of its own: the folder to put first on PATH. */
function awsShim(folder: string, lines: string[]): string {
  const dir = scratchDir(folder);
  const shim = join(dir, 'aws');
  writeScratch(shim, ['#!/usr/bin/env bash', ...lines, ''].join('\n'));
  chmodSync(shim, 0o755);
  return dir;
}
