import type * as MonacoChunk from './monaco.ts';

/** Monaco's module, loaded once and only when the first editor connects. */
export type MonacoModule = typeof MonacoChunk;

let loading: Promise<MonacoModule> | undefined;

/** Loads Monaco in its own chunk (never part of the page's first script). */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco.ts');
  return loading;
}
