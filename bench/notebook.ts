/**
 * A 200-cell notebook in Chromium: from navigation until its last cell is on screen and its
 * editor takes keys (the cell is scrolled to as soon as it exists, as a person jumping to the end
 * would). Read in the page as `performance.now()` (milliseconds since navigation) at the first
 * moment the main thread is free after that; the moment the cell's section is there is shown
 * beside it.
 */
import type { CellSpec, NotebookSpec } from '../cells/notebook.ts';
import { launchBenchBrowser, median, progress, startBenchServer } from './support.ts';
import type { Figure } from './support.ts';

const CELLS = 200;

/** A notebook as people write them: notes, a system prompt and settings, threads of prompts. */
function bigNotebook(): NotebookSpec {
  const cells: CellSpec[] = [];
  for (let i = 1; cells.length < CELLS; i++) {
    const id = (kind: string) => `${kind}-${i}`;
    cells.push(
      { kind: 'markdown', id: id('notes'), text: `## Part ${i}\n\nWhat this part tries, and why.` },
      { kind: 'system', id: id('system'), text: `You are a careful tutor, part ${i}.` },
      { kind: 'config', id: id('config'), maxTokens: 300, temperature: 0.5 },
      { kind: 'prompt', id: id('ask'), text: `Explain topic ${i} to a child.`, newThread: true },
      { kind: 'assistant', id: id('example'), text: `Topic ${i} is like a game of tag.` },
      { kind: 'prompt', id: id('more'), text: `Now give an example of topic ${i}.` },
      { kind: 'markdown', id: id('aside'), text: `Compare the answers of part ${i}.` },
      { kind: 'prompt', id: id('other'), text: `What is hard about topic ${i}?`, newThread: true },
      { kind: 'prompt', id: id('follow'), text: `And how would you test it?` },
      { kind: 'prompt', id: id('last'), text: `Summarise topic ${i} in one line.` },
    );
  }
  return {
    title: `${CELLS} cells`,
    targets: [
      {
        id: 'haiku',
        label: 'Claude 3 Haiku',
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        api: 'converse',
      },
      {
        id: 'llama2',
        label: 'Llama 2 13B Chat',
        modelId: 'meta.llama2-13b-chat-v1',
        api: 'invoke',
      },
    ],
    cells: cells.slice(0, CELLS),
  };
}

export async function benchNotebook(runs: number): Promise<Figure[]> {
  const bench = await startBenchServer({ big: bigNotebook() });
  const browser = await launchBenchBrowser();
  const onScreen: number[] = [];
  const times: number[] = [];
  try {
    for (let i = -1; i < runs; i++) {
      progress(
        i < 0
          ? '200 cells: a first load to warm the cache (not timed)'
          : `200 cells: load ${i + 1} of ${runs}`,
      );
      const page = await browser.context.newPage();
      await page.goto(bench.pageUrl('?notebook=big'), { waitUntil: 'commit' });
      const last = page.getByRole('region', { name: new RegExp(`cell ${CELLS}$`) });
      await last.waitFor({ state: 'attached', timeout: 60_000 });
      const shown = await last.evaluate((cell) => {
        cell.scrollIntoView({ block: 'center' });
        return performance.now();
      });
      await last.getByRole('textbox').first().waitFor({ state: 'attached', timeout: 60_000 });
      const ms = await page.evaluate(() => performance.now());
      if (i >= 0) {
        onScreen.push(shown);
        times.push(ms);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await bench.close();
  }
  return [
    {
      name: `${CELLS}-cell notebook to interactive (Chromium)`,
      value: median(times) / 1000,
      unit: 's',
      budget: 1,
      note: `median of ${runs}: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`,
    },
    {
      name: `${CELLS}-cell notebook: last cell on screen`,
      value: median(onScreen) / 1000,
      unit: 's',
      note: 'its section is there and scrolled to; its editor may not be yet',
    },
  ];
}
