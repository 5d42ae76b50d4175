import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './context.ts';
import type { Exchange } from './exchange.ts';
import { createDualListener } from './listener.ts';
import { createRouter } from './router.ts';

export type { StreamRecord } from './context.ts';
export { MODELS } from './models.ts';
export type { ModelSpec } from './models.ts';

/** The key pair the emulator accepts unless told otherwise. */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'AKIDEMULATOR',
  secretAccessKey: 'emulator-secret',
} as const;

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
  /**
   * How long a new connection may take to send the first bytes that tell HTTP/2 from HTTP/1.1
   * before it is closed; default 10 000 ms.
   */
  prefaceTimeoutMs?: number;
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:40123. */
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
    events,
    nextStreamId: () => (streamId += 1),
  };
  const open = new Set<Exchange>();
  const listener = createDualListener(createRouter(context, open), options.prefaceTimeoutMs);
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
    url: `http://${urlHost}:${port}`,
    port,
    events,
    close: async () => {
      // Aborting first ends every paced stream's timers before their sockets go.
      for (const exchange of open) exchange.abort();
      await listener.close();
    },
  };
}
