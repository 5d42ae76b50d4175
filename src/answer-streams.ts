import { runRequest } from './api-run.ts';
import type { RunRecordRef } from './api-run.ts';
import { NextFrame } from './next-frame.ts';
import { applyRunEvent } from './target-run.ts';
import { wireWatched } from './wire-watch.ts';
import type { TargetRun } from './target-run.ts';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * The answers in flight: streams each one into its `TargetRun`, batching text so the page
 * re-renders at most once per animation frame, and stops them all on request. Tells its owner
 * (the store) which cell's answers changed through `changed`.
 */
export class AnswerStreams {
  private controllers = new Set<AbortController>();
  private pending = new Map<TargetRun, string>();
  private pendingReasoning = new Map<TargetRun, string>();
  private dirtyCells = new Set<string>();
  private readonly frame = new NextFrame(() => this.flush());

  constructor(private readonly changed: (cellId: string) => void) {}

  /** Text that has arrived for an answer but is not in its `text` yet (next frame). */
  pendingText(answer: TargetRun): string {
    return this.pending.get(answer) ?? '';
  }

  /** Aborts every stream in flight; each answer keeps its partial text and is marked stopped. */
  stopAll(): void {
    for (const controller of this.controllers) controller.abort();
  }

  /** Streams one answer to its end (`record`: where the server logs the run). */
  async stream(cellId: string, answer: TargetRun, record?: RunRecordRef): Promise<void> {
    if (!answer.request) return;
    const controller = new AbortController();
    this.controllers.add(controller);
    const started = performance.now();
    answer.rawLive = wireWatched();
    const onText = (text: string, kind: 'text' | 'reasoning') => {
      const pending = kind === 'text' ? this.pending : this.pendingReasoning;
      pending.set(answer, (pending.get(answer) ?? '') + text);
    };
    try {
      await runRequest(
        answer.target,
        answer.request,
        (event) => {
          applyRunEvent(answer, event, Math.round(performance.now() - started), onText);
          this.schedule(cellId);
        },
        controller.signal,
        record,
        answer.rawLive,
      );
      answer.state = answer.error ? 'failed' : 'done';
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) {
        answer.state = 'stopped';
      } else {
        answer.state = 'failed';
        answer.error ??= {
          name: error instanceof Error ? error.name : 'Error',
          message: describe(error),
          hint:
            error instanceof TypeError
              ? 'The local server did not answer: is it still running?'
              : ((error as { hint?: string }).hint ?? ''),
        };
      }
    } finally {
      this.controllers.delete(controller);
      answer.clientTotalMs = Math.round(performance.now() - started);
      this.schedule(cellId);
    }
  }

  private schedule(cellId: string): void {
    this.dirtyCells.add(cellId);
    this.frame.request();
  }

  /** Puts the text and reasoning that arrived into the answers now and says which cells changed. */
  flush(): void {
    for (const [answer, text] of this.pending) answer.text += text;
    for (const [answer, text] of this.pendingReasoning) answer.reasoning += text;
    this.pending.clear();
    this.pendingReasoning.clear();
    const cells = [...this.dirtyCells];
    this.dirtyCells.clear();
    for (const cellId of cells) this.changed(cellId);
  }
}
