/**
 * What the benchmarks share: the playground server in this process, notebooks written for them,
 * the page's build, and the table each figure is printed in next to its budget.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serializeNotebook } from '../cells/format.ts';
import { ensureBuilt } from '../scripts/build.mjs';
import { toNotebook } from '../cells/notebook.ts';
import type { NotebookSpec } from '../cells/notebook.ts';
import { startServer } from '../server/app.ts';
import type { PlaygroundServer } from '../server/app.ts';
import { launchBrowser } from '../tests/e2e/support.ts';
import type { Browser } from '../tests/e2e/support.ts';

/** One measured figure, with the budget it is held to (none for figures shown for context). */
export interface Figure {
  name: string;
  value: number;
  unit: 'ms' | 's' | '×' | 'KB' | 'tokens' | 'tokens/s';
  /** The most the figure may be; undefined when it has no budget. */
  budget?: number;
  /** Context for the reader: how it was measured, what it is made of. */
  note?: string;
}

const format = (value: number, unit: Figure['unit']): string => {
  if (unit === '×') return `${value.toFixed(2)}×`;
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit === 'KB') return `${value.toFixed(1)} KB`;
  if (unit === 'ms') return `${Math.round(value)} ms`;
  return `${Math.round(value)} ${unit}`;
};

/** A figure as one line of the table: name, value, budget, and whether it is within it. */
export function formatFigure(figure: Figure): string {
  const budget = figure.budget === undefined ? '' : `≤ ${format(figure.budget, figure.unit)}`;
  const verdict =
    figure.budget === undefined ? '' : figure.value <= figure.budget ? 'ok' : 'OVER BUDGET';
  return [
    figure.name.padEnd(46),
    format(figure.value, figure.unit).padStart(12),
    budget.padStart(14),
    `  ${verdict}`,
    figure.note ? `\n${' '.repeat(4)}${figure.note}` : '',
  ].join('');
}

export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Progress lines go to stderr, so that stdout is the figures alone. */
export const progress = (line: string): void => void process.stderr.write(`  · ${line}\n`);

/** Builds the page and the server, if their sources changed, as `npm start` does. */
export const buildPage = (): Promise<void> => ensureBuilt();

/** The playground server in this process, offline at speed 0, on a folder of its own. */
export interface BenchServer {
  server: PlaygroundServer;
  /** The page's address with a query (`?notebook=…`), signed in with the server's token. */
  pageUrl(query?: string): string;
  /** A request to the API, carrying the server's token. */
  api(route: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startBenchServer(
  notebooks: Record<string, NotebookSpec> = {},
): Promise<BenchServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bp-bench-'));
  for (const [name, spec] of Object.entries(notebooks)) {
    await writeFile(path.join(dir, `${name}.md`), serializeNotebook(toNotebook(spec)));
  }
  const server = await startServer({ port: 0, offline: true, speed: 0, dir });
  return {
    server,
    // The page trades the token for its cookie, as when a person opens the printed address.
    pageUrl: (query = '') =>
      `${server.url}?token=${encodeURIComponent(server.token)}${query.replace(/^\?/, '&')}`,
    api: (route, init) =>
      fetch(new URL(route, server.url), {
        ...init,
        headers: { ...init?.headers, authorization: `token ${server.token}` },
      }),
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs a run and reads its NDJSON events to the end. */
export async function runEvents(
  bench: BenchServer,
  body: unknown,
): Promise<Record<string, unknown>[]> {
  const res = await bench.api('/api/run', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Chromium as the browser tests drive it. */
export async function launchBenchBrowser(): Promise<Browser> {
  const browser = await launchBrowser();
  // tsx compiles with esbuild's keepNames, which wraps functions in `__name(…)`; the functions
  // handed to page.evaluate run in the page, where that helper does not exist.
  await browser.context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  return browser;
}
