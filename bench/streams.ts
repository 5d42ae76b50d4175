/**
 * Long and many streams. Answers of a known length come from the emulator's
 * `[[fault:tokens:n=N]]`, paced with `[[fault:pace:ms=2]]` (about 500 tokens per second).
 *   columns  three columns in Chromium for about a minute (Run all over cells of N tokens each):
 *            the longest main-thread task (PerformanceObserver 'longtask', which reports tasks of
 *            50 ms or more) and the tokens the page does not show;
 *   server   32 concurrent runs through POST /api/run: the tokens that do not arrive.
 */
import type { CellSpec, NotebookSpec } from '../cells/notebook.ts';
import type { StreamRecord } from '../server/emulator/index.ts';
import { tokenize } from '../server/emulator/tokens.ts';
import { deepText } from '../tests/e2e/support.ts';
import { launchBenchBrowser, progress, runEvents, startBenchServer } from './support.ts';
import type { Figure } from './support.ts';

const PACE_MS = 2;
/** Claude answers in prose, which the page renders as the same words it received. */
const COLUMNS = [
  { id: 'haiku', label: 'Claude 3 Haiku', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' },
  { id: 'sonnet', label: 'Claude 3 Sonnet', modelId: 'anthropic.claude-3-sonnet-20240229-v1:0' },
  {
    id: 'sonnet35',
    label: 'Claude 3.5 Sonnet',
    modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  },
] as const;
/** Tokens per answer: under Claude's 4096, so maxTokens never cuts. */
const TOKENS_PER_CELL = 4000;

function columnsNotebook(cellCount: number): NotebookSpec {
  const cells: CellSpec[] = [{ kind: 'config', id: 'cfg', maxTokens: 4096 }];
  for (let i = 1; i <= cellCount; i++) {
    cells.push({
      kind: 'prompt',
      id: `river-${i}`,
      text: `Tell me about rivers, part ${i}. [[fault:tokens:n=${TOKENS_PER_CELL}]] [[fault:pace:ms=${PACE_MS}]]`,
      newThread: true,
    });
  }
  return {
    title: 'Three long columns',
    targets: COLUMNS.map((c) => ({ ...c, api: 'converse' as const })),
    cells,
  };
}

export async function benchColumns(seconds: number): Promise<Figure[]> {
  const cellCount = Math.max(1, Math.ceil((seconds * 1000) / PACE_MS / TOKENS_PER_CELL));
  const bench = await startBenchServer({ columns: columnsNotebook(cellCount) });
  const emulator = bench.server.backend.emulator!;
  const ended: StreamRecord[] = [];
  const onEnd = (record: StreamRecord) => void ended.push({ ...record });
  emulator.events.on('stream-end', onEnd);
  const browser = await launchBenchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      const tasks: number[] = [];
      Object.assign(window, { benchLongTasks: tasks });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    await page.goto(bench.pageUrl('?notebook=columns'));
    await page.getByRole('region', { name: `Prompt cell ${cellCount + 1}` }).waitFor();
    // Let loading settle, then count only what streaming costs.
    await page.waitForTimeout(2000);
    await page.evaluate(() =>
      (window as unknown as { benchLongTasks: number[] }).benchLongTasks.splice(0),
    );

    const streams = cellCount * COLUMNS.length;
    progress(
      `columns: Run all, ${cellCount} cells × ${COLUMNS.length} columns × ${TOKENS_PER_CELL} tokens at ${PACE_MS} ms a token`,
    );
    const began = performance.now();
    await page.getByRole('button', { name: 'Run all' }).click();
    // Watched from the emulator's side, so that nothing polls the page while it streams.
    while (ended.length < streams) await new Promise((resolve) => setTimeout(resolve, 250));
    const streamedMs = performance.now() - began;
    await page.waitForTimeout(1000);
    const tasks = await page.evaluate(
      () => (window as unknown as { benchLongTasks: number[] }).benchLongTasks,
    );

    let lost = 0;
    const sent = ended.reduce((sum, record) => sum + record.tokensSent, 0);
    for (let i = 1; i <= cellCount; i++) {
      const cell = page.getByRole('region', { name: `Prompt cell ${i + 1}` });
      for (const column of COLUMNS) {
        const shown = await deepText(
          cell.getByRole('region', { name: `Answer of ${column.label}` }),
        );
        lost += Math.max(0, TOKENS_PER_CELL - tokenize(shown).length);
      }
    }
    const rate = sent / COLUMNS.length / (streamedMs / 1000);
    const longest = Math.max(0, ...tasks);
    return [
      {
        name: 'streaming 3 columns: longest main-thread task',
        value: longest,
        unit: 'ms',
        budget: 50,
        note: `${tasks.length} tasks of 50 ms or more in ${(streamedMs / 1000).toFixed(0)} s (0 means none); ${rate.toFixed(0)} tokens/s per column, ${sent} tokens sent`,
      },
      { name: 'streaming 3 columns: tokens not shown', value: lost, unit: 'tokens', budget: 0 },
    ];
  } finally {
    emulator.events.off('stream-end', onEnd);
    await browser.close();
    await bench.close();
  }
}

export async function benchConcurrent(count: number, tokens: number): Promise<Figure[]> {
  const bench = await startBenchServer();
  const directives = `[[fault:tokens:n=${tokens}]] [[fault:pace:ms=${PACE_MS}]]`;
  const run = (i: number) => {
    const llama = i % 4 === 3;
    const modelId = llama ? 'meta.llama2-13b-chat-v1' : COLUMNS[i % 3]!.modelId;
    const text = `Stream number ${i}, about rivers. ${directives}`;
    const request = llama
      ? { api: 'invoke', modelId, body: { prompt: `<s>[INST] ${text} [/INST]`, max_gen_len: 2048 } }
      : {
          api: 'converse',
          modelId,
          input: { modelId, messages: [{ role: 'user', content: [{ text }] }] },
        };
    return runEvents(bench, {
      target: { modelId, api: llama ? 'invoke' : 'converse' },
      request,
    });
  };
  progress(`server: ${count} concurrent runs of ${tokens} tokens at ${PACE_MS} ms a token`);
  const began = performance.now();
  const results = await Promise.all(Array.from({ length: count }, (_, i) => run(i)));
  const seconds = (performance.now() - began) / 1000;
  await bench.close();
  let lost = 0;
  let unfinished = 0;
  for (const events of results) {
    const text = events.map((e) => (e.type === 'text' ? String(e.text) : '')).join('');
    lost += Math.max(0, tokens - tokenize(text).length);
    if (!events.some((e) => e.type === 'stop')) unfinished += 1;
  }
  return [
    {
      name: `${count} concurrent streams: tokens lost`,
      value: lost,
      unit: 'tokens',
      budget: 0,
      note: `${count} × ${tokens} tokens in ${seconds.toFixed(1)} s, ${unfinished} without a stop event`,
    },
  ];
}
