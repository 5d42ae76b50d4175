/**
 * A notebook with thousands of recorded calls against the same notebook with ten: the time from
 * navigation until the page shows the last cell's answers, in Chromium, and how long the server
 * takes to answer the page's request for the run log (its index built on the first request after
 * a start, then kept). The old read of the whole log is shown beside it.
 */
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { compile } from '../cells/compile.ts';
import type { NotebookSpec } from '../cells/notebook.ts';
import { toNotebook } from '../cells/notebook.ts';
import { runRecordLine } from '../cells/run-record.ts';
import { launchBenchBrowser, median, progress, startBenchServer } from './support.ts';
import type { BenchServer, Figure } from './support.ts';

const MANY = 5000;
const FEW = 10;

const SPEC: NotebookSpec = {
  title: 'Recorded',
  targets: [
    {
      id: 'haiku',
      label: 'Claude 3 Haiku',
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      api: 'converse',
    },
    { id: 'llama2', label: 'Llama 2 13B Chat', modelId: 'meta.llama2-13b-chat-v1', api: 'invoke' },
  ],
  cells: [
    { kind: 'system', id: 'sys', text: 'You are a careful tutor.' },
    { kind: 'prompt', id: 'a', text: 'Explain photosynthesis to a child.', newThread: true },
    { kind: 'prompt', id: 'b', text: 'Explain tides to a child.', newThread: true },
    { kind: 'prompt', id: 'c', text: 'Explain rainbows to a child.', newThread: true },
  ],
};

/** Appends `count` runs, spread over the notebook's three prompts and two targets. */
async function record(bench: BenchServer, name: string, count: number): Promise<void> {
  const notebook = toNotebook(SPEC);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const cellId = ['a', 'b', 'c'][i % 3]!;
    const target = notebook.targets[Math.floor(i / 3) % 2]!;
    const { request } = compile(notebook, cellId, target);
    lines.push(
      runRecordLine({
        notebook: name,
        cellId,
        targetId: target.id,
        modelId: target.modelId,
        api: target.api,
        request,
        text: `Answer ${i}: ${'a plant makes food from light, water and air. '.repeat(12)}`,
        stopReason: 'end_turn',
        usage: { inputTokens: 30, outputTokens: 120 },
        metrics: { timeToFirstTokenMs: 200, totalMs: 1500, latencyMs: 1400 },
        backend: 'emulator',
        region: 'us-east-1',
        startedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
      }),
    );
  }
  await appendFile(path.join(bench.server.workspace.dir, `${name}.runs.jsonl`), lines.join(''));
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function benchRunLog(runs: number): Promise<Figure[]> {
  const bench = await startBenchServer({ few: SPEC, many: SPEC });
  const browser = await launchBenchBrowser();
  const open: Record<string, number[]> = { few: [], many: [] };
  try {
    await record(bench, 'few', FEW);
    await record(bench, 'many', MANY);
    const [firstMany, firstFew] = [
      await timed(() => bench.api('/api/notebooks/many/runs?latest').then((r) => r.json())),
      await timed(() => bench.api('/api/notebooks/few/runs?latest').then((r) => r.json())),
    ];
    const whole = await timed(() => bench.api('/api/notebooks/many/runs').then((r) => r.json()));
    for (let i = -1; i < runs; i++) {
      for (const name of ['few', 'many']) {
        progress(
          `run log: open "${name}" ${i < 0 ? '(warm-up, not timed)' : `${i + 1} of ${runs}`}`,
        );
        const page = await browser.context.newPage();
        await page.goto(bench.pageUrl(`?notebook=${name}`), { waitUntil: 'commit' });
        const last = page.getByRole('status', { name: 'State of Llama 2 13B Chat' }).last();
        await last.waitFor({ timeout: 60_000 });
        await page.getByRole('region', { name: 'Answer of Llama 2 13B Chat' }).last().waitFor();
        const ms = await page.evaluate(() => performance.now());
        if (i >= 0) open[name]!.push(ms);
        await page.close();
      }
    }
    const few = median(open.few!);
    const many = median(open.many!);
    return [
      {
        name: `${MANY}-run notebook opens, against ${FEW} runs`,
        value: many / few,
        unit: '×',
        budget: 1.25,
        note: `median of ${runs} in Chromium, to its last answer on screen: ${(many / 1000).toFixed(2)} s against ${(few / 1000).toFixed(2)} s`,
      },
      {
        name: `${MANY}-run log: latest runs, first read`,
        value: firstMany,
        unit: 'ms',
        note: `indexing the log once (${FEW} runs: ${Math.round(firstFew)} ms); reading the whole log as before: ${Math.round(whole)} ms`,
      },
    ];
  } finally {
    await browser.close();
    await bench.close();
  }
}
