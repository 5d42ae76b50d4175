import { EventEmitter } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { AnyRequest, AnyResponse, Protocol } from './exchange.ts';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export type RequestHandler = (req: AnyRequest, res: AnyResponse, protocol: Protocol) => void;

/** A TCP listener that serves HTTP/2 cleartext and HTTP/1.1 on one port. */
export interface DualListener {
  server: net.Server;
  /** Emits 'connection' with the protocol chosen for each accepted socket. */
  events: EventEmitter;
  close(): Promise<void>;
}

/** A certificate and its key, in PEM: the listener then speaks TLS and picks h2 or HTTP/1.1 by ALPN. */
export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

/** How long a new connection may take to show which protocol it speaks, by default. */
export const PREFACE_TIMEOUT_MS = 10_000;

/**
 * Prior-knowledge HTTP/2 (what the JS SDK's NodeHttp2Handler speaks over http://) starts with a
 * fixed preface; HTTP/1.1 starts with a method. Peek at the first bytes, put them back, and hand
 * the socket to the matching server. A socket that has not decided within `prefaceTimeoutMs`
 * (silent, or stopped inside the 24-byte HTTP/2 preface) is destroyed: neither server has it
 * yet, so none of their timeouts would ever free it.
 */
export function createDualListener(
  handler: RequestHandler,
  prefaceTimeoutMs = PREFACE_TIMEOUT_MS,
  secure?: TlsFiles,
): DualListener {
  const events = new EventEmitter();
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const h1 = http.createServer((req, res) => handler(req, res, 'http/1.1'));
  const h2 = http2.createServer({}, (req, res) => handler(req, res, 'h2'));
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('error', () => undefined);
    session.once('close', () => sessions.delete(session));
  });

  // Without noDelay, small event-stream frames wait on Nagle's algorithm and the peer's delayed
  // ACK: about 40 ms per HTTP/1.1 response (http.Server sets it, but this socket is ours).
  const accept = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.destroy(), prefaceTimeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
    });
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const length = Math.min(seen.length, H2_PREFACE.length);
      const isH2 = seen.subarray(0, length).equals(H2_PREFACE.subarray(0, length));
      if (isH2 && seen.length < H2_PREFACE.length) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      const protocol: Protocol = isH2 ? 'h2' : 'http/1.1';
      events.emit('connection', protocol);
      if (isH2) {
        // The HTTP/2 session reads the buffered preface itself and takes over the socket.
        h2.emit('connection', socket);
      } else {
        h1.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  };
  // Over TLS the same peek runs on the decrypted stream: a client that negotiated h2 by ALPN
  // (the JavaScript SDK over https) sends the preface, one that did not (boto3) a method.
  const server = secure
    ? tls.createServer(
        { cert: secure.cert, key: secure.key, ALPNProtocols: ['h2', 'http/1.1'], noDelay: true },
        accept,
      )
    : net.createServer({ noDelay: true }, accept);

  return {
    server,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        // A GOAWAY with an error code fails open streams on the client instead of ending them
        // as if the answer were complete.
        for (const session of sessions) {
          session.destroy(new Error('emulator closed'), http2.constants.NGHTTP2_INTERNAL_ERROR);
        }
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
