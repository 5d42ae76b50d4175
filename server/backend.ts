import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { CatalogService } from './catalog.ts';
import { checkCredentials, type CredentialProblem } from './credentials.ts';
import {
  EMULATOR_CREDENTIALS,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from './emulator/index.ts';
import { NO_CREDENTIALS_HINT } from './hints.ts';

/**
 * Where runs go: real Bedrock with the user's credentials or Bedrock API key, the in-process
 * emulator, or nowhere (`none`: a profile was asked for and its credentials failed; the page
 * says why and offers the emulator, rather than answering synthetically without being asked).
 */
export interface Backend {
  kind: 'aws' | 'emulator' | 'none';
  region: string;
  /** The named profile in use, if any. Never keys. */
  profile: string | null;
  /** How calls are authorized: a Bedrock API key, credentials, the emulator's own key pair. */
  auth: 'api-key' | 'credentials' | 'emulator' | null;
  /** The runtime client; null for `none`. */
  client: BedrockRuntimeClient | null;
  /** The model catalog this backend's control plane serves (static for `none`). */
  catalog: CatalogService;
  /** Present when the backend is the emulator. */
  emulator: Emulator | null;
  /** Why this backend was chosen, for the console. */
  reason: string;
  /** Why credentials failed, when they did (the reason for `none`, or for the emulator at start). */
  problem: CredentialProblem | null;
  close(): Promise<void>;
}

/** A backend that can answer runs: Bedrock or the emulator, with its runtime client. */
export type LiveBackend = Backend & {
  kind: 'aws' | 'emulator';
  client: BedrockRuntimeClient;
};

export interface BackendOptions {
  offline: boolean;
  profile?: string;
  region?: string;
  /** Emulator pacing: 1 real pace, 0 no delay. */
  speed?: number;
  /** Emulator: model ids answering AccessDeniedException. */
  deny?: string[];
  /** How long to wait for the credential chain before giving up on it. */
  credentialTimeoutMs?: number;
  /** Emulator, for tests: told of every request it receives (`startEmulator`'s `onRequest`). */
  onEmulatorRequest?: EmulatorOptions['onRequest'];
}

/** What the page asks for: Bedrock with a profile (null: the default chain), or the emulator. */
export interface BackendChoice {
  kind: 'aws' | 'emulator';
  profile: string | null;
  /** Null: the profile's Region, else the environment's, else us-east-1. */
  region: string | null;
}

const DEFAULT_REGION = 'us-east-1';
/**
 * One attempt per run: a playground shows throttling and server errors as they happen, and its
 * timings must not hide retries. Exported code keeps the SDK's default retries.
 */
const RUN_ATTEMPTS = 1;

/**
 * The backend at start: the emulator with `--offline`; otherwise Bedrock with `--profile` (or
 * `AWS_PROFILE`, or the default chain). When the default chain finds no credentials at all the
 * emulator stands in, and says why, as it always has; when a profile was named and its
 * credentials fail, the backend is `none` with the problem, for the page to show.
 */
export async function selectBackend(options: BackendOptions): Promise<Backend> {
  const region = options.region ?? null;
  if (options.offline) {
    return emulatorBackend(region ?? DEFAULT_REGION, options, 'started with --offline', null);
  }
  const profile = options.profile ?? process.env.AWS_PROFILE ?? null;
  const opened = await openBedrock({ kind: 'aws', profile, region }, options);
  if ('refused' in opened) {
    const problem = opened.refused;
    if (profile) return noBackend(region ?? DEFAULT_REGION, profile, problem);
    const reason = `${NO_CREDENTIALS_HINT} (${problem.message})`;
    return emulatorBackend(region ?? DEFAULT_REGION, options, reason, problem);
  }
  return opened;
}

/**
 * The backend a page asks for. Bedrock whose credentials fail is not a backend: the problem
 * comes back instead (`refused`), so the caller keeps the backend it has.
 */
export async function openBackend(
  choice: BackendChoice,
  options: BackendOptions,
): Promise<Backend | { refused: CredentialProblem }> {
  if (choice.kind === 'emulator') {
    return emulatorBackend(choice.region ?? DEFAULT_REGION, options, 'chosen in the page', null);
  }
  return openBedrock(choice, options);
}

async function openBedrock(
  choice: BackendChoice,
  options: BackendOptions,
): Promise<Backend | { refused: CredentialProblem }> {
  const { profile } = choice;
  const check = await checkCredentials(profile, options.credentialTimeoutMs ?? 5000);
  if (!check.ok) return { refused: check.problem };
  // With a Bedrock API key in the environment the SDK sends it as a bearer token and signs
  // nothing, so no credentials are handed to it.
  const auth =
    check.auth === 'api-key'
      ? {}
      : { credentials: fromNodeProviderChain(profile ? { profile } : {}) };
  const common = {
    ...auth,
    ...(profile ? { profile } : {}),
    ...(choice.region ? { region: choice.region } : {}),
  };
  // The Region the SDK resolves (environment, then the profile), else us-east-1, set on both
  // clients: an SDK client without one fails every call.
  const probe = new BedrockRuntimeClient(common);
  const region = await probe.config.region().catch(() => DEFAULT_REGION);
  probe.destroy();
  const client = new BedrockRuntimeClient({ ...common, region, maxAttempts: RUN_ATTEMPTS });
  const control = new BedrockClient({ ...common, region });
  const who =
    check.auth === 'api-key'
      ? 'a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)'
      : profile
        ? `AWS profile "${profile}"`
        : 'the default AWS credential chain';
  return {
    kind: 'aws',
    region,
    profile,
    auth: check.auth,
    client,
    catalog: new CatalogService({ client: control, region }),
    emulator: null,
    reason: who,
    problem: null,
    close: () => {
      client.destroy();
      control.destroy();
      return Promise.resolve();
    },
  };
}

async function emulatorBackend(
  region: string,
  options: BackendOptions,
  reason: string,
  problem: CredentialProblem | null,
): Promise<Backend> {
  const emulator = await startEmulator({
    speed: options.speed ?? 1,
    ...(options.deny ? { deny: options.deny } : {}),
    ...(options.onEmulatorRequest ? { onRequest: options.onEmulatorRequest } : {}),
  });
  const common = {
    region,
    endpoint: emulator.url,
    credentials: EMULATOR_CREDENTIALS,
    // A bearer token in the environment would switch the SDK off SigV4, which the emulator checks.
    authSchemePreference: ['sigv4'],
  };
  const client = new BedrockRuntimeClient({ ...common, maxAttempts: RUN_ATTEMPTS });
  const control = new BedrockClient(common);
  return {
    kind: 'emulator',
    region,
    profile: null,
    auth: 'emulator',
    client,
    catalog: new CatalogService({ client: control, region }),
    emulator,
    reason,
    problem,
    async close() {
      client.destroy();
      control.destroy();
      await emulator.close();
    },
  };
}

function noBackend(region: string, profile: string, problem: CredentialProblem): Backend {
  return {
    kind: 'none',
    region,
    profile,
    auth: null,
    client: null,
    catalog: new CatalogService({
      client: null,
      region,
      unavailable: `no backend answers (${problem.message})`,
    }),
    emulator: null,
    reason: problem.message,
    problem,
    close: () => Promise.resolve(),
  };
}
