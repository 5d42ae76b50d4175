import { z } from 'zod';
import { GridEventSchema } from '../cells/grid-events.ts';
import type { GridEvent } from '../cells/grid-events.ts';
import { getJson } from './api.ts';
import { ndjsonLines, postNdjson } from './api-run.ts';

const DataFileSchema = z.object({
  name: z.string(),
  format: z.enum(['csv', 'jsonl']),
  text: z.string(),
});

/** A data file of the workspace (test cases in CSV or JSON lines), as text. */
export function getDataFile(
  name: string,
  signal?: AbortSignal,
): Promise<z.infer<typeof DataFileSchema>> {
  return getJson(`/api/data/${encodeURIComponent(name)}`, DataFileSchema, signal);
}

/**
 * Starts a grid run on the server and calls `onEvent` for each line as it arrives; resolves when
 * the run has ended. Aborting `signal` stops it (the server keeps what finished).
 */
export async function runGrid(
  body: unknown,
  onEvent: (event: GridEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await postNdjson('/api/grid', body, signal);
  // A last line cut mid-way is left out: the page then shows the calls it never heard of as stopped.
  for await (const { line, complete } of ndjsonLines(response.body)) {
    if (complete && line.trim()) onEvent(GridEventSchema.parse(JSON.parse(line)));
  }
}
