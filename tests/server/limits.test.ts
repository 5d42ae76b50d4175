import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOTEBOOK_LIMITS } from '../../cells/format.ts';
import type { CompiledRequest } from '../../cells/request.ts';
import { call, json, ndjson, postJson, type Answer } from '../support/http.ts';
import { useServer } from '../support/server.ts';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const HEADER = '---\ntitle: Hostile\n---\n\n';

const context = useServer();

function send(method: string, route: string, body?: unknown): Promise<Answer> {
  return call(context.server.url, {
    path: `/${route}`,
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

const errorOf = (answer: Answer) => json<{ error: string }>(answer).error;

function converse(extras?: unknown, innerModelId = HAIKU): CompiledRequest {
  return {
    api: 'converse',
    modelId: HAIKU,
    input: {
      modelId: innerModelId,
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      ...(extras === undefined
        ? {}
        : { additionalModelRequestFields: extras as Record<string, unknown> }),
    },
  };
}

/** `depth` arrays nested in one another, as JSON text. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

interface Probe {
  wallMs: number;
  cpuMs: number;
}

/**
 * Asks `/api/status` again and again, one request after the other, for as long as `work` runs
 * (and at least `minimum` times), timing each answer.
 *
 * Why this test measures: the issue asks that `/api/status` keep answering within 100 ms while
 * hostile input is handled, because a parse that blocks the event loop stalls every request (a
 * 31 KiB body once blocked it for 4 s). The server runs in this process, so a blocked loop
 * delays the probes by the whole block. Each probe also records the CPU time this process used
 * while it waited: on a shared two-core machine a probe can wait because the process was not
 * scheduled at all, which is no block of the loop, so a probe fails only when both its wall time
 * and the CPU time spent meanwhile exceed the limit.
 */
async function probeStatus(work: Promise<unknown>, minimum = 20): Promise<Probe[]> {
  let done = false;
  const settled = work.finally(() => (done = true));
  const probes: Probe[] = [];
  while (!done || probes.length < minimum) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const answer = await call(`${context.server.url}api/status`);
    const used = process.cpuUsage(cpu);
    expect(answer.status).toBe(200);
    probes.push({
      wallMs: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
    });
  }
  await settled;
  return probes;
}

/** The slowest probe, as the smaller of its wall time and the CPU time used meanwhile. */
const slowest = (probes: Probe[]) => Math.max(...probes.map((p) => Math.min(p.wallMs, p.cpuMs)));

describe('hostile input', () => {
  it('keeps /api/status answering within 100 ms while it handles PUTs of "*a" × 100,000 and lists a 5 MB file', async () => {
    const starry = '*a'.repeat(100_000);
    // Over the limit, and just under it: the second is read and scanned whole.
    await writeFile(path.join(context.dir, 'huge.md'), HEADER + '*a'.repeat(2.5 * 1024 * 1024));
    await writeFile(
      path.join(context.dir, 'nearly.md'),
      HEADER + '*a'.repeat(NOTEBOOK_LIMITS.fileBytes / 2 - HEADER.length),
    );
    const hostile = async () => {
      const answers: Answer[] = [];
      for (let round = 0; round < 10; round++) {
        answers.push(
          await send('PUT', 'api/notebooks/starry', { text: HEADER + starry, version: null }),
        );
        answers.push(await send('GET', 'api/notebooks'));
        answers.push(await send('GET', 'api/notebooks/huge'));
      }
      return answers;
    };
    await hostile(); // once unmeasured, so the measured rounds see warm code

    const work = hostile();
    const probes = await probeStatus(work);
    expect(slowest(probes)).toBeLessThan(100);

    const answers = await work;
    for (const answer of answers.filter((_, i) => i % 3 === 0)) {
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatch(/line 5: only fenced cells may appear between cells/);
    }
    const { notebooks } = json<{ notebooks: { name: string; error: string | null }[] }>(
      answers[1]!,
    );
    expect(notebooks.find((n) => n.name === 'huge')?.error).toBe(
      'huge.md is larger than 4 MiB, the limit for a notebook file.',
    );
    expect(notebooks.find((n) => n.name === 'nearly')?.error).toMatch(/only fenced cells/);
    expect(answers[2]!.status).toBe(413);
    expect(await readdir(context.dir)).not.toContain('starry.md');
  });

  it('blocks the event loop no more than 5 ms per 100 KB while it saves and reads a notebook of nearly 4 MiB', async () => {
    const { notebook } = json<{ notebook: { cells: { kind: string; text?: string }[] } }>(
      await send('GET', 'api/notebooks/glycolysis'),
    );
    const first = notebook.cells.findIndex((c) => c.kind === 'prompt');
    const big = {
      ...notebook,
      cells: notebook.cells.map((c, i) => (i === first ? { ...c, text: '*a'.repeat(1.9e6) } : c)),
    };
    const body = JSON.stringify({ notebook: big, version: null });
    const work = (async () => {
      const saved = await send('PUT', 'api/notebooks/big', body);
      expect(saved.status).toBe(200);
      for (let round = 0; round < 5; round++) {
        expect((await send('GET', 'api/notebooks/big')).status).toBe(200);
      }
    })();
    // The bound for large input, in the same measure as above: a few milliseconds per
    // 100 KB, so a file near the size limit may hold the loop longer than a status probe's 100 ms.
    expect(slowest(await probeStatus(work))).toBeLessThan((5 * body.length) / 100_000);
  });

  it('answers a request body nested 5,000 deep with 400 naming the field, from every route', async () => {
    const deep = nested(5000);
    const run = await send(
      'POST',
      'api/run',
      `{"target":{"modelId":"${HAIKU}","api":"converse"},"request":{"api":"converse","modelId":"${HAIKU}","input":{"modelId":"${HAIKU}","messages":[],"additionalModelRequestFields":{"top_k":${deep}}}}}`,
    );
    expect(run.status).toBe(400);
    expect(errorOf(run)).toBe(
      'Request body: request.input.additionalModelRequestFields.top_k.0.0.… nests more than 64 levels deep.',
    );
    const save = await send(
      'PUT',
      'api/notebooks/deep',
      `{"version":null,"notebook":{"title":"x","cells":[{"kind":"config","id":"c","extras":{"haiku":{"x":${deep}}}}]}}`,
    );
    expect(save.status).toBe(400);
    expect(errorOf(save)).toMatch(
      /^Request body: notebook\.cells\.0\.extras\.haiku\.x\.… nests more than 64/,
    );
  });

  it('answers a notebook file whose config nests 5,000 deep, or whose header nests 10,000 deep, with 422 naming the line', async () => {
    await writeFile(
      path.join(context.dir, 'deep-config.md'),
      `${HEADER}\`\`\`config id=c\n{"extras": {"haiku": {"x": ${nested(5000)}}}}\n\`\`\`\n`,
    );
    // The YAML library ends the whole process on a header like this one, unless it is refused first.
    await writeFile(
      path.join(context.dir, 'deep-header.md'),
      `---\ntitle: ${'['.repeat(4000)}\n---\n`,
    );
    const config = await send('GET', 'api/notebooks/deep-config');
    expect(config.status).toBe(422);
    expect(errorOf(config)).toMatch(
      /line 6: the config nests more than 64 levels deep, at extras\.haiku\.x\.0/,
    );
    const header = await send('GET', 'api/notebooks/deep-header');
    expect(header.status).toBe(422);
    expect(errorOf(header)).toMatch(/line 2: the header nests more than 16 levels deep/);
    expect((await send('GET', 'api/status')).status).toBe(200);
  });

  it('refuses a run whose request names one model outside and another inside, so the record names the model called', async () => {
    const request = converse(undefined, 'meta.llama3-8b-instruct-v1:0');
    const res = await postJson(`${context.server.url}api/run`, {
      target: { modelId: HAIKU, api: 'converse' },
      request,
      record: { notebook: 'glycolysis', cellId: 'c', targetId: 't' },
    });
    expect(res.statusCode).toBe(400);
    let text = '';
    for await (const chunk of res) text += String(chunk);
    expect((JSON.parse(text) as { error: string }).error).toMatch(
      /request\.modelId is "anthropic\.claude-3-haiku-20240307-v1:0", request\.input\.modelId "meta\.llama3-8b-instruct-v1:0"/,
    );
    expect(
      json<{ records: unknown[] }>(await send('GET', 'api/notebooks/glycolysis/runs')).records,
    ).toEqual([]);

    const record = {
      notebook: 'glycolysis',
      cellId: 'c',
      targetId: 't',
      modelId: 'meta.llama2-13b-chat-v1',
      api: 'converse',
      request: converse(),
      text: 'x',
      stopReason: 'end_turn',
      usage: null,
      metrics: null,
      backend: 'emulator',
      region: 'us-east-1',
      startedAt: new Date().toISOString(),
    };
    const posted = await send('POST', 'api/notebooks/glycolysis/runs', record);
    expect(posted.status).toBe(400);
    expect(errorOf(posted)).toMatch(/the record's modelId "meta\.llama2-13b-chat-v1"/);
  });

  it('marks every answer nosniff: JSON, the run stream, the page, errors', async () => {
    const res = await postJson(`${context.server.url}api/run`, {
      target: { modelId: HAIKU, api: 'converse' },
      request: converse(),
    });
    for await (const event of ndjson(res)) expect(event.type).toBeDefined();
    const answers = [
      await call(`${context.server.url}api/status`),
      await call(`${context.server.url}api/status`, { anonymous: true }),
      await call(context.server.url),
      await call(`${context.server.url}assets/none.js`),
      await send('GET', 'api/notebooks/none'),
      await send('PUT', 'api/notebooks/x', '{'),
    ];
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    for (const answer of answers) expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers malformed input on every route with a 4xx and a message, never a 5xx', async () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(null, true, 0, -1, 1e308, '', 'x', '../x', 'CON', '\u0000'),
        fc.string(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom(
            'notebook',
            'text',
            'version',
            'to',
            'cells',
            'kind',
            'id',
            'target',
            'request',
            'record',
            'modelId',
            'api',
            'input',
            'extras',
            'title',
          ),
          tie('value'),
          { maxKeys: 4 },
        ),
      ),
    })).value;
    const body = fc.oneof(
      json.map((value) => JSON.stringify(value)),
      fc.string(),
      fc.constantFrom(
        '{',
        '[]',
        'null',
        nested(100),
        `{"text": "${HEADER.replace(/\n/g, '\\n')}${'*a'.repeat(1000)}", "version": null}`,
      ),
    );
    const route = fc.constantFrom(
      ['PUT', 'api/notebooks/fuzz'],
      ['PUT', 'api/notebooks/glycolysis'],
      ['POST', 'api/notebooks/glycolysis/rename'],
      ['POST', 'api/notebooks/glycolysis/runs'],
      ['POST', 'api/run'],
      ['PATCH', 'api/notebooks/glycolysis'],
      ['GET', 'api/notebooks/%E0%A4%A'],
      ['DELETE', 'api/notebooks/..'],
    );
    await fc.assert(
      fc.asyncProperty(route, body, async ([method, path], text) => {
        const answer = await call(context.server.url, {
          path: `/${path}`,
          method,
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        expect(answer.status, `${method} ${path} ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(
          200,
        );
        expect(answer.status, `${method} ${path} ${text.slice(0, 200)}`).toBeLessThan(500);
        if (answer.status >= 400) expect(errorOf(answer)).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
    expect((await send('GET', 'api/status')).status).toBe(200);
  });
});
