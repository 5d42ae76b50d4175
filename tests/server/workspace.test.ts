import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '../../cells/compile.ts';
import { parseNotebook } from '../../cells/format.ts';
import type { Notebook } from '../../cells/notebook.ts';
import { PROJECT_ROOT, startServer, type PlaygroundServer } from '../../server/app.ts';
import { EMULATOR_CREDENTIALS } from '../../server/emulator/index.ts';
import { Workspace } from '../../server/workspace.ts';
import { call, json, ndjson, postJson, type Answer, TEST_TOKEN } from '../support/http.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bp-ws-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let dir: string;
let server: PlaygroundServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(root, 'nb-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async () =>
  (server = await startServer({ token: TEST_TOKEN, port: 0, offline: true, speed: 0, dir }));

function send(method: string, route: string, body?: unknown): Promise<Answer> {
  const { host } = new URL(server!.url);
  return call(server!.url, {
    path: `/${route}`,
    method,
    headers: { 'content-type': 'application/json', origin: `http://${host}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

interface Stored {
  notebook: Notebook;
  version: string;
  text: string;
}

async function runRecorded(notebook: Notebook, name: string, cellId: string): Promise<string> {
  const target = notebook.targets[0]!;
  const { request } = compile(notebook, cellId, target);
  const res = await postJson(`${server!.url}api/run`, {
    target: { modelId: request.modelId, api: request.api },
    request,
    record: { notebook: name, cellId, targetId: target.id },
  });
  let text = '';
  for await (const event of ndjson(res)) if (event.type === 'text') text += event.text as string;
  return text;
}

describe('notebooks on disk', () => {
  it('keeps a saved notebook and its latest answers across a server restart', async () => {
    await start();
    const { notebook, version } = json<Stored>(await send('GET', 'api/notebooks/pirate-email'));
    const prompt = notebook.cells.find((c) => c.kind === 'prompt')!;
    const edited: Notebook = {
      ...notebook,
      cells: notebook.cells.map((c) =>
        c.id === prompt.id ? { ...c, text: 'Write a haiku about rope.' } : c,
      ),
    };
    const saved = await send('PUT', 'api/notebooks/pirate-email', { notebook: edited, version });
    expect(saved.status).toBe(200);
    const answer = await runRecorded(edited, 'pirate-email', prompt.id);
    expect(answer).toContain('haiku about rope');

    await server!.close();
    server = undefined;
    await start();

    const back = json<Stored>(await send('GET', 'api/notebooks/pirate-email'));
    expect(back.notebook.cells.find((c) => c.id === prompt.id)).toMatchObject({
      text: 'Write a haiku about rope.',
    });
    const { records, warnings } = json<{
      records: { text: string; cellId: string; backend: string }[];
      warnings: string[];
    }>(await send('GET', 'api/notebooks/pirate-email/runs'));
    expect(warnings).toEqual([]);
    expect(records.at(-1)).toMatchObject({ cellId: prompt.id, text: answer, backend: 'emulator' });
  });

  it('keeps run records free of credentials and outside the notebook source', async () => {
    await start();
    const { notebook } = json<Stored>(await send('GET', 'api/notebooks/pirate-email'));
    await runRecorded(
      notebook,
      'pirate-email',
      notebook.cells.find((c) => c.kind === 'prompt')!.id,
    );
    const runs = await readFile(path.join(dir, 'pirate-email.runs.jsonl'), 'utf8');
    const source = await readFile(path.join(dir, 'pirate-email.md'), 'utf8');
    expect(runs).not.toContain(EMULATOR_CREDENTIALS.accessKeyId);
    expect(runs).not.toContain(EMULATOR_CREDENTIALS.secretAccessKey);
    expect(source).not.toContain('Arr');
  });

  it('shows a change made with a text editor on disk, and answers a stale save with 409', async () => {
    await start();
    const first = json<Stored>(await send('GET', 'api/notebooks/glycolysis'));
    const file = path.join(dir, 'glycolysis.md');
    await writeFile(
      file,
      first.text.replace('Can you explain Glycolysis to me?', 'Explain the Krebs cycle.'),
    );

    const second = json<Stored>(await send('GET', 'api/notebooks/glycolysis'));
    expect(second.text).toContain('Explain the Krebs cycle.');
    expect(second.version).not.toBe(first.version);

    const stale = await send('PUT', 'api/notebooks/glycolysis', {
      notebook: first.notebook,
      version: first.version,
    });
    expect(stale.status).toBe(409);
    expect(json<{ version: string }>(stale).version).toBe(second.version);
    expect(await readFile(file, 'utf8')).toBe(second.text);
  });

  it.each([
    ['../x', /must not contain "\/"/],
    ['a/b', /must not contain "\/"/],
    ['a\\b', /must not contain "\/" or "\\"/],
    ['.hidden', /must not start with "."/],
    ['', /must not be empty/],
    ['x'.repeat(300), /at most 100 characters/],
    ['..', /must not contain ".."/],
  ])('refuses the name %j with 400 naming the rule, creating no file', async (name, rule) => {
    await start();
    const before = await readdir(root);
    const { notebook } = json<Stored>(await send('GET', 'api/notebooks/glycolysis'));
    const answers = [
      // Sent as the raw path: a URL parser would turn "/api/notebooks/.." into "/api/".
      await send('PUT', `api/notebooks/${name === '..' ? '..' : encodeURIComponent(name)}`, {
        notebook,
        version: null,
      }),
      await send('POST', 'api/notebooks/glycolysis/rename', { to: name }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(json<{ error: string }>(answer).error).toMatch(rule);
    }
    expect(await readdir(root)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual([
      'attachments',
      'compare-models.md',
      'glycolysis.md',
      'hello-world-llama2.md',
      'images-and-documents.md',
      'pirate-email.md',
    ]);
  });

  it('creates, renames and deletes a notebook, refusing to overwrite another', async () => {
    await start();
    const { notebook } = json<Stored>(await send('GET', 'api/notebooks/glycolysis'));
    expect(
      (await send('PUT', 'api/notebooks/Copy%20of%20glycolysis', { notebook, version: null }))
        .status,
    ).toBe(200);
    expect(
      (await send('PUT', 'api/notebooks/Copy%20of%20glycolysis', { notebook, version: null }))
        .status,
    ).toBe(409);
    expect(
      (await send('POST', 'api/notebooks/Copy%20of%20glycolysis/rename', { to: 'pirate-email' }))
        .status,
    ).toBe(409);
    expect(
      (await send('POST', 'api/notebooks/Copy%20of%20glycolysis/rename', { to: 'Krebs' })).status,
    ).toBe(200);
    expect((await send('DELETE', 'api/notebooks/Krebs')).status).toBe(204);
    expect((await send('GET', 'api/notebooks/Krebs')).status).toBe(404);
  });

  it('imports an uploaded file only when it parses, naming the line that does not', async () => {
    await start();
    const bad = await send('PUT', 'api/notebooks/upload', {
      text: '---\ntitle: x\n---\n\n```promt id=a\nhi\n```\n',
      version: null,
    });
    expect(bad.status).toBe(400);
    expect(json<{ error: string }>(bad).error).toMatch(/line 5: unknown cell kind "promt"/);
    expect((await readdir(dir)).some((f) => f.startsWith('upload'))).toBe(false);
  });

  it('lists a malformed notebook with its parse error instead of hiding it', async () => {
    await start();
    await writeFile(
      path.join(dir, 'broken.md'),
      '---\ntitle: Broken\n---\n\n```prompt id=a\nnever closed\n',
    );
    const { notebooks } = json<{ notebooks: { name: string; error: string | null }[] }>(
      await send('GET', 'api/notebooks'),
    );
    expect(notebooks.find((n) => n.name === 'broken')?.error).toMatch(/line \d+/);
    expect(notebooks.filter((n) => n.error === null).map((n) => n.name)).toEqual([
      'compare-models',
      'glycolysis',
      'hello-world-llama2',
      'images-and-documents',
      'pirate-email',
    ]);
    expect((await send('GET', 'api/notebooks/broken')).status).toBe(422);
  });
});

/** Starts the crash fixture and resolves once it has printed `count` lines. */
function crashWriter(args: string[], count: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/server/fixtures/crash-writer.ts', ...args],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = (async () => {
    let seen = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      if (line && ++seen >= count) return;
    }
    throw new Error('the writer exited before it was ready');
  })();
  return { child, ready, exited };
}

describe('a process killed while writing', () => {
  beforeEach(async () => {
    await Workspace.open(dir, path.join(PROJECT_ROOT, 'notebooks'));
  });

  it('leaves the old notebook whole when killed between writing and renaming', async () => {
    const file = path.join(dir, 'pirate-email.md');
    const before = await readFile(file, 'utf8');
    const writer = crashWriter(['save', dir, 'pirate-email'], 1);
    await writer.ready;
    writer.child.kill('SIGKILL');
    await writer.exited;

    expect(await readFile(file, 'utf8')).toBe(before);
    const workspace = new Workspace(dir);
    expect((await workspace.list()).every((entry) => entry.error === null)).toBe(true);
    // The flushed temporary file is left over, hidden, and never listed as a notebook.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    expect((await workspace.list()).map((e) => e.name)).toEqual([
      'compare-models',
      'glycolysis',
      'hello-world-llama2',
      'images-and-documents',
      'pirate-email',
    ]);
  });

  it('keeps every earlier run record readable when killed during appends', async () => {
    const writer = crashWriter(['append', dir, 'glycolysis'], 3);
    await writer.ready;
    writer.child.kill('SIGKILL');
    await writer.exited;

    const workspace = new Workspace(dir);
    const { records, warnings } = await workspace.runs('glycolysis');
    expect(records.length).toBeGreaterThanOrEqual(3);
    expect(warnings.length).toBeLessThanOrEqual(1); // at most the line the kill tore
    records.forEach((record, i) => expect(record.text.startsWith(`record ${i} `)).toBe(true));
  });

  it('skips a torn last line with a warning, and appends the next record on a line of its own', async () => {
    const workspace = new Workspace(dir);
    const notebook = parseNotebook(await readFile(path.join(dir, 'glycolysis.md'), 'utf8'));
    const target = notebook.targets[0]!;
    const record = {
      notebook: 'glycolysis',
      cellId: 'c',
      targetId: target.id,
      modelId: target.modelId,
      api: 'converse' as const,
      request: compile(notebook, notebook.cells.find((c) => c.kind === 'prompt')!.id, target)
        .request,
      text: 'first',
      stopReason: 'end_turn',
      usage: null,
      metrics: null,
      backend: 'emulator' as const,
      region: 'us-east-1',
      startedAt: new Date().toISOString(),
    };
    await workspace.appendRun('glycolysis', record);
    await appendFile(
      path.join(dir, 'glycolysis.runs.jsonl'),
      '{"notebook":"glycolysis","cellId":"c","te',
    );
    await workspace.appendRun('glycolysis', { ...record, text: 'after the crash' });

    const { records, warnings } = await workspace.runs('glycolysis');
    expect(records.map((r) => r.text)).toEqual(['first', 'after the crash']);
    expect(warnings).toEqual([expect.stringMatching(/^line 2: not valid JSON/)]);
  });
});

describe('notebook operations that race', () => {
  it('answers a rename to the same name at once, and keeps the notebook usable', async () => {
    await start();
    const renamed = await send('POST', 'api/notebooks/glycolysis/rename', { to: 'glycolysis' });
    expect(renamed.status).toBe(200);
    const { notebook, version } = json<Stored>(await send('GET', 'api/notebooks/glycolysis'));
    expect((await send('PUT', 'api/notebooks/glycolysis', { notebook, version })).status).toBe(200);
  });

  it('finishes two renames that cross each other, with both notebooks intact', async () => {
    await start();
    const [ab, ba] = await Promise.all([
      send('POST', 'api/notebooks/glycolysis/rename', { to: 'pirate-email' }),
      send('POST', 'api/notebooks/pirate-email/rename', { to: 'glycolysis' }),
    ]);
    expect([ab.status, ba.status]).toEqual([409, 409]);
    const { notebooks } = json<{ notebooks: { name: string }[] }>(
      await send('GET', 'api/notebooks'),
    );
    expect(notebooks.map((n) => n.name)).toEqual([
      'compare-models',
      'glycolysis',
      'hello-world-llama2',
      'images-and-documents',
      'pirate-email',
    ]);
  });

  it('records a run under the new name when the notebook is renamed while it streams', async () => {
    await start();
    const { notebook } = json<Stored>(await send('GET', 'api/notebooks/glycolysis'));
    const target = notebook.targets[0]!;
    const cellId = notebook.cells.find((c) => c.kind === 'prompt')!.id;
    const { request } = compile(
      {
        ...notebook,
        cells: notebook.cells.map((c) =>
          c.id === cellId ? { ...c, text: 'Hello there. [[fault:pace:ms=20]]' } : c,
        ),
      },
      cellId,
      target,
    );
    const res = await postJson(`${server!.url}api/run`, {
      target: { modelId: request.modelId, api: request.api },
      request,
      record: { notebook: 'glycolysis', cellId, targetId: target.id },
    });
    let renamed = false;
    for await (const event of ndjson(res)) {
      if (event.type === 'text' && !renamed) {
        renamed = true;
        const answer = await send('POST', 'api/notebooks/glycolysis/rename', {
          to: 'Glycolysis 2',
        });
        expect(answer.status).toBe(200);
      }
    }
    const { records } = json<{ records: { notebook: string; cellId: string }[] }>(
      await send('GET', `api/notebooks/${encodeURIComponent('Glycolysis 2')}/runs`),
    );
    expect(records).toEqual([expect.objectContaining({ notebook: 'Glycolysis 2', cellId })]);
  });

  it('lists a file whose name breaks the rules with the rule, since no route can open it', async () => {
    await start();
    await writeFile(path.join(dir, 'My notes!.md'), '---\ntitle: Notes\n---\n');
    const { notebooks } = json<{ notebooks: { name: string; error: string | null }[] }>(
      await send('GET', 'api/notebooks'),
    );
    expect(notebooks.find((n) => n.name === 'My notes!')?.error).toMatch(
      /may contain only letters/,
    );
  });
});

describe('a browser that stops a run mid-answer', () => {
  it.each(['converse', 'invoke'] as const)(
    'records the %s run as Stopped with the text streamed so far',
    async (api) => {
      await start();
      const { notebook } = json<Stored>(await send('GET', 'api/notebooks/pirate-email'));
      const target = notebook.targets.find((t) => t.api === api)!;
      const cellId = notebook.cells.find((c) => c.kind === 'prompt')!.id;
      const slow: Notebook = {
        ...notebook,
        cells: notebook.cells.map((c) =>
          c.id === cellId ? { ...c, text: 'Tell me a long story. [[fault:pace:ms=40]]' } : c,
        ),
      };
      const { request } = compile(slow, cellId, target);
      const res = await postJson(`${server!.url}api/run`, {
        target: { modelId: request.modelId, api: request.api },
        request,
        record: { notebook: 'pirate-email', cellId, targetId: target.id },
      });
      let text = '';
      for await (const event of ndjson(res)) {
        if (event.type === 'text') text += event.text as string;
        if (text.length > 10) break; // leaving the loop destroys the response socket
      }
      res.destroy();

      const runs = async () =>
        json<{ records: { text: string; stopReason: string | null; error?: { name: string } }[] }>(
          await send('GET', 'api/notebooks/pirate-email/runs'),
        ).records;
      await expect.poll(runs).toHaveLength(1);
      const [record] = await runs();
      expect(record!.error?.name).toBe('Stopped');
      expect(record!.stopReason).toBeNull();
      expect(record!.text.startsWith(text)).toBe(true);
    },
  );
});

describe('a browser that leaves before the answer starts', () => {
  it('stops the Bedrock call and records the run as stopped', async () => {
    await start();
    const emulator = server!.backend.emulator!;
    const outcomes: string[] = [];
    emulator.events.on('stream-end', (record: { outcome: string }) =>
      outcomes.push(record.outcome),
    );
    const { notebook } = json<Stored>(await send('GET', 'api/notebooks/glycolysis'));
    const target = notebook.targets[0]!;
    const cellId = notebook.cells.find((c) => c.kind === 'prompt')!.id;
    const { request } = compile(
      {
        ...notebook,
        cells: notebook.cells.map((c) =>
          c.id === cellId ? { ...c, text: 'Hello there. [[fault:pace:ms=30]]' } : c,
        ),
      },
      cellId,
      target,
    );
    const body = JSON.stringify({
      target: { modelId: request.modelId, api: request.api },
      request,
      record: { notebook: 'glycolysis', cellId, targetId: target.id },
    });
    const { host, port } = new URL(server!.url);
    // The whole request, then gone: the server learns of it before or while it calls Bedrock.
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.end(
      `POST /api/run HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\n` +
        `Authorization: token ${TEST_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    socket.destroy();

    await expect
      .poll(
        async () =>
          json<{ records: unknown[] }>(await send('GET', 'api/notebooks/glycolysis/runs')).records,
      )
      .toHaveLength(1);
    const { records } = json<{ records: { error?: { name: string } }[] }>(
      await send('GET', 'api/notebooks/glycolysis/runs'),
    );
    expect(records[0]!.error?.name).toBe('Stopped');
    expect(outcomes).not.toContain('complete');
  });
});
