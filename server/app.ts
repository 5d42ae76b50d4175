import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS, PRICES_AS_OF } from '../cells/models/catalog.ts';
import { selectBackend, type Backend, type BackendOptions } from './backend.ts';
import { checkOrigin, HttpError, sendJson } from './http.ts';
import { parseRunRequest, streamRun } from './run.ts';
import { serveStatic } from './static.ts';
import { Workspace } from './workspace.ts';

/** The project root, for the shipped examples and the built page. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerOptions extends BackendOptions {
  /** 0 picks a free port. */
  port: number;
  /** Where notebooks are read and written. */
  dir: string;
  /** The built page; defaults to `dist/` in the project. */
  distDir?: string;
  /** Where the shipped examples are; defaults to `notebooks/` in the project. */
  examplesDir?: string;
  /** Console lines; never given credentials. */
  log?: (line: string) => void;
}

export interface PlaygroundServer {
  url: string;
  port: number;
  backend: Backend;
  workspace: Workspace;
  close(): Promise<void>;
}

/** Starts the local server on 127.0.0.1 with the backend chosen from the options. */
export async function startServer(options: ServerOptions): Promise<PlaygroundServer> {
  const log = options.log ?? (() => {});
  const backend = await selectBackend(options);
  const workspace = await Workspace.open(
    options.dir,
    options.examplesDir ?? path.join(PROJECT_ROOT, 'notebooks'),
  );
  const distDir = options.distDir ?? path.join(PROJECT_ROOT, 'dist');

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    checkOrigin(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const notebook = /^\/api\/notebooks\/([^/]+)$/.exec(url.pathname);

    if (url.pathname === '/api/status' && method === 'GET') {
      return sendJson(res, 200, {
        backend: backend.kind,
        region: backend.region,
        profile: backend.profile,
        synthetic: backend.kind === 'emulator',
      });
    }
    if (url.pathname === '/api/models' && method === 'GET') {
      return sendJson(res, 200, { models: MODELS, pricesAsOf: PRICES_AS_OF });
    }
    if (url.pathname === '/api/notebooks' && method === 'GET') {
      return sendJson(res, 200, { notebooks: await workspace.list() });
    }
    if (notebook?.[1] !== undefined && method === 'GET') {
      return sendJson(res, 200, await workspace.read(decodeName(notebook[1])));
    }
    if (url.pathname === '/api/run' && method === 'POST') {
      return streamRun(await parseRunRequest(req), backend, res);
    }
    if (url.pathname.startsWith('/api/')) {
      throw new HttpError(`No route for ${method} ${url.pathname}.`, 404);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError('Method not allowed.', 405);
    return serveStatic(distDir, url.pathname, res);
  };

  const server = createServer((req, res) => {
    res.setHeader('x-frame-options', 'DENY');
    route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`error: ${req.method} ${req.url}: ${String(error)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = error instanceof HttpError ? error.message : 'Internal server error.';
      sendJson(res, status, { error: message });
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await backend.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    backend,
    workspace,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
    },
  };
}

function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError('The notebook name is not valid percent-encoding.', 400);
  }
}
