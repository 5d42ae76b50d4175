import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Every variable through which the SDK could find credentials, a profile or an endpoint. */
const VARIABLES = [
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'HOME',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ENDPOINT_URL_BEDROCK',
  'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
] as const;

/** A temporary AWS set-up in this process's environment, undone by `restore`. */
export interface AwsEnvironment {
  /** The temporary home folder; the shared files are `config` and `credentials` in it. */
  dir: string;
  restore(): Promise<void>;
}

/**
 * Points this process's AWS SDK at temporary shared files (through AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE, with HOME the same folder, where the SSO token cache lives) and
 * nothing else: no keys, profile or endpoint from the developer's own environment, no instance
 * role to wait for. `extra` sets more variables.
 */
export async function useAwsEnvironment(
  files: { config: string; credentials: string },
  extra: Record<string, string> = {},
): Promise<AwsEnvironment> {
  const saved = new Map(VARIABLES.map((name) => [name, process.env[name]]));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bp-aws-'));
  await writeFile(path.join(dir, 'config'), files.config);
  await writeFile(path.join(dir, 'credentials'), files.credentials);
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, {
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });
  return {
    dir,
    async restore() {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
