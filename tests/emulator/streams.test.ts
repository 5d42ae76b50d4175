import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { startEmulator } from '../../server/emulator/index.ts';
import type { Emulator, StreamRecord } from '../../server/emulator/index.ts';
import {
  HAIKU,
  LLAMA2,
  converseInput,
  converseStreamAll,
  converseText,
  runtimeClient,
} from './helpers.ts';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

describe('streams', () => {
  it('complete 16 concurrent ConverseStream calls from one client with the right text', async () => {
    const client = runtimeClient(emulator);
    const inputs = Array.from({ length: 16 }, (_, i) =>
      converseInput(i % 2 ? HAIKU : LLAMA2, `Question number ${i}: what is ${i} squared?`),
    );
    const expected = await Promise.all(inputs.map((input) => converseText(client, input)));
    const streamed = await Promise.all(inputs.map((input) => converseStreamAll(client, input)));
    expect(streamed.map((result) => result.text)).toEqual(expected);
    expect(streamed.every((result) => result.stopReason === 'end_turn')).toBe(true);
    client.destroy();
  });

  it('report start, every token and a complete end on the events emitter', async () => {
    const client = runtimeClient(emulator);
    const seen: string[] = [];
    const onStart = (record: StreamRecord): void => void seen.push(`start:${record.modelId}`);
    const onToken = (): void => void seen.push('token');
    const ended = new Promise<StreamRecord>((resolve) =>
      emulator.events.once('stream-end', resolve),
    );
    emulator.events.on('stream-start', onStart);
    emulator.events.on('token', onToken);
    const result = await converseStreamAll(client, converseInput(HAIKU, 'Count the stars.'));
    const end = await ended;
    emulator.events.off('stream-start', onStart);
    emulator.events.off('token', onToken);
    expect(seen[0]).toBe(`start:${HAIKU}`);
    expect(seen.filter((entry) => entry === 'token').length).toBe(result.deltas);
    expect(end).toMatchObject({
      operation: 'ConverseStream',
      outcome: 'complete',
      tokensSent: result.deltas,
      totalTokens: result.deltas,
    });
    client.destroy();
  });

  it('stop generating as soon as the client aborts, reporting client-closed', async () => {
    for (const http1 of [false, true]) {
      const client = runtimeClient(emulator, { http1 });
      const controller = new AbortController();
      const ended = new Promise<StreamRecord>((resolve) =>
        emulator.events.once('stream-end', resolve),
      );
      const out = await client.send(
        new ConverseStreamCommand(converseInput(HAIKU, 'Write an essay [[fault:pace:ms=20]]')),
        { abortSignal: controller.signal },
      );
      let deltas = 0;
      try {
        for await (const event of out.stream ?? []) {
          if (event.contentBlockDelta) deltas += 1;
          if (deltas === 3) controller.abort();
        }
      } catch {
        // The SDK reports the abort as an error; the emulator's side is what is checked here.
      }
      const record = await ended;
      expect(record.outcome).toBe('client-closed');
      expect(record.tokensSent).toBeLessThan(record.totalTokens);
      client.destroy();
    }
  });

  it('hold the first token back for a [[fault:slow]] beyond the range of a Node timer', async () => {
    // Above 2^31-1 ms, setTimeout fires after 1 ms: the delay would vanish instead of growing.
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const client = runtimeClient(emulator);
    const controller = new AbortController();
    let tokens = 0;
    const onToken = (): void => void (tokens += 1);
    emulator.events.on('token', onToken);
    const ended = new Promise<StreamRecord>((resolve) =>
      emulator.events.once('stream-end', resolve),
    );
    await client.send(
      new ConverseStreamCommand(converseInput(HAIKU, 'Hurry [[fault:slow:ms=99999999999]]')),
      { abortSignal: controller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tokens).toBe(0);
    controller.abort();
    expect(await ended).toMatchObject({ outcome: 'client-closed', tokensSent: 0 });
    emulator.events.off('token', onToken);
    process.off('warning', onWarning);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
    client.destroy();
  });

  it('closes promptly while a paced stream is still open', async () => {
    const local = await startEmulator({ speed: 1 });
    const client = runtimeClient(local);
    const started = new Promise((resolve) => local.events.once('token', resolve));
    const ended = new Promise<StreamRecord>((resolve) => local.events.once('stream-end', resolve));
    const run = converseStreamAll(
      client,
      converseInput(LLAMA2, 'Long story [[fault:pace:ms=1000]]'),
    ).catch((error: unknown) => error);
    await started;
    await local.close();
    expect(await run).toBeInstanceOf(Error);
    expect((await ended).outcome).toBe('client-closed');
    client.destroy();
  });
});
