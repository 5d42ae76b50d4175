import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledRequest } from '../../cells/request.ts';
import { startServer, type PlaygroundServer } from '../../server/app.ts';
import type { StreamRecord } from '../../server/emulator/index.ts';
import { call, ndjson, postJson, TEST_TOKEN } from '../support/http.ts';
import { useServer } from '../support/server.ts';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA2 = 'meta.llama2-13b-chat-v1';

let server: PlaygroundServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bp-run-'));
  server = await startServer({ token: TEST_TOKEN, port: 0, offline: true, speed: 0, dir });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function converse(text: string): CompiledRequest {
  return {
    api: 'converse',
    modelId: HAIKU,
    input: {
      modelId: HAIKU,
      system: [{ text: 'Please respond to all requests in the style of a pirate.' }],
      messages: [{ role: 'user', content: [{ text }] }],
      inferenceConfig: { maxTokens: 300, temperature: 0 },
    },
  };
}

function invoke(text: string): CompiledRequest {
  return {
    api: 'invoke',
    modelId: LLAMA2,
    body: { prompt: `<s>[INST] ${text} [/INST]`, max_gen_len: 300, temperature: 0 },
  };
}

async function run(
  request: CompiledRequest,
  options: { wire?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const res = await postJson(`${server.url}api/run`, {
    target: { modelId: request.modelId, api: request.api },
    request,
    ...options,
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
  const events = [];
  for await (const event of ndjson(res)) events.push(event);
  return events;
}

const textOf = (events: Record<string, unknown>[]) =>
  events
    .filter((e) => e.type === 'text')
    .map((e) => e.text as string)
    .join('');

describe('POST /api/run', () => {
  it.each([
    ['a Converse target', converse('Write a short email about a late parcel.')],
    ['an InvokeModel target', invoke('Write a short email about a late parcel.')],
  ])('streams text, a stop reason, usage and metrics for %s', async (_name, request) => {
    const events = await run(request);
    const types = events.map((e) => e.type).filter((t) => t !== 'raw');
    expect(types[0]).toBe('start');
    expect(types.filter((t) => t === 'text').length).toBeGreaterThan(3);
    expect(types.slice(-3)).toEqual(['stop', 'usage', 'metrics']);
    expect(textOf(events)).toContain('late parcel');

    const usage = events.find((e) => e.type === 'usage')!;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
    const metrics = events.find((e) => e.type === 'metrics')!;
    expect(metrics.timeToFirstTokenMs).toEqual(expect.any(Number));
    expect(metrics.totalMs as number).toBeGreaterThanOrEqual(metrics.timeToFirstTokenMs as number);
    expect(metrics.latencyMs).toEqual(expect.any(Number));
    // Bedrock's own events stay on the server unless the request asks for them.
    expect(events.some((e) => e.type === 'raw')).toBe(false);
    expect(events[0]!.runId).toEqual(expect.any(String));
  });

  it('reports the stop reason each API uses when maxTokens cuts the answer', async () => {
    const claude = converse('Tell me a long story.');
    if (claude.api === 'converse') claude.input.inferenceConfig = { maxTokens: 5 };
    const llama: CompiledRequest = {
      api: 'invoke',
      modelId: LLAMA2,
      body: { prompt: '<s>[INST] Tell me a long story. [/INST]', max_gen_len: 5 },
    };
    const [a, b] = await Promise.all([run(claude), run(llama)]);
    expect(a.find((e) => e.type === 'stop')?.reason).toBe('max_tokens');
    expect(a.find((e) => e.type === 'usage')?.outputTokens).toBe(5);
    expect(b.find((e) => e.type === 'stop')?.reason).toBe('length');
    expect(b.find((e) => e.type === 'usage')?.outputTokens).toBe(5);
  });

  it('writes the first text event before the emulator has produced the last token', async () => {
    const emulator = server.backend.emulator!;
    let latest: StreamRecord | undefined;
    const onToken = (record: StreamRecord) => (latest = { ...record });
    emulator.events.on('token', onToken);
    try {
      const res = await postJson(`${server.url}api/run`, {
        target: { modelId: HAIKU, api: 'converse' },
        request: converse('Explain tides. [[fault:pace:ms=15]]'),
      });
      let seen: StreamRecord | undefined;
      for await (const event of ndjson(res)) {
        if (event.type === 'text' && !seen) seen = { ...latest! };
      }
      expect(seen).toBeDefined();
      expect(seen!.tokensSent).toBeLessThan(seen!.totalTokens);
      expect(latest!.tokensSent).toBe(latest!.totalTokens);
    } finally {
      emulator.events.off('token', onToken);
    }
  });

  it('stops the emulator stream when the browser closes the request mid-stream', async () => {
    const emulator = server.backend.emulator!;
    const ended = new Promise<StreamRecord>((resolve) =>
      emulator.events.once('stream-end', (record: StreamRecord) => resolve({ ...record })),
    );
    const res = await postJson(`${server.url}api/run`, {
      target: { modelId: LLAMA2, api: 'invoke' },
      request: invoke('Count slowly to one hundred. [[fault:pace:ms=50]]'),
    });
    for await (const event of ndjson(res)) {
      if (event.type === 'text') break; // leaving the loop destroys the response socket
    }
    res.destroy();
    const record = await ended;
    expect(record.outcome).toBe('client-closed');
    expect(record.tokensSent).toBeLessThan(record.totalTokens);
  });

  it('fails only the model a [[fault:…:model=…]] directive names, so the other column completes', async () => {
    const prompt = 'Write a haiku. [[fault:throttling:model=claude]]';
    const [claude, llama] = await Promise.all([run(converse(prompt)), run(invoke(prompt))]);
    expect(claude.find((e) => e.type === 'error')?.name).toBe('ThrottlingException');
    expect(llama.find((e) => e.type === 'error')).toBeUndefined();
    expect(llama.find((e) => e.type === 'stop')?.reason).toBe('stop');
  });

  it.each([
    ['throttling', 'ThrottlingException', /wait/i],
    ['access-denied', 'AccessDeniedException', /request access to .* for region us-east-1/i],
    ['timeout', 'ModelTimeoutException', /too long/i],
    ['not-ready', 'ModelNotReadyException', /not ready/i],
    ['model-error', 'ModelErrorException', /could not process/i],
    ['internal', 'InternalServerException', /on its side/i],
    ['unavailable', 'ServiceUnavailableException', /on its side/i],
    ['stream-error:after=3', 'ModelStreamErrorException', /text so far is kept/i],
    ['disconnect:after=3', 'StreamCut', /cut/i],
  ])(
    'turns the [[fault:%s]] directive into an error event with a hint, and keeps serving',
    async (fault, name, hint) => {
      for (const request of [
        converse(`Hello [[fault:${fault}]]`),
        invoke(`Hello [[fault:${fault}]]`),
      ]) {
        const events = await run(request);
        const error = events.find((e) => e.type === 'error');
        expect(error, `${request.api}: ${JSON.stringify(events)}`).toBeDefined();
        expect(error!.name).toBe(name);
        expect(error!.hint).toMatch(hint);
        expect(events.at(-1)!.type).toBe('metrics');
        const texts = events.filter((e) => e.type === 'text');
        // A cut connection may lose frames in flight, as a real one does; an in-stream error may not.
        if (fault.startsWith('stream-error')) expect(texts).toHaveLength(3);
        if (fault.startsWith('disconnect')) expect(texts.length).toBeLessThanOrEqual(3);
      }
      const after = await run(converse('Still there?'));
      expect(after.some((e) => e.type === 'stop')).toBe(true);
    },
  );
});

describe('Bedrock’s events for the wire view', () => {
  const wireOf = async (runId: unknown) => {
    const answer = await call(`${server.url}api/run/${String(runId)}/wire`);
    return { status: answer.status, body: JSON.parse(answer.text) as Record<string, unknown> };
  };
  const rawOf = (events: Record<string, unknown>[]) =>
    events.filter((e) => e.type === 'raw').map((e) => e.event);

  it.each([
    ['Converse', converse('Explain tides.'), 'contentBlockDelta'],
    ['InvokeModel', invoke('Explain tides.'), 'generation'],
  ])(
    'streams them as raw lines only when the run asks, and keeps them for GET /api/run/ID/wire either way (%s)',
    async (_api, request, member) => {
      const quiet = await run(request);
      const asked = await run(request, { wire: true });
      expect(rawOf(quiet)).toEqual([]);
      const live = rawOf(asked);
      expect(JSON.stringify(live)).toContain(member);
      // Each run's kept events are the ones it received: those streamed, for the run that asked;
      // for the other, the same answer's events but for the latencies Bedrock measured.
      const timeless = (events: unknown[]) =>
        JSON.stringify(events).replace(/"(\w*[lL]atency\w*)":\d+/g, '"$1":0');
      for (const events of [asked, quiet]) {
        const kept = await wireOf(events[0]!.runId);
        expect(kept.status).toBe(200);
        expect(kept.body.complete).toBe(true);
        expect(kept.body.dropped).toBe(0);
        const entries = kept.body.events as { at: number; event: unknown }[];
        expect(entries.every((e) => Number.isInteger(e.at) && e.at >= 0)).toBe(true);
        const received = entries.map((e) => e.event);
        if (events === asked) expect(received).toEqual(live);
        else expect(timeless(received)).toBe(timeless(live));
      }
    },
  );

  it('says the events are still coming while the run streams', async () => {
    const res = await postJson(`${server.url}api/run`, {
      target: { modelId: HAIKU, api: 'converse' },
      request: converse('Explain tides. [[fault:tokens:n=30]] [[fault:pace:ms=20]]'),
    });
    let runId: unknown;
    let during: Record<string, unknown> | undefined;
    for await (const event of ndjson(res)) {
      if (event.type === 'start') runId = event.runId;
      if (event.type === 'text' && !during) during = (await wireOf(runId)).body;
    }
    expect(during?.complete).toBe(false);
    expect((during?.events as unknown[]).length).toBeGreaterThan(0);
    expect((await wireOf(runId)).body.complete).toBe(true);
  });

  it('answers 404 with the reason for a run it does not hold, and 401 without the token', async () => {
    const unknown = await wireOf('0b5e7a56-1d57-4c8e-a3f4-5a1f0e0a9d11');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/no longer holds .* last 50 runs/);
    const [first] = await run(converse('Hello'));
    const anonymous = await call(`${server.url}api/run/${String(first!.runId)}/wire`, {
      anonymous: true,
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('a stream stalled upstream', () => {
  const TIMEOUT_MS = 300;
  const stalling = useServer({ streamTimeoutMs: TIMEOUT_MS });

  it.each([
    ['before its first token (Converse)', converse('Hello [[fault:slow:ms=20000]]'), 0],
    ['between two tokens (InvokeModel)', invoke('Hello [[fault:pace:ms=20000]]'), 1],
  ])(
    'ends with StreamTimeout and a hint after the configured time without an event, when stalled %s, and aborts the call',
    async (_when, request, texts) => {
      const ended = new Promise<StreamRecord>((resolve) =>
        stalling.server.backend.emulator!.events.once('stream-end', (record: StreamRecord) =>
          resolve({ ...record }),
        ),
      );
      const res = await postJson(`${stalling.server.url}api/run`, {
        target: { modelId: request.modelId, api: request.api },
        request,
      });
      // When each event arrived: the timeout is measured from the last one before the error.
      const events: { event: Record<string, unknown>; at: number }[] = [];
      const started = performance.now();
      for await (const event of ndjson(res)) events.push({ event, at: performance.now() });
      const types = events.map((e) => e.event.type).filter((t) => t !== 'raw');
      expect(types).toEqual(['start', ...Array<string>(texts).fill('text'), 'error', 'metrics']);
      const errorAt = events.findIndex((e) => e.event.type === 'error');
      expect(events[errorAt]!.event).toEqual({
        type: 'error',
        name: 'StreamTimeout',
        message: 'Bedrock sent nothing for 0.3 s, so the call was aborted.',
        hint: expect.stringMatching(/text so far is kept.*--stream-timeout SECONDS/) as string,
      });
      // Measured because the issue asks for it: not before the configured time (less the
      // scheduling of two hops), and long before the 20 s stall would have ended.
      const waited = events[errorAt]!.at - events[errorAt - 1]!.at;
      expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(events[errorAt]!.at - started).toBeLessThan(10_000);
      const record = await ended;
      expect(record.outcome).toBe('client-closed');
      expect(record.tokensSent).toBe(texts);
    },
  );
});
