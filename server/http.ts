import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_JSON_DEPTH, tooDeepAt } from '../cells/json-depth.ts';
import { formatBytes } from '../cells/format.ts';

/** An error meant for the client: its message is safe to show; its cause is logged, never sent. */
export class HttpError extends Error {
  constructor(
    message: string,
    /** The HTTP status to answer with. */
    readonly status: number,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.details = options?.details ?? {};
  }

  /** Extra fields for the answer's body, e.g. the current version on a 409. */
  readonly details: Record<string, unknown>;
}

/** Body size limit for API requests: a compiled request or a notebook is far smaller. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Reads the whole body, refusing more than `limit` bytes with 413 before reading it all. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return (await readBytes(req, limit)).toString('utf8');
}

/** The body's bytes; more than `limit` is a 413 (`tooLarge` says why, by default the limit). */
export async function readBytes(
  req: IncomingMessage,
  limit: number,
  tooLarge: () => HttpError = () => bodyTooLarge(limit),
): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function bodyTooLarge(limit: number): HttpError {
  return new HttpError(`Request body is larger than ${formatBytes(limit)}, the limit.`, 413);
}

/** Reads and parses a JSON body; bad JSON is a 400 that says where it broke. */
export async function readJson(req: IncomingMessage, limit?: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError('Expected a JSON body (Content-Type: application/json).', 415);
  }
  const text = await readBody(req, limit);
  // Checked on the text, before JSON.parse, whose work grows with depth: the value then stays
  // far from the end of the stack for every recursive reader after it.
  const deep = tooDeepAt(text);
  if (deep !== null) {
    throw new HttpError(
      `Request body: ${deep} nests more than ${MAX_JSON_DEPTH} levels deep.`,
      400,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(`Request body is not valid JSON: ${(error as Error).message}`, 400);
  }
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostnameOf(host: string): string {
  // "[::1]:8790" keeps its brackets; "localhost:8790" loses the port.
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return match?.[1] ?? '';
}

/**
 * Refuses what a web page on another site could send to this server: a Host that is not
 * loopback (DNS rebinding) and a cross-origin request (the Origin is not this server's own).
 */
export function checkOrigin(req: IncomingMessage): void {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOSTNAMES.has(hostnameOf(host))) {
    throw new HttpError(`Host "${host}" is not a loopback address.`, 403);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    throw new HttpError(`Cross-origin request from "${origin}" refused.`, 403);
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new HttpError('Cross-site request refused.', 403);
  }
}

/** A path segment percent-decoded, or a 400 saying it is not valid percent-encoding. */
export function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError('The notebook name is not valid percent-encoding.', 400);
  }
}
