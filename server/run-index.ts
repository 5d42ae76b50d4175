import type { FileHandle } from 'node:fs/promises';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { MAX_JSON_DEPTH, tooDeepAt } from '../cells/json-depth.ts';
import { RunRecordSchema, runKeyId } from '../cells/run-record.ts';
import type { RunRecord } from '../cells/run-record.ts';
import { openForReading } from './atomic.ts';

/**
 * An index of a notebook's run log, so that opening a notebook with thousands of recorded calls
 * costs what one with ten does: each line's place in the file and the history it belongs to
 * (cell, target, model, API, and a grid's test case and repeat) are read once and kept; what
 * the page needs at once (each history's latest run) and later (one history, when it is looked
 * at) is then read by position. Lines appended since are indexed on the next read; a log that
 * shrank or was replaced is indexed afresh.
 */

/** How much of the log is read between two turns of the event loop while indexing. */
const SLICE = 256 * 1024;
/** The most runs of one history a page is given at once (the newest ones). */
export const HISTORY_LIMIT = 500;

interface Entry {
  offset: number;
  length: number;
  /** 1-based line of the log, for warnings. */
  line: number;
  key: string;
}

interface LogIndex {
  ino: number;
  /** Bytes indexed: everything before the first line not yet complete. */
  size: number;
  lines: number;
  entries: Entry[];
  /** Lines that are not records, said once. */
  warnings: string[];
}

/** Each history's latest runs (oldest first), how many runs each has, and what was skipped. */
export interface LatestRuns {
  records: RunRecord[];
  /** Runs per history, by `runKeyId`: more than one means earlier runs can be asked for. */
  counts: Record<string, number>;
  warnings: string[];
}

/** The key a run log line belongs to, read from the parsed line; undefined if it has none. */
function keyOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const grid = v.grid as { row?: unknown; repeat?: unknown } | undefined;
  if (typeof v.cellId !== 'string' || typeof v.targetId !== 'string') return undefined;
  if (typeof v.modelId !== 'string' || (v.api !== 'converse' && v.api !== 'invoke')) {
    return undefined;
  }
  const row = typeof grid?.row === 'number' ? grid.row : undefined;
  const repeat = typeof grid?.repeat === 'number' ? grid.repeat : 0;
  return runKeyId({
    cellId: v.cellId,
    targetId: v.targetId,
    modelId: v.modelId,
    api: v.api,
    ...(row === undefined ? {} : { row, repeat }),
  });
}

/** The indexes of the run logs this server has read, by file. */
export class RunIndexes {
  private readonly indexes = new Map<string, LogIndex>();
  /** One indexing at a time per file; readers wait for it. */
  private readonly pending = new Map<string, Promise<LogIndex | null>>();

  /** Each history's latest run, with counts; empty for a notebook without a log. */
  async latest(file: string): Promise<LatestRuns> {
    return this.read(
      file,
      async (index, handle) => {
        const latest = new Map<string, Entry>();
        const counts: Record<string, number> = {};
        for (const entry of index.entries) {
          latest.set(entry.key, entry);
          counts[entry.key] = (counts[entry.key] ?? 0) + 1;
        }
        const entries = [...latest.values()].sort((a, b) => a.offset - b.offset);
        const { records, warnings } = await readEntries(handle, entries);
        return { records, counts, warnings: [...index.warnings, ...warnings] };
      },
      { records: [], counts: {}, warnings: [] },
    );
  }

  /** The runs of one history (`runKeyId`), oldest first: its newest `HISTORY_LIMIT`. */
  async history(file: string, key: string): Promise<{ records: RunRecord[]; total: number }> {
    return this.read(
      file,
      async (index, handle) => {
        const entries = index.entries.filter((e) => e.key === key);
        const { records } = await readEntries(handle, entries.slice(-HISTORY_LIMIT));
        return { records, total: entries.length };
      },
      { records: [], total: 0 },
    );
  }

  /** Forgets a log (deleted, or renamed away: its next reader indexes it afresh). */
  forget(file: string): void {
    this.indexes.delete(file);
  }

  private async read<T>(
    file: string,
    use: (index: LogIndex, handle: FileHandle) => Promise<T>,
    none: T,
  ): Promise<T> {
    const handle = await openForReading(file);
    if (!handle) {
      this.indexes.delete(file);
      return none;
    }
    try {
      const index = await this.update(file, handle);
      return index ? await use(index, handle) : none;
    } finally {
      await handle.close();
    }
  }

  /** Brings the index of `file` up to date with what `handle` holds now. */
  private async update(file: string, handle: FileHandle): Promise<LogIndex | null> {
    for (;;) {
      const running = this.pending.get(file);
      if (!running) break;
      await running;
    }
    const work = (async () => {
      const { ino, size } = await handle.stat();
      let index = this.indexes.get(file);
      if (!index || index.ino !== ino || index.size > size) {
        index = { ino, size: 0, lines: 0, entries: [], warnings: [] };
      }
      await extend(index, handle, size);
      this.indexes.set(file, index);
      return index;
    })();
    this.pending.set(file, work);
    try {
      return await work;
    } finally {
      this.pending.delete(file);
    }
  }
}

/** Indexes the complete lines between what was indexed and `size`, a slice at a time. */
async function extend(index: LogIndex, handle: FileHandle, size: number): Promise<void> {
  let carry = Buffer.alloc(0);
  let position = index.size;
  while (position < size) {
    const chunk = Buffer.alloc(Math.min(SLICE, size - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    const data = carry.length
      ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
      : chunk.subarray(0, bytesRead);
    const start = position - carry.length;
    position += bytesRead;
    let from = 0;
    for (let newline = data.indexOf(0x0a); newline >= 0; newline = data.indexOf(0x0a, from)) {
      indexLine(index, data.subarray(from, newline), start + from);
      from = newline + 1;
    }
    carry = Buffer.from(data.subarray(from));
    index.size = start + from;
    if (position < size) await yieldToEvents();
  }
}

function indexLine(index: LogIndex, bytes: Buffer, offset: number): void {
  const line = ++index.lines;
  const text = bytes.toString('utf8');
  if (!text.trim()) return;
  if (tooDeepAt(text) !== null) {
    index.warnings.push(`line ${line}: nests more than ${MAX_JSON_DEPTH} levels deep; skipped`);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    index.warnings.push(`line ${line}: not valid JSON (a torn write?); skipped`);
    return;
  }
  const key = keyOf(value);
  if (key === undefined) {
    index.warnings.push(`line ${line}: not a run record; skipped`);
    return;
  }
  index.entries.push({ offset, length: bytes.length, line, key });
}

/** Reads and checks the records at `entries`; a line that is not a valid record is skipped. */
async function readEntries(
  handle: FileHandle,
  entries: readonly Entry[],
): Promise<{ records: RunRecord[]; warnings: string[] }> {
  const records: RunRecord[] = [];
  const warnings: string[] = [];
  let read = 0;
  for (const entry of entries) {
    const buffer = Buffer.alloc(entry.length);
    await handle.read(buffer, 0, entry.length, entry.offset);
    let value: unknown;
    try {
      value = JSON.parse(buffer.toString('utf8'));
    } catch {
      value = undefined; // the log changed under the index: reported as not a record
    }
    const parsed = RunRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      warnings.push(`line ${entry.line}: not a run record (${where}${issue.message}); skipped`);
    }
    read += entry.length;
    if (read > SLICE) {
      read = 0;
      await yieldToEvents();
    }
  }
  return { records, warnings };
}
