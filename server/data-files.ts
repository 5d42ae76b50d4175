import path from 'node:path';
import { DATA_LIMITS, formatOfFile } from '../cells/data.ts';
import type { DataFormat } from '../cells/data.ts';
import { readRegular } from './atomic.ts';
import { HttpError } from './http.ts';
import { checkName } from './names.ts';

/**
 * Test cases kept in a file of the workspace (`cases.csv`, `cases.jsonl`) rather than in a
 * notebook's data cell: read with the workspace's rules (a regular file directly in it, never
 * through a link), within the limit of a data table.
 */

/** A data file's text and the format its name says. */
export interface DataFile {
  name: string;
  format: DataFormat;
  text: string;
}

/** Reads a data file of the workspace `dir`; 400 for a name that is not one, 404 if missing. */
export async function readDataFile(dir: string, name: string): Promise<DataFile> {
  const format = formatOfFile(name);
  if (!format) {
    throw new HttpError(
      `"${name}" is not a data file: test cases are read from .csv, .jsonl or .ndjson files.`,
      400,
    );
  }
  // The same rules as a notebook's name, so it names a file directly in the workspace.
  checkName(name.slice(0, name.lastIndexOf('.')));
  const read = await readRegular(path.join(dir, name), DATA_LIMITS.chars);
  if (!read) throw new HttpError(`There is no file "${name}" in the workspace.`, 404);
  return { name, format, text: read.text };
}
