import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../../cells/compile.ts';
import { parseNotebook } from '../../../cells/format.ts';
import type { Notebook, Target } from '../../../cells/notebook.ts';
import type { CompiledRequest } from '../../../cells/request.ts';
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
  describe: string;
}

let pythonFound: Promise<Python | undefined> | undefined;

/**
 * Debian's python3 with python3-boto3 (what CI installs) with the Bedrock Runtime model on
 * AWS_DATA_PATH and the test-only sitecustomize; else the first python3 on PATH with boto3.
 */
export function findPython(): Promise<Python | undefined> {
  pythonFound ??= (async () => {
    const extra = {
      AWS_DATA_PATH: resolve(ROOT, '..', 'shared', 'aws-models'),
      PYTHONPATH: join(HERE, 'python'),
      PYTHONIOENCODING: 'utf-8',
    };
    for (const command of ['/usr/bin/python3', 'python3']) {
      if (command.startsWith('/') && !existsSync(command)) continue;
      const probe = await run(command, ['-c', 'import boto3; print(boto3.__version__)'], {
        env: { ...process.env, ...extra },
      }).catch(() => undefined);
      if (probe?.code === 0) {
        return { command, env: extra, describe: `${command} (boto3 ${probe.stdout.trim()})` };
      }
    }
    return undefined;
  })();
  return pythonFound;
}

export const NO_BOTO3 =
  'No Python with boto3 found: install python3-boto3 (apt-get install python3-boto3), as .ci/run does.';

/**
 * The AWS CLI, when installed. For CLI v1 a wrapper that drops `--cli-binary-format …` goes first
 * on PATH: v1 does not know the flag, and already reads blob arguments the way it asks v2 to.
 */
export async function findAwsCli(): Promise<{ pathPrefix: string; version: string } | undefined> {
  const probe = await run('aws', ['--version']).catch(() => undefined);
  if (!probe || probe.code !== 0) return undefined;
  const version = `${probe.stdout}${probe.stderr}`.trim();
  const dir = scratchDir('aws-cli-shim');
  if (version.startsWith('aws-cli/1.')) {
    const which = await run('bash', ['-c', 'command -v aws']);
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
        `exec ${JSON.stringify(which.stdout.trim())} "\${args[@]}"`,
        '',
      ].join('\n'),
    );
    await run('chmod', ['+x', shim]);
    return { pathPrefix: dir, version };
  }
  return { pathPrefix: '', version };
}
