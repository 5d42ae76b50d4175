/**
 * `npm run bench`: every figure the playground is held to, measured in one run and printed next
 * to its budget. Benchmarks, not tests: a figure over budget is reported, and the run still ends
 * normally. `--only start,relay,…` runs some; the others take options below.
 */
import { parseArgs } from 'node:util';
import { benchNotebook } from './notebook.ts';
import { benchRelay } from './relay.ts';
import { benchSizes } from './sizes.ts';
import { benchStart } from './start.ts';
import { benchColumns, benchConcurrent } from './streams.ts';
import { buildPage, formatFigure, progress } from './support.ts';
import type { Figure } from './support.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run bench -- [options]

  --only LIST    some of: sizes, start, relay, notebook, concurrent, columns (default: all)
  --rounds N     relay: timed rounds of each way (default 100; a fifth of it with long answers)
  --seconds N    columns: how long the three columns stream (default 60)`);
  process.exit(0);
}

const BENCHES: Record<string, () => Promise<Figure[]>> = {
  sizes: benchSizes,
  start: () => benchStart(3),
  relay: async () => [
    ...(await benchRelay(Number(values.rounds))),
    ...(await benchRelay(Math.ceil(Number(values.rounds) / 5), 2000)),
  ],
  notebook: () => benchNotebook(3),
  concurrent: () => benchConcurrent(32, 2000),
  columns: () => benchColumns(Number(values.seconds)),
};
const wanted = values.only?.split(',').map((name) => name.trim()) ?? Object.keys(BENCHES);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(', ')}; see --help`);
  process.exit(2);
}

const began = performance.now();
progress('building the page and the server if their sources changed');
await buildPage();
const figures: Figure[] = [];
for (const name of wanted) {
  const measured = await BENCHES[name]!();
  for (const figure of measured) console.log(formatFigure(figure));
  figures.push(...measured);
}
const over = figures.filter((f) => f.budget !== undefined && f.value > f.budget);
console.log(
  `\n${figures.length} figures in ${((performance.now() - began) / 1000).toFixed(0)} s; ${over.length === 0 ? 'all within budget' : `over budget: ${over.map((f) => f.name).join('; ')}`}`,
);
