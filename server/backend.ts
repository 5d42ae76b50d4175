import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import {
  EMULATOR_CREDENTIALS,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from './emulator/index.ts';
import { NO_CREDENTIALS_HINT } from './hints.ts';

/** Where runs go: real Bedrock with the user's credentials, or the in-process emulator. */
export interface Backend {
  kind: 'aws' | 'emulator';
  region: string;
  /** The named profile in use, if any. Never keys. */
  profile: string | null;
  client: BedrockRuntimeClient;
  /** Present when the backend is the emulator. */
  emulator: Emulator | null;
  /** Why this backend was chosen, for the console. */
  reason: string;
  close(): Promise<void>;
}

export interface BackendOptions {
  offline: boolean;
  profile?: string;
  region?: string;
  /** Emulator pacing: 1 real pace, 0 no delay. */
  speed?: number;
  /** Emulator: model ids answering AccessDeniedException. */
  deny?: string[];
  /** How long to wait for the credential chain before going offline. */
  credentialTimeoutMs?: number;
  /** Emulator, for tests: told of every request it receives (`startEmulator`'s `onRequest`). */
  onEmulatorRequest?: EmulatorOptions['onRequest'];
}

const DEFAULT_REGION = 'us-east-1';
/**
 * One attempt per run: a playground shows throttling and server errors as they happen, and its
 * timings must not hide retries. Exported code keeps the SDK's default retries.
 */
const RUN_ATTEMPTS = 1;

export async function selectBackend(options: BackendOptions): Promise<Backend> {
  const profile = options.profile ?? process.env.AWS_PROFILE ?? null;
  if (!options.offline) {
    const credentials = fromNodeProviderChain(profile ? { profile } : {});
    const found = await resolves(credentials, options.credentialTimeoutMs ?? 5000);
    if (found === true) {
      const client = new BedrockRuntimeClient({
        credentials,
        maxAttempts: RUN_ATTEMPTS,
        ...(profile ? { profile } : {}),
        ...(options.region ? { region: options.region } : {}),
      });
      const region = await client.config.region().catch(() => DEFAULT_REGION);
      return {
        kind: 'aws',
        region,
        profile,
        client,
        emulator: null,
        reason: profile ? `AWS profile "${profile}"` : 'the default AWS credential chain',
        close: () => Promise.resolve(client.destroy()),
      };
    }
    return startOffline(options, `${NO_CREDENTIALS_HINT} (${found})`);
  }
  return startOffline(options, 'started with --offline');
}

async function startOffline(options: BackendOptions, reason: string): Promise<Backend> {
  const region = options.region ?? DEFAULT_REGION;
  const emulator = await startEmulator({
    speed: options.speed ?? 1,
    ...(options.deny ? { deny: options.deny } : {}),
    ...(options.onEmulatorRequest ? { onRequest: options.onEmulatorRequest } : {}),
  });
  const client = new BedrockRuntimeClient({
    region,
    endpoint: emulator.url,
    maxAttempts: RUN_ATTEMPTS,
    credentials: EMULATOR_CREDENTIALS,
    // A bearer token in the environment would switch the SDK off SigV4, which the emulator checks.
    authSchemePreference: ['sigv4'],
  });
  return {
    kind: 'emulator',
    region,
    profile: null,
    client,
    emulator,
    reason,
    async close() {
      client.destroy();
      await emulator.close();
    },
  };
}

/** True when the provider yields credentials in time; otherwise the reason it did not. */
async function resolves(
  provider: () => Promise<unknown>,
  timeoutMs: number,
): Promise<true | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`no answer from the credential chain in ${timeoutMs} ms`),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      provider().then(
        () => true as const,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
