import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { findAwsProfile, sharedFilePaths } from './aws-profiles.ts';

/** Why no credentials could be had, said so a person can act on it. Never holds keys. */
export type CredentialProblem =
  | { kind: 'profile-not-found'; profile: string; message: string }
  | { kind: 'sso-expired'; profile: string | null; message: string; command: string }
  | { kind: 'no-credentials'; message: string }
  | { kind: 'failed'; message: string };

/** How requests are authorized when credentials resolve. */
export type Auth = 'api-key' | 'credentials';

/** The environment variable of a Bedrock API key; the SDK sends it as a bearer token. */
export const API_KEY_VARIABLE = 'AWS_BEARER_TOKEN_BEDROCK';

/** True when a Bedrock API key is set: the SDK then uses it instead of SigV4 credentials. */
export function hasApiKey(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[API_KEY_VARIABLE]?.trim());
}

const SSO = /SSO session|sso login|Token is expired|SSO Token|sso_session/i;
const NONE = /Could not load credentials from any providers/;

/**
 * Reads an SDK credential error (a `CredentialsProviderError` or `TokenProviderError`, also when
 * it reaches a run mid-session) as one of the problems the page explains. The SDK reports an
 * expired or never-started SSO session in a few wordings, all naming `aws sso login`.
 */
export function diagnoseCredentialError(error: unknown, profile: string | null): CredentialProblem {
  const message = error instanceof Error ? error.message : String(error);
  if (SSO.test(message)) {
    const command = profile ? `aws sso login --profile ${profile}` : 'aws sso login';
    const whose = profile ? `of profile "${profile}"` : 'in use';
    return {
      kind: 'sso-expired',
      profile,
      command,
      message: `The SSO session ${whose} has expired or was never started: run \`${command}\`, then try again.`,
    };
  }
  if (NONE.test(message)) {
    return {
      kind: 'no-credentials',
      message: profile
        ? `Profile "${profile}" gives no credentials: it sets no keys, role, SSO or process to get them from.`
        : 'No AWS credentials found: no keys in the environment, no default profile, no SSO session, no instance role. Choose a profile, set a Bedrock API key, or use the emulator.',
    };
  }
  return { kind: 'failed', message };
}

/** The answer of `checkCredentials`: how requests will be authorized, or why they cannot be. */
export type CredentialCheck = { ok: true; auth: Auth } | { ok: false; problem: CredentialProblem };

/**
 * Whether requests to Bedrock can be authorized with this profile (null: the default chain):
 * a Bedrock API key in the environment is enough; otherwise a named profile must exist in the
 * shared files, and the credential chain must answer within `timeoutMs`.
 */
export async function checkCredentials(
  profile: string | null,
  timeoutMs = 5000,
): Promise<CredentialCheck> {
  if (hasApiKey()) return { ok: true, auth: 'api-key' };
  if (profile && !(await findAwsProfile(profile))) {
    return {
      ok: false,
      problem: {
        kind: 'profile-not-found',
        profile,
        message: `Profile "${profile}" is not in ${sharedFilePaths()}: check its name, or add it with \`aws configure --profile ${profile}\`.`,
      },
    };
  }
  const provider = fromNodeProviderChain(profile ? { profile } : {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CredentialCheck>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          problem: {
            kind: 'no-credentials',
            message: `The AWS credential chain gave no answer in ${timeoutMs} ms.`,
          },
        }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      provider().then(
        (): CredentialCheck => ({ ok: true, auth: 'credentials' }),
        (error: unknown): CredentialCheck => ({
          ok: false,
          problem: diagnoseCredentialError(error, profile),
        }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
