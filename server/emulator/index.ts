import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { EMULATOR_BEARER_TOKEN } from './auth.ts';
import type { EmulatorContext, ReceivedRequest } from './context.ts';
import type { Exchange } from './exchange.ts';
import { createDualListener } from './listener.ts';
import type { TlsFiles } from './listener.ts';
import { createRouter } from './router.ts';

export { BEARER_REGION, EMULATOR_BEARER_TOKEN } from './auth.ts';
export { CATALOG } from './catalog.ts';
export type { Features, Geography } from './catalog.ts';
export type { ReceivedRequest, StreamRecord } from './context.ts';
export { MODELS } from './models.ts';
export type { ModelSpec } from './models.ts';

/** The key pair the emulator accepts unless told otherwise. */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'AKIDEMULATOR',
  secretAccessKey: 'emulator-secret',
} as const;

/** The Region the printed environment lines name. */
export const EMULATOR_REGION = 'us-east-1';

/**
 * The shell lines that point an SDK or the AWS CLI at the emulator, as `npm run emulator`
 * prints them. Both endpoint variables (runtime and control plane), both Region variables
 * (AWS_REGION for the JavaScript SDK and CLI v2, AWS_DEFAULT_REGION for boto3 and CLI v1), and
 * an `unset` of what would take precedence over the key pair: a profile (the JavaScript SDK
 * skips environment keys when AWS_PROFILE is set), a session token, a Bedrock API key. The last
 * line, commented out, switches to the emulator's public API key instead of SigV4.
 */
export function environmentLines(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = EMULATOR_CREDENTIALS,
  bearerToken: string = EMULATOR_BEARER_TOKEN,
  caBundle?: string,
): string[] {
  return [
    'unset AWS_PROFILE AWS_SESSION_TOKEN AWS_BEARER_TOKEN_BEDROCK',
    `export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${url}`,
    `export AWS_ENDPOINT_URL_BEDROCK=${url}`,
    `export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
    `export AWS_REGION=${EMULATOR_REGION}`,
    `export AWS_DEFAULT_REGION=${EMULATOR_REGION}`,
    // Over https: boto3 and the CLI trust the certificate through AWS_CA_BUNDLE, Node through
    // NODE_EXTRA_CA_CERTS (read when node starts).
    ...(caBundle
      ? [`export AWS_CA_BUNDLE=${caBundle}`, `export NODE_EXTRA_CA_CERTS=${caBundle}`]
      : []),
    `# export AWS_BEARER_TOKEN_BEDROCK=${bearerToken}   # a Bedrock API key instead of SigV4`,
  ];
}

export interface EmulatorOptions {
  /** Interface to bind; default '127.0.0.1'. */
  host?: string;
  /** Port to bind; default 0 (ephemeral). */
  port?: number;
  /** Multiplies each model's pacing delays: 1 = real pace (default), 0 = no delay. */
  speed?: number;
  /** Model ids answering AccessDeniedException. */
  deny?: string[];
  /** The accepted key pair; default EMULATOR_CREDENTIALS. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The accepted Bedrock API key (`Authorization: Bearer …`); default EMULATOR_BEARER_TOKEN. */
  bearerToken?: string;
  /**
   * How long a new connection may take to send the first bytes that tell HTTP/2 from HTTP/1.1
   * before it is closed; default 10 000 ms.
   */
  prefaceTimeoutMs?: number;
  /**
   * For tests: told of every runtime request the emulator receives, with its body as sent, so a
   * test can compare what two clients sent for the same prompt.
   */
  onRequest?: (request: ReceivedRequest) => void;
  /**
   * Serve https with this certificate instead of http. Needed by clients that refuse a Bedrock
   * API key over plain http (botocore 1.44 and newer: "Bearer authorization requires an HTTPS
   * endpoint").
   */
  tls?: TlsFiles;
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:40123 (https:// with the `tls` option). */
  url: string;
  port: number;
  /**
   * 'stream-start', 'token' (after each token is written), 'stream-end' (outcome set), all with
   * the StreamRecord; also 'connection' with 'h2' or 'http/1.1' for each accepted socket.
   */
  events: EventEmitter;
  /** Closes the server and all open sockets and sessions promptly. */
  close(): Promise<void>;
}

/** Starts a Bedrock emulator speaking the real wire protocol on one HTTP/1.1 + HTTP/2 port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const events = new EventEmitter();
  let streamId = 0;
  const context: EmulatorContext = {
    speed: Math.max(0, options.speed ?? 1),
    deny: new Set(options.deny ?? []),
    credentials: options.credentials ?? EMULATOR_CREDENTIALS,
    bearerToken: options.bearerToken ?? EMULATOR_BEARER_TOKEN,
    events,
    nextStreamId: () => (streamId += 1),
    faultCounts: new Map(),
    onRequest: options.onRequest,
  };
  const open = new Set<Exchange>();
  const listener = createDualListener(
    createRouter(context, open),
    options.prefaceTimeoutMs,
    options.tls,
  );
  listener.events.on('connection', (protocol: string) => events.emit('connection', protocol));

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(options.port ?? 0, host, () => {
      listener.server.off('error', reject);
      resolve();
    });
  });
  const { port } = listener.server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    events,
    close: async () => {
      // Aborting first ends every paced stream's timers before their sockets go.
      for (const exchange of open) exchange.abort();
      await listener.close();
    },
  };
}
