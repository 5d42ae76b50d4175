import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/**
 * The token of the servers the tests start (`startServer({ token: TEST_TOKEN })`); every call
 * carries it in an `Authorization: token …` header, as a script would, unless told not to.
 */
export const TEST_TOKEN = 'test-token-4f1c9a7e2b6d';

/** The header a script signs its API calls with. */
export function authorization(token = TEST_TOKEN): Record<string, string> {
  return { authorization: `token ${token}` };
}

/** A plain HTTP/1.1 request where the test controls every header (fetch forbids setting Host). */
export interface Call {
  /** The path exactly as sent, unnormalized (defaults to the URL's). */
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sends no Authorization header (to see what a caller without the token gets). */
  anonymous?: boolean;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export function open(url: string, call: Call = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const { hostname, port, pathname, search } = new URL(url);
    const req = httpRequest(
      {
        hostname,
        port,
        path: call.path ?? `${pathname}${search}`,
        method: call.method ?? 'GET',
        headers: {
          ...(call.anonymous ? {} : authorization()),
          // Node sends a DELETE's body without a length otherwise, which no server can read.
          ...(call.body === undefined ? {} : { 'content-length': Buffer.byteLength(call.body) }),
          ...call.headers,
        },
      },
      resolve,
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

export async function call(url: string, options: Call = {}): Promise<Answer> {
  const res = await open(url, options);
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) text += chunk as string;
  return { status: res.statusCode ?? 0, headers: res.headers, text };
}

/** Posts JSON the way the page does: same origin, JSON content type. */
export function postJson(
  url: string,
  value: unknown,
  headers: Record<string, string> = {},
): Promise<IncomingMessage> {
  const { host } = new URL(url);
  return open(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://${host}`, ...headers },
    body: JSON.stringify(value),
  });
}

/** Yields the parsed NDJSON lines of a response as they arrive. */
export async function* ndjson(res: IncomingMessage): AsyncGenerator<Record<string, unknown>> {
  let buffered = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    buffered += chunk as string;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
    }
  }
  if (buffered.trim()) yield JSON.parse(buffered) as Record<string, unknown>;
}

/** The JSON body of an answer, typed as the test expects it. */
export function json<T = Record<string, unknown>>(answer: Answer): T {
  return JSON.parse(answer.text) as T;
}
