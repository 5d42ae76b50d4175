import { appendFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKeyId, runKeyOf, runRecordLine } from '../../cells/run-record.ts';
import type { RunRecord } from '../../cells/run-record.ts';
import { call, json } from '../support/http.ts';
import { runRecord } from '../support/records.ts';
import { useServer } from '../support/server.ts';

const context = useServer();

const HEADER = '---\ntitle: Log\nversion: 1\n---\n\n```prompt id=c\nhi\n```\n';

/** A run of cell `cellId` for target `targetId`, its text numbered. */
function run(name: string, i: number, cellId: string, targetId: string): RunRecord {
  return { ...runRecord(name, `answer ${i}`), cellId, targetId };
}

async function notebookWithRuns(name: string, records: RunRecord[]): Promise<string> {
  await writeFile(path.join(context.dir, `${name}.md`), HEADER);
  const log = path.join(context.dir, `${name}.runs.jsonl`);
  await writeFile(log, records.map(runRecordLine).join(''));
  return log;
}

interface Latest {
  records: RunRecord[];
  counts: Record<string, number>;
  warnings: string[];
}

const latest = async (name: string) =>
  json<Latest>(await call(`${context.server.url}api/notebooks/${name}/runs?latest`));
const history = async (name: string, key: string) =>
  json<{ records: RunRecord[]; total: number }>(
    await call(`${context.server.url}api/notebooks/${name}/runs?key=${encodeURIComponent(key)}`),
  );

describe('run logs through their index', () => {
  it('opens with each history’s latest run and how many runs it has, not with every record', async () => {
    const records = Array.from({ length: 3000 }, (_, i) =>
      run('big', i, ['a', 'b', 'c'][i % 3]!, i % 2 ? 'haiku' : 'llama'),
    );
    await notebookWithRuns('big', records);
    const answer = await latest('big');
    expect(answer.records).toHaveLength(6);
    expect(answer.records.map((r) => r.text)).toEqual(
      [2994, 2995, 2996, 2997, 2998, 2999].map((i) => `answer ${i}`),
    );
    expect(Object.values(answer.counts)).toEqual([500, 500, 500, 500, 500, 500]);
    expect(answer.warnings).toEqual([]);
  });

  it('gives one history on request, oldest first, its newest 500 with the total', async () => {
    const records = Array.from({ length: 1200 }, (_, i) => run('long', i, 'a', 'haiku'));
    await notebookWithRuns('long', records);
    const key = runKeyId(runKeyOf(records[0]!));
    const answer = await history('long', key);
    expect(answer.total).toBe(1200);
    expect(answer.records).toHaveLength(500);
    expect(answer.records[0]!.text).toBe('answer 700');
    expect(answer.records.at(-1)!.text).toBe('answer 1199');
    expect((await history('long', 'no such key')).total).toBe(0);
  });

  it('reads the runs appended since it last read, and a log written anew from its start', async () => {
    const log = await notebookWithRuns('growing', [run('growing', 1, 'a', 'haiku')]);
    expect((await latest('growing')).records.map((r) => r.text)).toEqual(['answer 1']);
    await appendFile(log, runRecordLine(run('growing', 2, 'a', 'haiku')));
    const grown = await latest('growing');
    expect(grown.records.map((r) => r.text)).toEqual(['answer 2']);
    expect(Object.values(grown.counts)).toEqual([2]);

    await rm(log);
    await writeFile(log, runRecordLine(run('growing', 3, 'b', 'llama')));
    const fresh = await latest('growing');
    expect(fresh.records.map((r) => [r.cellId, r.text])).toEqual([['b', 'answer 3']]);
    expect(Object.values(fresh.counts)).toEqual([1]);
  });

  it('skips a torn line and a line that is not a record, naming their lines', async () => {
    const log = await notebookWithRuns('torn', [run('torn', 1, 'a', 'haiku')]);
    await appendFile(log, '{"notebook": "torn", "cellId"\n{"just": "json"}\n');
    await appendFile(log, runRecordLine(run('torn', 2, 'b', 'haiku')));
    const answer = await latest('torn');
    expect(answer.records.map((r) => r.text)).toEqual(['answer 1', 'answer 2']);
    expect(answer.warnings).toEqual([
      'line 2: not valid JSON (a torn write?); skipped',
      'line 3: not a run record; skipped',
    ]);
  });
});
