import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../cells/format.ts';
import type { CompiledRequest } from '../../cells/request.ts';
import type { RunRecord } from '../../cells/run-record.ts';
import { PROJECT_ROOT, startServer } from '../../server/app.ts';
import { Workspace } from '../../server/workspace.ts';
import { call, json, ndjson, postJson, TEST_TOKEN } from '../support/http.ts';
import { runRecord } from '../support/records.ts';

const EXAMPLES = path.join(PROJECT_ROOT, 'notebooks');
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bp-records-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A workspace folder holding one copy of an example, under `name`. */
async function workspaceWith(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'nb-'));
  await copyFile(path.join(EXAMPLES, 'glycolysis.md'), path.join(dir, `${name}.md`));
  return dir;
}

describe('run records and renames', () => {
  it('records all of 100 runs in their notebook while it is renamed again and again', async () => {
    const dir = await workspaceWith('race-0');
    const server = await startServer({ token: TEST_TOKEN, port: 0, offline: true, speed: 0, dir });
    try {
      const runs = Array.from({ length: 100 }, async (_, i) => {
        // Short answers at different paces, so that they end one after another during the renames.
        const text = `Run ${i}. [[fault:pace:ms=${1 + (i % 5)}]]`;
        const request: CompiledRequest = {
          api: 'converse',
          modelId: HAIKU,
          input: {
            modelId: HAIKU,
            messages: [{ role: 'user', content: [{ text }] }],
            inferenceConfig: { maxTokens: 40 },
          },
        };
        const res = await postJson(`${server.url}api/run`, {
          target: { modelId: HAIKU, api: 'converse' },
          request,
          record: { notebook: 'race-0', cellId: `c${i}`, targetId: 'haiku' },
        });
        const events = ndjson(res);
        await events.next(); // "start": the server has taken the notebook the run records into
        // Wrapped, so that awaiting the start does not also await the end.
        return {
          ended: (async () => {
            for await (const event of events) expect(event.type).not.toBe('error');
          })(),
        };
      });
      const streaming = await Promise.all(runs);
      let done = false;
      const ended = Promise.all(streaming.map((run) => run.ended)).finally(() => (done = true));

      let n = 0;
      while (!done || n < 10) {
        const answer = await call(server.url, {
          path: `/api/notebooks/race-${n}/rename`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: `race-${n + 1}` }),
        });
        expect(answer.status).toBe(200);
        n++;
      }
      await ended;

      const { records, warnings } = json<{ records: RunRecord[]; warnings: string[] }>(
        await call(`${server.url}api/notebooks/race-${n}/runs`),
      );
      expect(warnings).toEqual([]);
      expect(records.map((r) => r.cellId).sort()).toEqual(
        Array.from({ length: 100 }, (_, i) => `c${i}`).sort(),
      );
      expect(await readdir(dir)).toEqual([`race-${n}.md`, `race-${n}.runs.jsonl`]);
    } finally {
      await server.close();
    }
  });

  it('records a run in the notebook it started in, not in a new notebook that took its name', async () => {
    const dir = await workspaceWith('first');
    const workspace = await Workspace.open(dir, EXAMPLES);
    const started = await workspace.notebook('first');
    await workspace.rename('first', 'renamed');
    const { notebook } = await workspace.read('renamed');
    await workspace.save('first', notebook, null);

    expect(await workspace.appendRun(started, runRecord('first', 'late answer'))).toBe('renamed');
    expect((await workspace.runs('renamed')).records.map((r) => r.text)).toEqual(['late answer']);
    expect((await workspace.runs('first')).records).toEqual([]);

    const gone = await workspace.notebook('first');
    await workspace.remove('first');
    await workspace.save('first', notebook, null);
    await expect(workspace.appendRun(gone, runRecord('first', 'orphan'))).rejects.toThrow(
      /No notebook named "first"/,
    );
    expect((await workspace.runs('first')).records).toEqual([]);
  });
});

describe('a start after a crash', () => {
  it('finishes a rename that a kill split between the notebook and its run log', async () => {
    const dir = await workspaceWith('before');
    const workspace = await Workspace.open(dir, EXAMPLES);
    await workspace.appendRun('before', runRecord('before', 'kept'));
    // The state a kill leaves between the two renames: the journal, the notebook moved, the log not.
    await writeFile(
      path.join(dir, '.before.renaming'),
      JSON.stringify({ from: 'before', to: 'after' }),
    );
    await rename(path.join(dir, 'before.md'), path.join(dir, 'after.md'));

    const restarted = await Workspace.open(dir, EXAMPLES);
    expect((await readdir(dir)).sort()).toEqual(['after.md', 'after.runs.jsonl']);
    expect((await restarted.runs('after')).records.map((r) => r.text)).toEqual(['kept']);
  });

  it('removes the temporary files of processes that are gone, and keeps those of one still writing', async () => {
    const dir = await workspaceWith('notes');
    const exited = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) =>
      exited.once('exit', () => resolve(exited.pid!)),
    );
    const stray = [`.notes.md.${deadPid}.0123456789ab.tmp`, '.notes.md.ba9876543210.tmp'];
    const live = `.notes.md.${process.pid}.00112233aabb.tmp`;
    for (const name of [...stray, live]) await writeFile(path.join(dir, name), 'half');

    await Workspace.open(dir, EXAMPLES);
    expect((await readdir(dir)).sort()).toEqual([live, 'notes.md']);
  });
});

describe('a process killed during rename-and-record loops', () => {
  /** The fixture as one plain script: started a hundred times, it must start fast. */
  let fixture: string;
  beforeAll(async () => {
    fixture = path.join(root, 'rename-and-record.mjs');
    await build({
      entryPoints: [path.join(PROJECT_ROOT, 'tests/server/fixtures/rename-and-record.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: fixture,
      // The bundled CommonJS modules require Node's own ones.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
  });

  /**
   * Kills the fixture `kills` times in the workspace `dir`, each time after a varying number of
   * steps and at a varying moment within the next one, and checks what the next start finds.
   * Resolves to the number of acknowledged records.
   */
  async function killLoop(dir: string, kills: number, chain: string): Promise<number> {
    const acknowledged = new Set<string>();
    for (let kill = 0; kill < kills; kill++) {
      const run = `${chain}${kill}`;
      const child = spawn(process.execPath, [fixture, dir, EXAMPLES, run], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const steps = kill % 7;
      let seen = -1;
      for await (const line of createInterface({ input: child.stdout })) {
        const acked = /^recorded (\S+)$/.exec(line)?.[1];
        if (acked) acknowledged.add(acked);
        if (++seen === steps) setTimeout(() => child.kill('SIGKILL'), kill % 5);
      }
      await exited;

      await Workspace.open(dir, EXAMPLES); // the next start
      const files = await readdir(dir);
      const notebooks = files.filter((f) => f.endsWith('.md'));
      expect(notebooks, `after kill ${run}: ${files.join(', ')}`).toHaveLength(1);
      const name = notebooks[0]!.slice(0, -'.md'.length);
      expect(files.filter((f) => f !== `${name}.md` && f !== `${name}.runs.jsonl`)).toEqual([]);
      parseNotebook(await readFile(path.join(dir, `${name}.md`), 'utf8'));
      const { records } = await new Workspace(dir).runs(name);
      const texts = new Set(records.map((r) => r.text.slice('record '.length)));
      expect(
        [...acknowledged].filter((id) => !texts.has(id)),
        `after kill ${run}`,
      ).toEqual([]);
    }
    return acknowledged.size;
  }

  // Each kill costs a Node start, a few tenths of a second on two busy cores: two workspaces
  // are killed in turn, so one process starts while the other works.
  it(
    'loses no acknowledged record in 100 kills, and the next start leaves no temporary file or split rename',
    { timeout: 180_000 },
    async () => {
      const [a, b] = await Promise.all([workspaceWith('chain-0'), workspaceWith('chain-0')]);
      const acknowledged = await Promise.all([killLoop(a, 50, 'a'), killLoop(b, 50, 'b')]);
      expect(acknowledged[0] + acknowledged[1]).toBeGreaterThan(100);
    },
  );
});
