import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion (never through a shell), with its output as text. */
export function runProgram(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd ?? repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Applies `unset` and `export` lines the way a shell would, ignoring comments. The base keeps
 * PATH and HOME; the shared config files point nowhere, so a developer's own profiles cannot
 * change what the lines alone achieve.
 */
export function applyLines(lines: readonly string[], base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  for (const line of lines) {
    const unset = /^unset\s+(.+)$/.exec(line);
    if (unset) for (const name of (unset[1] ?? '').split(/\s+/)) delete env[name];
    const assignment = /^export\s+([A-Z_]+)=(\S*)$/.exec(line);
    if (assignment) env[assignment[1] ?? ''] = assignment[2] ?? '';
  }
  return env;
}

export interface PrintedEmulator {
  /** The lines `npm run emulator` printed, unchanged. */
  lines: string[];
  /** process.env with those lines applied. */
  env: NodeJS.ProcessEnv;
  /** The public Bedrock API key of the commented-out last line. */
  bearerToken: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the emulator as `npm run emulator` does (plus `extraArgs`, such as `--tls-cert`) and
 * reads the environment lines it prints.
 */
export async function startPrintedEmulator(extraArgs: string[] = []): Promise<PrintedEmulator> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/emulator/main.ts', '--port', '0', '--speed', '0', ...extraArgs],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('AWS_BEARER_TOKEN_BEDROCK=')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code}): ${output}`)));
  });
  const lines = output.split('\n').filter((line) => /^(unset|export|# export) /.test(line));
  const bearerToken = /AWS_BEARER_TOKEN_BEDROCK=(\S+)/.exec(output)?.[1] ?? '';
  return {
    lines,
    env: applyLines(lines, process.env),
    bearerToken,
    stop: () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * A self-signed certificate for 127.0.0.1 made with openssl in `dir`, for the emulator's
 * `--tls-cert`/`--tls-key`: the key is made for the test and trusted only through the printed
 * AWS_CA_BUNDLE / NODE_EXTRA_CA_CERTS lines.
 */
export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'emulator-cert.pem');
  const key = path.join(dir, 'emulator-key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    throw new Error('openssl could not make a test certificate (apt-get install openssl)', {
      cause: error,
    });
  }
  return { cert, key };
}

function version(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return undefined;
  }
}

const atLeast = (found: string, [major, minor]: [number, number]): boolean => {
  const [a = 0, b = 0] = found.split('.').map(Number);
  return a > major || (a === major && b >= minor);
};

/** The project's pinned clients, which `.ci/run` installs (tests/python/requirements.txt). */
const VENV_BIN = path.join(repoRoot, '.venv', 'bin');

/**
 * A Python whose boto3 reads AWS_ENDPOINT_URL_<SERVICE> and AWS_BEARER_TOKEN_BEDROCK (botocore
 * 1.39 or newer): what the printed lines are written for. Debian's python3-boto3 is older. The
 * project's pinned boto3 in .venv comes first, so CI does not depend on what python3 has.
 */
export function findCurrentBoto3(): string {
  for (const python of [path.join(VENV_BIN, 'python'), 'python3', '/usr/bin/python3']) {
    const found = version(python, ['-c', 'import botocore; print(botocore.__version__)'])?.trim();
    if (found && atLeast(found, [1, 39])) return python;
  }
  throw new Error(
    "These tests need boto3 1.39 or newer: run .ci/run's install step (bash .ci/run --install)",
  );
}

/** The AWS CLI (`aws`, v1 from pip or v2), which must know Bedrock's Converse and profiles. */
export function findAwsCli(): string {
  for (const aws of [path.join(VENV_BIN, 'aws'), 'aws']) {
    if (version(aws, ['--version'])) return aws;
  }
  throw new Error(
    "These tests need the AWS CLI: run .ci/run's install step (bash .ci/run --install)",
  );
}
