/**
 * Stands in for monaco-editor's `internal/common/workers.js` (vite.config.ts points Monaco's own
 * imports of it here). The JSON language takes `createWebWorker` from that module, which also
 * imports every editor feature Monaco has (diff editor, sticky scroll, code lens, inlay hints…),
 * more than half of Monaco's weight that the cells never use. This is the same function and the
 * same start-up messages to the worker, without those imports.
 */
import { editor } from 'monaco-editor/editor/editor.api';

/** What Monaco's language modes pass (see monaco-editor's `languages/features/json/workerManager.js`). */
interface WorkerOptions {
  label?: string;
  moduleId: string;
  createWorker?: () => Worker;
  /** Handed to the worker's `create()` right after it starts. */
  createData: unknown;
  host?: Record<string, (...args: never[]) => unknown>;
  keepIdleModels?: boolean;
}

export function createWebWorker<T extends object>(
  options: WorkerOptions,
): editor.MonacoWebWorker<T> {
  const label = options.label ?? 'monaco-editor-worker';
  const made =
    self.MonacoEnvironment?.getWorker?.('workerMain.js', label) ?? options.createWorker?.();
  if (!made) throw new Error(`No worker for ${label}: set MonacoEnvironment.getWorker.`);
  const worker = Promise.resolve(made).then((started) => {
    // The worker's bootstrap ignores its first message and creates its service from the second.
    started.postMessage('ignore');
    started.postMessage(options.createData);
    return started;
  });
  return editor.createWebWorker<T>({
    worker,
    ...(options.host ? { host: options.host } : {}),
    ...(options.keepIdleModels !== undefined ? { keepIdleModels: options.keepIdleModels } : {}),
  });
}
