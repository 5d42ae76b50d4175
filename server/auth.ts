import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http.ts';

/** Sets the token for scripts, as `JUPYTER_TOKEN` does for Jupyter's server. */
export const TOKEN_ENV = 'BEDROCK_PLAYGROUND_TOKEN';
/** The cookie whose value the page echoes in the XSRF header (Tornado's and Jupyter's names). */
export const XSRF_COOKIE = '_xsrf';
export const XSRF_HEADER = 'x-xsrftoken';

/** A fresh token: 24 random bytes as hex, as Jupyter makes its own. */
export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** How a request proved it may use the API. */
export type SignedBy = 'token' | 'cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const AUTHORIZATION = /^(?:token|bearer)\s+(\S+)\s*$/i;
const XSRF_VALUE = /^[A-Za-z0-9_-]{16,128}$/;

const SIGN_IN =
  'This server needs its token: open the address it printed when it started (it ends in ?token=…), or send the header "Authorization: token <token>".';
const WRONG_TOKEN = 'The token in the Authorization header is not this server’s.';
const XSRF_MISSING = `A change signed in with the cookie must echo the ${XSRF_COOKIE} cookie in an X-XSRFToken header (scripts send "Authorization: token <token>" instead).`;

/**
 * Who may use the API, decided the way Jupyter's server does: every `/api` request carries the
 * token in an `Authorization: token …` header (scripts), or the session cookie that the page got
 * for it. A change signed by the cookie also echoes the `_xsrf` cookie in an `X-XSRFToken`
 * header, which a page of another origin can neither read nor send.
 */
export class Gate {
  private readonly tokenDigest: Buffer;
  /**
   * Derived from the token, so a server restarted with the same token (`--token`, the browser
   * tests) keeps its pages signed in; it reveals nothing of the token itself.
   */
  private readonly session: string;

  constructor(token: string) {
    this.tokenDigest = digest(token);
    this.session = createHmac('sha256', token)
      .update('bedrock-playground session')
      .digest('base64url');
  }

  /**
   * The session cookie's name. It carries the server's port (the port the request came in on),
   * since the cookies of a host are shared by all its ports, and so by other servers on it.
   */
  cookieName(req: IncomingMessage): string {
    return `bedrock-playground-${req.socket.localPort}`;
  }

  /** How the request is signed; a 401 when it is not, a 403 for a cookie change without XSRF. */
  check(req: IncomingMessage): SignedBy {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const token = AUTHORIZATION.exec(authorization)?.[1];
      if (token !== undefined && timingSafeEqual(digest(token), this.tokenDigest)) return 'token';
      throw new HttpError(token === undefined ? SIGN_IN : WRONG_TOKEN, 401);
    }
    const cookies = parseCookies(req.headers.cookie);
    const session = cookies.get(this.cookieName(req));
    if (session === undefined || !same(session, this.session)) throw new HttpError(SIGN_IN, 401);
    if (!SAFE_METHODS.has(req.method ?? 'GET')) {
      const xsrf = cookies.get(XSRF_COOKIE);
      const echoed = req.headers[XSRF_HEADER];
      if (xsrf === undefined || typeof echoed !== 'string' || !same(echoed, xsrf)) {
        throw new HttpError(XSRF_MISSING, 403);
      }
    }
    return 'cookie';
  }

  /**
   * The `Set-Cookie` values that sign a browser in: the session cookie, which no script can read,
   * and the XSRF value, which the page's own script reads and echoes. An XSRF value the browser
   * already has is kept, so other tabs of the page go on working.
   */
  cookies(req: IncomingMessage): string[] {
    const existing = parseCookies(req.headers.cookie).get(XSRF_COOKIE);
    const xsrf =
      existing !== undefined && XSRF_VALUE.test(existing)
        ? existing
        : randomBytes(24).toString('base64url');
    return [
      `${this.cookieName(req)}=${this.session}; Path=/; HttpOnly; SameSite=Strict`,
      `${XSRF_COOKIE}=${xsrf}; Path=/; SameSite=Strict`,
    ];
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares two secrets in constant time. */
function same(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    // The first of two cookies of one name is the one with the longest path, as browsers send them.
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}
