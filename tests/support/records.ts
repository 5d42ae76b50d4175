import type { RunRecord } from '../../cells/run-record.ts';

/** A run record of `notebook` whose answer is `text`, as the server would append it. */
export function runRecord(
  notebook: string,
  text: string,
  modelId = 'meta.llama2-13b-chat-v1',
): RunRecord {
  return {
    notebook,
    cellId: 'c',
    targetId: 't',
    modelId,
    api: 'invoke',
    request: { api: 'invoke', modelId, body: { prompt: 'p' } },
    text,
    stopReason: 'stop',
    usage: { inputTokens: 1, outputTokens: 1 },
    metrics: { timeToFirstTokenMs: 1, totalMs: 2, latencyMs: 1 },
    backend: 'emulator',
    region: 'us-east-1',
    startedAt: new Date().toISOString(),
  };
}
