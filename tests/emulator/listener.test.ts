import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http2 from 'node:http2';
import net from 'node:net';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';

const TIMEOUT_MS = 200;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0, prefaceTimeoutMs: TIMEOUT_MS });
});
afterAll(() => emulator.close());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw TCP connection to the emulator that records when the emulator closes it. */
async function rawSocket(): Promise<{ socket: net.Socket; closed: Promise<number> }> {
  const socket = net.connect(emulator.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const openedAt = Date.now();
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(Date.now() - openedAt)),
  );
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  return { socket, closed };
}

describe('the connection preface', () => {
  it('closes a connection that stops partway through the HTTP/2 preface', async () => {
    const { socket, closed } = await rawSocket();
    socket.write('PRI * HTTP/2.0\r\n');
    const after = await closed;
    // The emulator's clock starts when it accepts the socket, a little before the client sees
    // 'connect': the lower bound only says the connection was given time, not closed at once.
    expect(after).toBeGreaterThanOrEqual(TIMEOUT_MS / 2);
    expect(after).toBeLessThan(5_000);
  });

  it('closes a connection that sends nothing at all', async () => {
    const { closed } = await rawSocket();
    expect(await closed).toBeLessThan(5_000);
  });

  it('keeps an idle HTTP/1.1 keep-alive connection once the protocol is known', async () => {
    const { socket, closed } = await rawSocket();
    let answers = 0;
    socket.on('data', (chunk: Buffer) => {
      answers += chunk.toString('latin1').split('HTTP/1.1 403').length - 1;
    });
    const request = 'GET /foundation-models HTTP/1.1\r\nHost: emulator\r\n\r\n';
    socket.write(request);
    await pause(TIMEOUT_MS * 2);
    socket.write(request);
    await pause(100);
    expect(answers).toBe(2);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
    await closed;
  });

  it('keeps an idle HTTP/2 session once the protocol is known', async () => {
    const session = http2.connect(emulator.url);
    session.on('error', () => undefined);
    const status = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':method': 'GET', ':path': '/foundation-models' });
        stream.on('response', (headers) => resolve(Number(headers[':status'])));
        stream.on('error', reject);
        stream.resume();
        stream.end();
      });
    expect(await status()).toBe(403);
    await pause(TIMEOUT_MS * 2);
    expect(session.closed || session.destroyed).toBe(false);
    expect(await status()).toBe(403);
    session.close();
  });
});
