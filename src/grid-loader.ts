import { gridShapeOf } from '../cells/grid.ts';
import type { Notebook } from '../cells/notebook.ts';

let loading: Promise<unknown> | undefined;

/**
 * Defines `<bp-grid>` once a notebook has a grid (test cases, repeats or checks): the grid's
 * table, summaries and downloads stay out of the first script until a notebook needs them.
 * Until then each cell's `<bp-grid>` is an empty element; it upgrades, with the properties
 * already set on it, when the module arrives.
 */
export function loadGridIfNeeded(notebook: Notebook): void {
  if (loading || !notebook.cells.some((cell) => gridShapeOf(notebook, cell.id))) return;
  loading = import('./bp-grid.ts').catch((error: unknown) => {
    loading = undefined; // tried again on the next change
    console.error(error);
  });
}
