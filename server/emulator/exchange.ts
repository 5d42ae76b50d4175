import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2constants } from 'node:http2';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { BedrockError } from './errors.ts';

const CUT_GRACE_MS = 100;

export type Protocol = 'h2' | 'http/1.1';
export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** The subset of the response both `http` and `http2` compatibility responses share. */
interface ResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  setHeader(name: string, value: string | number): unknown;
  write(chunk: Uint8Array | string): boolean;
  end(chunk?: Uint8Array | string): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * One request/response pair, whatever the protocol. `signal` aborts when the client goes away
 * before the answer is complete, so generation stops at once and nobody pays for unread tokens.
 */
export class Exchange {
  readonly requestId = randomUUID();
  readonly signal: AbortSignal;
  readonly protocol: Protocol;
  readonly req: AnyRequest;
  private readonly res: ResponseLike;
  private readonly controller = new AbortController();

  constructor(req: AnyRequest, res: AnyResponse, protocol: Protocol) {
    this.req = req;
    this.res = res;
    this.protocol = protocol;
    this.signal = this.controller.signal;
    const ignore = (): void => undefined;
    // A client that vanishes mid-answer surfaces as stream/socket errors; they are expected here.
    req.on('error', ignore);
    res.on('error', ignore);
    if ('stream' in req) req.stream.on('error', ignore);
    res.once('close', () => {
      if (!this.res.writableEnded) this.controller.abort();
    });
  }

  /** True once the client is gone or the emulator is closing. */
  get aborted(): boolean {
    return this.signal.aborted;
  }

  abort(): void {
    this.controller.abort();
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  }

  async readBody(limit: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        throw new BedrockError('ValidationException', 'Input is too long for requested model.');
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (this.aborted || this.res.headersSent) return;
    const text = JSON.stringify(body);
    this.res.statusCode = status;
    this.res.setHeader('content-type', 'application/json');
    this.res.setHeader('content-length', Buffer.byteLength(text));
    this.res.setHeader('x-amzn-requestid', this.requestId);
    for (const [name, value] of Object.entries(headers)) this.res.setHeader(name, value);
    this.res.end(text);
  }

  sendError(error: BedrockError): void {
    this.sendJson(error.status, error.toJSON(), { 'x-amzn-errortype': error.errorName });
  }

  /** Sends the 200 headers of an event stream right away, as Bedrock does before the first event. */
  startStream(headers: Record<string, string>): void {
    this.res.statusCode = 200;
    this.res.setHeader('content-type', 'application/vnd.amazon.eventstream');
    this.res.setHeader('x-amzn-requestid', this.requestId);
    for (const [name, value] of Object.entries(headers)) this.res.setHeader(name, value);
    const res = this.res as unknown as {
      flushHeaders?: () => void;
      writeHead: (s: number) => void;
    };
    res.writeHead(200);
    res.flushHeaders?.();
  }

  /** Writes one frame, waiting for the client to drain a full buffer. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.aborted) return;
    if (this.res.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  end(): void {
    if (!this.aborted) this.res.end();
  }

  /**
   * Cuts the connection mid-answer: an HTTP/2 stream reset, or a destroyed HTTP/1.1 socket.
   * A reset overtakes queued data and makes the client drop what it has not read yet, so the
   * frames already written get a moment to arrive first: a dropped connection loses what is in
   * flight, not what was sent well before.
   */
  async cut(): Promise<void> {
    if (this.res.headersSent) await new Promise((resolve) => setTimeout(resolve, CUT_GRACE_MS));
    if ('stream' in this.req) this.req.stream.close(h2constants.NGHTTP2_INTERNAL_ERROR);
    else this.req.socket.destroy();
  }
}
