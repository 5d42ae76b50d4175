import { readFileSync, readdirSync } from 'node:fs';
import { parseNotebook } from '../../cells/format.ts';
import type { Notebook } from '../../cells/notebook.ts';

/** The folder of example notebooks shipped with the project. */
export const NOTEBOOKS_DIR = new URL('../../notebooks/', import.meta.url);

/** The file names of the example notebooks. */
export function exampleFiles(): string[] {
  return readdirSync(NOTEBOOKS_DIR)
    .filter((name) => name.endsWith('.md'))
    .sort();
}

/** The text of one example notebook. */
export function exampleText(name: string): string {
  return readFileSync(new URL(name, NOTEBOOKS_DIR), 'utf8');
}

/** One example notebook, parsed. */
export function example(name: string): Notebook {
  return parseNotebook(exampleText(name));
}
