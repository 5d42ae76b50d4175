import { execFile } from 'node:child_process';
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '../../cells/compile.ts';
import { parseNotebook } from '../../cells/format.ts';
import { startServer, type PlaygroundServer } from '../../server/app.ts';
import { call, json, ndjson, postJson, TEST_TOKEN, type Answer } from '../support/http.ts';
import { runRecord } from '../support/records.ts';

let root: string;
let outside: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bp-escape-'));
  outside = path.join(root, 'outside');
  await mkdir(outside);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let dir: string;
let server: PlaygroundServer;
let secret: string;
const SECRET = 'root:x:0:0:a secret line outside the workspace\n';
beforeEach(async () => {
  dir = await mkdtemp(path.join(root, 'nb-'));
  secret = path.join(outside, `${path.basename(dir)}-secret`);
  await writeFile(secret, SECRET);
  server = await startServer({ token: TEST_TOKEN, port: 0, offline: true, speed: 0, dir });
});
afterEach(async () => {
  await server.close();
});

function send(method: string, route: string, body?: unknown): Promise<Answer> {
  return call(server.url, {
    path: `/${route}`,
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const errorOf = (answer: Answer) => json<{ error: string }>(answer).error;

const list = async () =>
  json<{ notebooks: { name: string; error: string | null }[] }>(await send('GET', 'api/notebooks'))
    .notebooks;

const glycolysis = async () =>
  parseNotebook(await readFile(path.join(dir, 'glycolysis.md'), 'utf8'));

describe('a symbolic link in the workspace', () => {
  it('named like a notebook is never read, written, renamed or deleted through, and is listed with the reason', async () => {
    await symlink(secret, path.join(dir, 'passwd.md'));
    const notebook = await glycolysis();

    const answers = [
      await send('GET', 'api/notebooks/passwd'),
      await send('PUT', 'api/notebooks/passwd', { notebook, version: null }),
      await send('DELETE', 'api/notebooks/passwd'),
      await send('POST', 'api/notebooks/passwd/rename', { to: 'moved' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(errorOf(answer)).toMatch(
        /^passwd\.md is a symbolic link: the playground reads and writes only regular files/,
      );
      expect(answer.text).not.toContain('secret line');
    }
    expect(await readFile(secret, 'utf8')).toBe(SECRET);
    expect((await lstat(path.join(dir, 'passwd.md'))).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).not.toContain('moved.md');

    const entries = await list();
    expect(entries.find((e) => e.name === 'passwd')?.error).toMatch(/is a symbolic link/);
    expect(JSON.stringify(entries)).not.toContain('secret line');
  });

  it('named like a run log is never appended to or read through, by a run or by a posted record', async () => {
    await symlink(secret, path.join(dir, 'glycolysis.runs.jsonl'));
    const notebook = await glycolysis();
    const target = notebook.targets[0]!;
    const cellId = notebook.cells.find((c) => c.kind === 'prompt')!.id;
    const { request } = compile(notebook, cellId, target);

    const res = await postJson(`${server.url}api/run`, {
      target: { modelId: request.modelId, api: request.api },
      request,
      record: { notebook: 'glycolysis', cellId, targetId: target.id },
    });
    const types = [];
    for await (const event of ndjson(res)) types.push(event.type);
    expect(types).toContain('stop');

    const posted = await send(
      'POST',
      'api/notebooks/glycolysis/runs',
      runRecord('glycolysis', 'recorded', target.modelId),
    );
    expect(posted.status).toBe(403);
    expect(errorOf(posted)).toMatch(/^glycolysis\.runs\.jsonl is a symbolic link/);
    const read = await send('GET', 'api/notebooks/glycolysis/runs');
    expect(read.status).toBe(403);
    expect(read.text).not.toContain('secret line');
    expect(await readFile(secret, 'utf8')).toBe(SECRET);
  });
});

describe('a FIFO or a directory named like a notebook', () => {
  beforeEach(async () => {
    await promisify(execFile)('mkfifo', [path.join(dir, 'f.md'), path.join(dir, 'g.runs.jsonl')]);
    await mkdir(path.join(dir, 'adir.md'));
    await writeFile(path.join(dir, 'g.md'), await readFile(path.join(dir, 'glycolysis.md')));
  });

  it('is skipped in the listing, which answers at once', async () => {
    expect((await list()).map((e) => e.name)).toEqual([
      'compare-models',
      'g',
      'glycolysis',
      'hello-world-llama2',
      'images-and-documents',
      'pirate-email',
    ]);
  });

  it.each([
    ['f', 'a FIFO'],
    ['adir', 'a directory'],
  ])(
    'named %s.md is refused with 403 on every route, never a hang or a 500',
    async (name, kind) => {
      const notebook = await glycolysis();
      const answers = [
        await send('GET', `api/notebooks/${name}`),
        await send('PUT', `api/notebooks/${name}`, { notebook, version: null }),
        await send('PUT', `api/notebooks/${name}`, { notebook, version: 'abc' }),
        await send('DELETE', `api/notebooks/${name}`),
        await send('POST', `api/notebooks/${name}/rename`, { to: 'other' }),
        await send('POST', `api/notebooks/${name}/runs`, runRecord(name, 'recorded')),
      ];
      for (const answer of answers) {
        expect(answer.status, answer.text).toBe(403);
        expect(errorOf(answer)).toBe(
          `${name}.md is ${kind}: the playground reads and writes only regular files directly in its workspace.`,
        );
      }
    },
  );

  it('as a run log, is refused with 403 when read or appended to', async () => {
    const read = await send('GET', 'api/notebooks/g/runs');
    expect(read.status).toBe(403);
    expect(errorOf(read)).toMatch(/^g\.runs\.jsonl is a FIFO/);
    const posted = await send('POST', 'api/notebooks/g/runs', runRecord('g', 'recorded'));
    expect(posted.status).toBe(403);
    const renamed = await send('POST', 'api/notebooks/g/rename', { to: 'h' });
    expect(renamed.status).toBe(403);
    expect((await stat(path.join(dir, 'g.runs.jsonl'))).isFIFO()).toBe(true);
  });
});

describe('notebook names', () => {
  it.each([
    ['CON', /Windows device name/],
    ['nul', /Windows device name/],
    ['Com1', /Windows device name/],
    ['lpt9.backup', /Windows device name/],
    ['aux .notes', /Windows device name/],
    ['trailing dot.', /must not end in "\." or a space/],
    ['trailing space ', /must not end in "\." or a space/],
  ])(
    'refuses %j, a name Windows cannot hold, on every route that takes one',
    async (name, rule) => {
      const notebook = await glycolysis();
      const answers = [
        await send('PUT', `api/notebooks/${encodeURIComponent(name)}`, { notebook, version: null }),
        await send('GET', `api/notebooks/${encodeURIComponent(name)}`),
        await send('POST', 'api/notebooks/glycolysis/rename', { to: name }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(errorOf(answer)).toMatch(rule);
      }
      expect((await readdir(dir)).sort()).toEqual([
        'attachments',
        'compare-models.md',
        'glycolysis.md',
        'hello-world-llama2.md',
        'images-and-documents.md',
        'pirate-email.md',
      ]);
    },
  );

  it('still takes names that only look like device names', async () => {
    const notebook = await glycolysis();
    for (const name of ['console', 'Nullable', 'com10', 'aux-notes']) {
      const answer = await send('PUT', `api/notebooks/${name}`, { notebook, version: null });
      expect(answer.status, name).toBe(200);
    }
  });
});

describe('permissions', () => {
  it('creates the workspace readable by its user only, and every file in it likewise', async () => {
    const fresh = path.join(root, 'fresh', 'workspace');
    const own = await startServer({
      token: TEST_TOKEN,
      port: 0,
      offline: true,
      speed: 0,
      dir: fresh,
    });
    try {
      const mode = async (file: string) => (await stat(path.join(fresh, file))).mode & 0o777;
      expect(await mode('.')).toBe(0o700);
      for (const file of await readdir(fresh)) {
        // The examples' attachments folder is private too, and so is every file in it.
        expect(await mode(file)).toBe(file === 'attachments' ? 0o700 : 0o600);
      }
      const attached = await readdir(path.join(fresh, 'attachments'));
      expect(attached).toContain('guide-image.png');
      for (const file of attached) expect(await mode(`attachments/${file}`)).toBe(0o600);

      const notebook = await glycolysis();
      const saved = await call(own.url, {
        path: '/api/notebooks/new',
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ notebook, version: null }),
      });
      expect(saved.status).toBe(200);
      const posted = await call(own.url, {
        path: '/api/notebooks/new/runs',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(runRecord('new', 'recorded')),
      });
      expect(posted.status).toBe(204);
      expect(await mode('new.md')).toBe(0o600);
      expect(await mode('new.runs.jsonl')).toBe(0o600);
    } finally {
      await own.close();
    }
  });
});
