import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type PlaygroundServer, type ServerOptions } from '../../server/app.ts';
import { TEST_TOKEN } from './http.ts';

/** A test file's server: offline, at full speed, on a fresh notebook folder, with `TEST_TOKEN`. */
export interface TestServer {
  server: PlaygroundServer;
  /** The notebook folder (`--dir`), seeded with the examples. */
  dir: string;
}

/** Starts a server before the tests of the file that calls it and stops it after. */
export function useServer(options: Partial<ServerOptions> = {}): TestServer {
  const context: Partial<TestServer> = {};
  beforeAll(async () => {
    context.dir = await mkdtemp(path.join(tmpdir(), 'bp-server-'));
    context.server = await startServer({
      token: TEST_TOKEN,
      port: 0,
      offline: true,
      speed: 0,
      dir: context.dir,
      ...options,
    });
  });
  afterAll(async () => {
    await context.server?.close();
    if (context.dir) await rm(context.dir, { recursive: true, force: true });
  });
  return context as TestServer;
}
