import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../cells/compile.ts';
import { parseData } from '../../cells/data.ts';
import { gridKeys, gridShapeOf, planGrid } from '../../cells/grid.ts';
import type { GridKey } from '../../cells/grid.ts';
import { parseNotebook, serializeNotebook } from '../../cells/format.ts';
import type { Notebook } from '../../cells/notebook.ts';
import { parseRunRecordLines } from '../../cells/run-record.ts';
import type { RunRecord } from '../../cells/run-record.ts';
import type { StreamRecord } from '../../server/emulator/index.ts';
import { authorization, ndjson, postJson } from '../support/http.ts';
import { useServer } from '../support/server.ts';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const LLAMA = 'meta.llama3-8b-instruct-v1:0';

const context = useServer();

/** A notebook of test cases: a data cell, a system prompt and a prompt that use its columns. */
function notebookText(
  options: { rows?: string; targets?: string; prompt?: string; checks?: string[] } = {},
): string {
  const targets =
    options.targets ??
    `  - id: haiku\n    label: Haiku\n    modelId: ${HAIKU}\n    api: converse\n  - id: llama\n    label: Llama 3\n    modelId: ${LLAMA}\n    api: invoke\n`;
  const checks = options.checks?.length
    ? `\n\`\`\`checks\n${options.checks.join('\n')}\n\`\`\`\n`
    : '';
  return `---
title: Capitals
version: 1
targets:
${targets}---

\`\`\`data id=cases
city,country
Paris,France
Lima,Peru
Oslo,Norway
\`\`\`

\`\`\`system id=sys
You answer questions about {{country}}.
\`\`\`

\`\`\`prompt id=ask repeat=2
${options.prompt ?? 'Which country is {{city}} the capital of?'}
\`\`\`
${checks}`;
}

async function saved(name: string, text: string): Promise<Notebook> {
  const notebook = parseNotebook(text);
  await writeFile(path.join(context.dir, `${name}.md`), serializeNotebook(notebook));
  return notebook;
}

/** The grid run the page would post for `keys` (all of them by default). */
function gridBody(notebook: Notebook, name: string | undefined, keys?: GridKey[]) {
  const shape = gridShapeOf(notebook, 'ask')!;
  const data = shape.data!;
  const table = parseData(data.text, data.format);
  const all = gridKeys(table.rows.length, shape.repeat, notebook.targets);
  const plan = planGrid(
    keys ?? all,
    notebook.targets,
    (row, target) =>
      compile(notebook, 'ask', target, undefined, { variables: table.rows[row]! }).request,
  );
  expect(plan.problems).toEqual([]);
  return {
    ...(name ? { notebook: name } : {}),
    cellId: 'ask',
    rows: table.rows,
    requests: plan.requests,
    calls: plan.calls,
    checks: shape.checks,
  };
}

async function runGrid(body: unknown, onEvent?: (event: Record<string, unknown>) => boolean) {
  const res = await postJson(`${context.server.url}api/grid`, body);
  const events: Record<string, unknown>[] = [];
  if (res.statusCode !== 200) {
    let text = '';
    for await (const chunk of res) text += String(chunk);
    return { status: res.statusCode, events, text };
  }
  for await (const event of ndjson(res)) {
    events.push(event);
    if (onEvent && !onEvent(event)) {
      res.destroy();
      break;
    }
  }
  return { status: 200, events, text: '' };
}

async function recordsOf(name: string): Promise<RunRecord[]> {
  const text = await readFile(path.join(context.dir, `${name}.runs.jsonl`), 'utf8').catch(() => '');
  return parseRunRecordLines(text).records;
}

const placeOf = (r: RunRecord) => `${r.grid!.row}:${r.grid!.repeat}:${r.targetId}`;

describe('POST /api/grid', () => {
  it('runs 3 test cases × 2 targets × 2 repeats as 12 calls, each recorded with its row, repeat and variables', async () => {
    const notebook = await saved('capitals', notebookText());
    const { status, events } = await runGrid(gridBody(notebook, 'capitals'));
    expect(status).toBe(200);
    expect(events[0]).toEqual({ type: 'start', total: 12 });
    expect(events.at(-1)).toEqual({ type: 'end', stopped: false, finished: 12 });
    const results = events.filter((e) => e.type === 'result');
    expect(results).toHaveLength(12);

    const records = await recordsOf('capitals');
    expect(records).toHaveLength(12);
    expect(new Set(records.map(placeOf)).size).toBe(12);
    for (const record of records) {
      const row = [
        { city: 'Paris', country: 'France' },
        { city: 'Lima', country: 'Peru' },
        { city: 'Oslo', country: 'Norway' },
      ][record.grid!.row]!;
      expect(record.grid!.variables).toEqual(row);
      expect(record.grid!.attempt).toBe(1);
      // The emulator quotes the prompt and repeats the system instruction: each answer shows
      // that its own test case arrived.
      expect(record.text).toContain(`Which country is ${row.city} the capital of?`);
      expect(record.text).toContain(`questions about ${row.country}`);
      expect(JSON.stringify(record.request)).toContain(`questions about ${row.country}`);
    }
  });

  it('runs Haiku at temperature 0 and at 1 through Converse, with requests that differ only in temperature', async () => {
    const targets = [
      `  - id: cold\n    label: Haiku at 0\n    modelId: ${HAIKU}\n    api: converse\n    overrides:\n      temperature: 0\n`,
      `  - id: hot\n    label: Haiku at 1\n    modelId: ${HAIKU}\n    api: converse\n    overrides:\n      temperature: 1\n`,
    ].join('');
    const notebook = await saved('variants', notebookText({ targets }));
    const keys = [0, 1]
      .map((row) => [
        { row, repeat: 0, targetId: 'cold' },
        { row, repeat: 0, targetId: 'hot' },
      ])
      .flat();
    const { events } = await runGrid(gridBody(notebook, 'variants', keys));
    expect(events.filter((e) => e.type === 'result')).toHaveLength(4);

    const records = await recordsOf('variants');
    for (const row of [0, 1]) {
      const cold = records.find((r) => r.targetId === 'cold' && r.grid!.row === row)!;
      const hot = records.find((r) => r.targetId === 'hot' && r.grid!.row === row)!;
      for (const record of [cold, hot]) {
        expect(record.api).toBe('converse');
        expect(record.stopReason).toBe('end_turn');
      }
      if (cold.request.api !== 'converse' || hot.request.api !== 'converse')
        throw new Error('not Converse');
      expect(cold.request.input.inferenceConfig?.temperature).toBe(0);
      expect(hot.request.input.inferenceConfig?.temperature).toBe(1);
      const without = (request: typeof cold.request) =>
        JSON.parse(JSON.stringify(request), (key, value: unknown) =>
          key === 'temperature' ? undefined : value,
        ) as unknown;
      expect(without(hot.request)).toEqual(without(cold.request));
    }
  });

  it('retries a throttled call after a wait, records each attempt, and still completes the grid', async () => {
    const notebook = await saved(
      'throttled',
      notebookText({
        prompt:
          'Which country is {{city}} the capital of? [[fault:throttling:times=2:model=claude]]',
      }),
    );
    const keys = [
      { row: 1, repeat: 0, targetId: 'haiku' },
      { row: 1, repeat: 0, targetId: 'llama' },
    ];
    const { events } = await runGrid(gridBody(notebook, 'throttled', keys));
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => e.attempt)).toEqual([1, 2]);
    for (const retry of retries) {
      expect(retry.error).toMatchObject({ name: 'ThrottlingException' });
      expect(retry.waitMs).toBeGreaterThan(0);
    }
    expect(events.at(-1)).toEqual({ type: 'end', stopped: false, finished: 2 });

    const haiku = (await recordsOf('throttled')).filter((r) => r.targetId === 'haiku');
    expect(haiku.map((r) => [r.grid!.attempt, r.error?.name ?? r.stopReason])).toEqual([
      [1, 'ThrottlingException'],
      [2, 'ThrottlingException'],
      [3, 'end_turn'],
    ]);
  });

  it('keeps what finished when the caller leaves, and a run of the missing calls makes only those', async () => {
    const notebook = await saved(
      'stopped',
      notebookText({ prompt: 'Which country is {{city}} the capital of? [[fault:slow:ms=150]]' }),
    );
    let results = 0;
    let started = 0;
    const onStart = () => started++;
    const emulator = context.server.backend.emulator!;
    emulator.events.on('stream-start', onStart);
    try {
      const first = await runGrid({ ...gridBody(notebook, 'stopped'), concurrency: 1 }, (event) => {
        if (event.type === 'result') results++;
        return results < 4;
      });
      expect(first.events.filter((e) => e.type === 'result')).toHaveLength(4);
      // Every call that reached Bedrock is recorded, the ones in flight at the stop as Stopped.
      await expect
        .poll(async () => (await recordsOf('stopped')).length, { timeout: 5000 })
        .toBeGreaterThanOrEqual(started);
    } finally {
      emulator.events.off('stream-start', onStart);
    }
    const afterStop = await recordsOf('stopped');
    const finished = afterStop.filter((r) => !r.error && r.stopReason);
    expect(finished.length).toBeGreaterThanOrEqual(4);
    expect(finished.length).toBeLessThan(12);

    const done = new Set(finished.map(placeOf));
    const all = gridKeys(3, 2, notebook.targets);
    const missing = all.filter((k) => !done.has(`${k.row}:${k.repeat}:${k.targetId}`));
    const second = await runGrid(gridBody(notebook, 'stopped', missing));
    expect(second.events.at(-1)).toEqual({ type: 'end', stopped: false, finished: missing.length });

    const answers = (await recordsOf('stopped')).filter((r) => !r.error && r.stopReason);
    expect(answers).toHaveLength(12);
    expect(new Set(answers.map(placeOf)).size).toBe(12);
  });

  it('answers a read of the runs with ?settled only once the calls in flight at a stop are recorded', async () => {
    const notebook = await saved(
      'settled',
      notebookText({ prompt: 'Which country is {{city}} the capital of? [[fault:slow:ms=300]]' }),
    );
    let started = 0;
    const onStart = () => started++;
    const emulator = context.server.backend.emulator!;
    emulator.events.on('stream-start', onStart);
    try {
      // The caller leaves at the first result, with two more calls in flight (one per model).
      await runGrid(
        { ...gridBody(notebook, 'settled'), concurrency: 1 },
        (event) => event.type !== 'result',
      );
      const res = await fetch(`${context.server.url}api/notebooks/settled/runs?settled`, {
        headers: authorization(),
      });
      const { records } = (await res.json()) as { records: RunRecord[] };
      expect(started).toBeGreaterThanOrEqual(2);
      expect(records).toHaveLength(started);
      expect(records.filter((r) => r.error?.name === 'Stopped').length).toBeGreaterThanOrEqual(1);
    } finally {
      emulator.events.off('stream-start', onStart);
    }
  });

  it('sends a model-graded check’s rubric through Converse to the grading model and records its verdict', async () => {
    const grader = 'anthropic.claude-3-sonnet-20240229-v1:0';
    const rubric = JSON.stringify({
      type: 'llm-rubric',
      value: 'PASS when the answer names {{country}}, FAIL otherwise.',
      model: grader,
    });
    const notebook = await saved('graded', notebookText({ checks: [rubric] }));
    const calls: StreamRecord[] = [];
    const onStart = (record: StreamRecord) => calls.push({ ...record });
    const emulator = context.server.backend.emulator!;
    emulator.events.on('stream-start', onStart);
    try {
      const { events } = await runGrid(
        gridBody(notebook, 'graded', [{ row: 0, repeat: 0, targetId: 'haiku' }]),
      );
      expect(events.at(-1)).toMatchObject({ type: 'end', finished: 1 });
    } finally {
      emulator.events.off('stream-start', onStart);
    }
    expect(calls.map((c) => [c.operation, c.modelId])).toEqual([
      ['ConverseStream', HAIKU],
      ['ConverseStream', grader],
    ]);
    const [record] = await recordsOf('graded');
    expect(record!.grades).toEqual([
      expect.objectContaining({
        pass: true,
        key: JSON.stringify([grader, 'PASS when the answer names France, FAIL otherwise.']),
      }),
    ]);
    expect(record!.grades![0]!.reply).toContain('PASS when the answer names France');
  });

  it('grades with the model that answered, also with one call in flight per model', async () => {
    const rubric = JSON.stringify({
      type: 'llm-rubric',
      value: 'FAIL unless the answer is in French.',
      model: HAIKU,
    });
    const notebook = await saved('self-graded', notebookText({ checks: [rubric] }));
    const keys = [0, 1, 2].map((row) => ({ row, repeat: 0, targetId: 'haiku' }));
    const { events } = await runGrid({
      ...gridBody(notebook, 'self-graded', keys),
      concurrency: 1,
    });
    expect(events.at(-1)).toEqual({ type: 'end', stopped: false, finished: 3 });
    const records = await recordsOf('self-graded');
    expect(records.map((r) => r.grades?.[0]?.pass)).toEqual([false, false, false]);
  });

  it('refuses a grid whose calls name a request it does not have, naming the field', async () => {
    const notebook = await saved('broken', notebookText());
    const body = gridBody(notebook, 'broken');
    const { status, text } = await runGrid({ ...body, calls: [{ request: 99, repeat: 0 }] });
    expect(status).toBe(400);
    expect(text).toContain('calls.0.request: there is no request 99');
  });
});
