import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend, BackendOptions } from './backend.ts';
import { backendRoute } from './backend-routes.ts';
import { Backends } from './backends.ts';
import { z } from 'zod';
import { parseNotebook } from '../cells/format.ts';
import { describeZodError, MAX_CELLS, NotebookSchema, type Notebook } from '../cells/notebook.ts';
import { RunRecordSchema, type RunRecord } from '../cells/run-record.ts';
import { Gate, newToken, type SignedBy } from './auth.ts';
import { attachmentRoute } from './attachment-route.ts';
import { Attachments, type FileCache } from './attachments.ts';
import { checkOrigin, decodeName, HttpError, readJson, sendJson } from './http.ts';
import {
  callRecord,
  checkModelIds,
  parseRunRequest,
  streamRun,
  type RunOutcome,
  type RunRequest,
} from './run.ts';
import { parseGridRequest, streamGrid, type GridRequest } from './grid-run.ts';
import { readDataFile } from './data-files.ts';
import { serveStatic } from './static.ts';
import { Workspace } from './workspace.ts';
import { WIRE_LOG_RUNS, WireLog } from './wire-log.ts';

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
  /** The API token (`--token`, or `BEDROCK_PLAYGROUND_TOKEN`); a random one when not given. */
  token?: string;
  /** How long a Bedrock stream may send nothing before it ends with `StreamTimeout`. */
  streamTimeoutMs?: number;
}

export interface PlaygroundServer {
  url: string;
  /** The token every `/api` request carries; the page gets a cookie for it. */
  token: string;
  /** The address to open: the page trades its token for a cookie and drops it from the bar. */
  startUrl: string;
  port: number;
  /** The backend chosen at start (the page may switch to another: see `backends`). */
  backend: Backend;
  /** The backend in use, switched from the page without a restart. */
  backends: Backends;
  workspace: Workspace;
  close(): Promise<void>;
}

/** A server that listens while its backend is being chosen. */
export interface ListeningServer extends Omit<PlaygroundServer, 'backend'> {
  /** Settles once the credential chain has answered (or the emulator has started). */
  backend: Promise<Backend>;
}

/** Starts the local server on 127.0.0.1 and resolves once its backend is chosen too. */
export async function startServer(options: ServerOptions): Promise<PlaygroundServer> {
  const server = await startListening(options);
  try {
    return { ...server, backend: await server.backend };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/**
 * Starts the local server on 127.0.0.1 at once and chooses the backend meanwhile (the
 * credential chain can take seconds): until it is chosen, `/api/status` says `checking` and runs
 * wait for it.
 */
export async function startListening(options: ServerOptions): Promise<ListeningServer> {
  const log = options.log ?? (() => {});
  const backends = new Backends(options);
  const closeBackend = () => backends.close().catch(() => {});
  const workspace = await Workspace.open(
    options.dir,
    options.examplesDir ?? path.join(PROJECT_ROOT, 'notebooks'),
  ).catch(async (error: unknown) => {
    await closeBackend();
    throw error;
  });
  const attachments = new Attachments(workspace.dir);
  const distDir = options.distDir ?? path.join(PROJECT_ROOT, 'dist');
  const token = options.token ?? newToken();
  const gate = new Gate(token);
  const wireLog = new WireLog();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    checkOrigin(req);
    const url = parseUrl(req.url ?? '/');
    const method = req.method ?? 'GET';
    // Matched on the path as sent, before URL normalization turns "/api/notebooks/.." into
    // "/api/", so such a name is refused with the rule it breaks rather than a 404.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const [, name, action] = /^\/api\/notebooks\/([^/]*)(?:\/(runs|rename))?$/.exec(rawPath) ?? [];
    const api = rawPath.startsWith('/api/') || url.pathname.startsWith('/api/');
    // The page itself holds nothing secret; everything under /api needs the token.
    const signedBy: SignedBy | null = api ? gate.check(req) : null;

    if (url.pathname === '/api/session' && method === 'POST') {
      if (signedBy !== 'token') {
        throw new HttpError(
          'POST /api/session trades the token for a cookie: send "Authorization: token <token>".',
          400,
        );
      }
      res.writeHead(204, { 'set-cookie': gate.cookies(req), 'cache-control': 'no-store' }).end();
      return;
    }

    if (await backendRoute(backends, url.pathname, url.searchParams, method, req, res, log)) {
      return;
    }
    if (url.pathname === '/api/run' && method === 'POST') {
      // Listen for the browser leaving from the first moment: it may go while the body is read.
      const signal = abortOnClose(res);
      return run(await parseRunRequest(req), res, signal);
    }
    if (url.pathname === '/api/grid' && method === 'POST') {
      const signal = abortOnClose(res);
      return grid(parseGridRequest(await readJson(req)), res, signal);
    }
    const data = /^\/api\/data\/([^/]+)$/.exec(rawPath)?.[1];
    if (data !== undefined && method === 'GET') {
      return sendJson(res, 200, await readDataFile(workspace.dir, decodeName(data)));
    }
    const wireOf = /^\/api\/run\/([^/]+)\/wire$/.exec(url.pathname)?.[1];
    if (wireOf !== undefined && method === 'GET') {
      const events = wireLog.get(wireOf);
      if (!events) {
        throw new HttpError(
          `The server no longer holds Bedrock’s events of run ${wireOf.slice(0, 40)}: it keeps those of its last ${WIRE_LOG_RUNS} runs since it started.`,
          404,
        );
      }
      return sendJson(res, 200, events);
    }
    if (url.pathname.startsWith('/api/attachments')) {
      return attachmentRoute(attachments, url, method, req, res);
    }
    if (url.pathname === '/api/notebooks' && method === 'GET') {
      return sendJson(res, 200, { notebooks: await workspace.list() });
    }
    if (name !== undefined) {
      return notebookRoute(decodeName(name), action, method, req, res);
    }
    if (url.pathname.startsWith('/api/')) {
      throw new HttpError(`No route for ${method} ${url.pathname}.`, 404);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError('Method not allowed.', 405);
    return serveStatic(distDir, url.pathname, res);
  };

  const notebookRoute = async (
    name: string,
    action: string | undefined,
    method: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    switch (`${method} ${action ?? ''}`) {
      case 'GET ':
        return sendJson(res, 200, await workspace.read(name));
      case 'PUT ': {
        const body = parseBody(SaveSchema, await readJson(req));
        const saved = await workspace.save(name, notebookFrom(body), body.version);
        return sendJson(res, 200, { name, version: saved.version, modified: saved.modified });
      }
      case 'DELETE ':
        await workspace.remove(name);
        res.writeHead(204).end();
        return;
      case 'POST rename': {
        const { to } = parseBody(RenameSchema, await readJson(req));
        await workspace.rename(name, to);
        return sendJson(res, 200, { name: to });
      }
      case 'GET runs': {
        // `?latest`: each history's latest run and counts; `?key=…`: one history.
        const query = parseUrl(req.url ?? '/').searchParams;
        const key = query.get('key');
        if (key !== null) {
          if (key.length > 8192) throw new HttpError('The history key is too long.', 400);
          return sendJson(res, 200, await workspace.runHistory(name, key));
        }
        // `&settled`: first let the notebook's grids that are ending write their last records.
        if (query.has('settled')) await settled(name);
        if (query.has('latest')) return sendJson(res, 200, await workspace.latestRuns(name));
        return sendJson(res, 200, await workspace.runs(name));
      }
      case 'POST runs': {
        const record = parseBody(RunRecordSchema, await readJson(req));
        if (record.notebook !== name) {
          throw new HttpError(
            `The record is for notebook "${record.notebook}", not "${name}".`,
            400,
          );
        }
        checkModelIds(record.request, record.modelId);
        await workspace.appendRun(name, record);
        res.writeHead(204).end();
        return;
      }
      default:
        throw new HttpError(
          `No route for ${method} on a notebook${action ? ` (${action})` : ''}.`,
          405,
        );
    }
  };

  /** Streams a run and, when asked, records it beside its notebook. */
  const run = async (body: RunRequest, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const { request, record } = body;
    // Taken now: the record goes to this notebook, whatever it is called when the run ends.
    const notebook = record ? await workspace.notebook(record.notebook) : null;
    // The bytes are read now, each file checked, before anything is sent.
    const { send, sent } = await attachments.resolve(request);
    await backends.use(async (backend) => {
      const chosen = usable(backend);
      // The record is written before the response ends, so a client that saw the end can read it.
      const finish = async (outcome: RunOutcome) => {
        if (!record || !notebook) return;
        await workspace
          .appendRun(notebook, {
            ...record,
            ...callRecord(request, chosen, outcome),
            ...(sent.length ? { attachments: sent } : {}),
          })
          .catch((error: unknown) =>
            log(`error: could not record a run of ${notebook.name}: ${String(error)}`),
          );
      };
      await streamRun(send, chosen, res, signal, finish, options.streamTimeoutMs, {
        recorder: wireLog.begin(),
        live: body.wire ?? false,
      });
    });
  };

  /**
   * The grids running for each notebook. A page that stopped one reads the log back once they
   * have ended: a call that ended while the stop was on its way has then been recorded.
   */
  const gridsOf = new Map<string, Set<Promise<void>>>();
  const settled = async (name: string) => {
    const running = [...(gridsOf.get(name) ?? [])];
    // Another page's grid may go on for long: what has not ended in 10 s is read as it is.
    if (!running.length) return;
    const giveUp = new AbortController();
    await Promise.race([
      Promise.allSettled(running),
      sleep(10_000, undefined, { signal: giveUp.signal }).catch(() => undefined),
    ]);
    giveUp.abort();
  };

  /** Runs a grid, recording every attempt beside its notebook. */
  const grid = async (body: GridRequest, res: ServerResponse, signal: AbortSignal) => {
    const notebook = body.notebook ? await workspace.notebook(body.notebook) : null;
    // Every request's files are read and checked before any call is made, as for a single run.
    const files: FileCache = new Map();
    const prepared = await Promise.all(
      body.requests.map(({ request }) => attachments.resolve(request, files)),
    );
    const record = async (attempt: Omit<RunRecord, 'notebook'>): Promise<RunRecord> => {
      if (!notebook) return { ...attempt, notebook: UNSAVED };
      const name = await workspace
        .appendRun(notebook, { ...attempt, notebook: notebook.name })
        .catch((error: unknown) => {
          log(`error: could not record a grid run of ${notebook.name}: ${String(error)}`);
          return notebook.name;
        });
      return { ...attempt, notebook: name };
    };
    const running = backends.use((backend) =>
      streamGrid(body, usable(backend), res, signal, record, options.streamTimeoutMs, prepared),
    );
    if (!notebook) return running;
    const grids = gridsOf.get(notebook.name) ?? new Set();
    gridsOf.set(notebook.name, grids.add(running));
    try {
      await running;
    } finally {
      grids.delete(running);
      if (!grids.size) gridsOf.delete(notebook.name);
    }
  };

  const server = createServer((req, res) => {
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`error: ${req.method} ${req.url}: ${String(error)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = error instanceof HttpError ? error.message : 'Internal server error.';
      const details = error instanceof HttpError ? error.details : {};
      sendJson(res, status, { ...details, error: message });
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await closeBackend();
    throw error;
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    startUrl: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    backend: backends.current(),
    backends,
    workspace,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeBackend();
    },
  };
}

/** A backend that can send, or the 503 that says none was chosen. */
function usable(backend: Backend) {
  if (!backend.client || backend.kind === 'none') {
    // Credentials failed and no other backend was chosen: nothing is sent, nothing recorded.
    throw new HttpError(`No backend: ${backend.reason}`, 503, {
      details: {
        hint: 'Choose another profile, or the emulator, with "Backend…" in the status bar.',
      },
    });
  }
  return { ...backend, kind: backend.kind, client: backend.client };
}

/** The notebook a grid run's results name when it has none to be recorded in. */
const UNSAVED = '(unsaved)';

const SaveSchema = z
  .object({
    notebook: z.unknown().optional(),
    text: z.string().optional(),
    /** The version the client last saw; null creates a new notebook. */
    version: z.string().nullable(),
  })
  .refine((body) => (body.notebook === undefined) !== (body.text === undefined), {
    message: 'give either "notebook" or "text"',
  });
const RenameSchema = z.object({ to: z.string() });

function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new HttpError(`Invalid request:\n${describeZodError(parsed.error)}`, 400);
  return parsed.data;
}

/** The notebook of a save: parsed from its text (an upload) or checked against the schema. */
function notebookFrom(body: z.infer<typeof SaveSchema>): Notebook {
  // Counted before the schema reads every cell: its work grows with them.
  const cells = (body.notebook as { cells?: unknown } | undefined)?.cells;
  if (Array.isArray(cells) && cells.length > MAX_CELLS) {
    throw new HttpError(`Invalid notebook:\ncells: a notebook has at most ${MAX_CELLS} cells`, 400);
  }
  if (body.text !== undefined) {
    try {
      return parseNotebook(body.text);
    } catch (error) {
      throw new HttpError(`The notebook file is not valid: ${(error as Error).message}`, 400);
    }
  }
  const parsed = NotebookSchema.safeParse(body.notebook);
  if (!parsed.success) {
    throw new HttpError(`Invalid notebook:\n${describeZodError(parsed.error)}`, 400);
  }
  return parsed.data;
}

/** A signal that aborts when the client leaves before the answer has ended. */
function abortOnClose(res: ServerResponse): AbortSignal {
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  return abort.signal;
}

function parseUrl(path: string): URL {
  try {
    return new URL(path, 'http://localhost');
  } catch {
    throw new HttpError(`The request path "${path.slice(0, 100)}" is not a valid URL path.`, 400);
  }
}
