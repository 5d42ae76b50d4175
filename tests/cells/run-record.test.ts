import { describe, expect, it } from 'vitest';
import { parseRunRecordLines, runKeyId, runKeyOf, runRecordLine } from '../../cells/run-record.ts';
import type { RunRecord } from '../../cells/run-record.ts';

const record: RunRecord = {
  notebook: 'pirate-email',
  cellId: 'email',
  targetId: 'llama2',
  modelId: 'meta.llama2-13b-chat-v1',
  api: 'invoke',
  request: {
    api: 'invoke',
    modelId: 'meta.llama2-13b-chat-v1',
    body: { prompt: '<s>[INST] Hi [/INST]', max_gen_len: 2000, temperature: 0 },
  },
  text: 'Arr!',
  stopReason: 'stop',
  usage: { inputTokens: 12, outputTokens: 3 },
  metrics: { timeToFirstTokenMs: 210, totalMs: 640, latencyMs: 600 },
  backend: 'emulator',
  region: 'us-east-1',
  startedAt: '2024-07-01T12:00:00.000Z',
};

describe('run record lines', () => {
  it('reads back what was appended', () => {
    const text = runRecordLine(record) + runRecordLine({ ...record, cellId: 'other' });
    expect(parseRunRecordLines(text)).toEqual({
      records: [record, { ...record, cellId: 'other' }],
      warnings: [],
    });
  });

  it('skips a torn last line with a warning naming it', () => {
    const full = runRecordLine(record);
    const text = full + full + full.slice(0, 40);
    const { records, warnings } = parseRunRecordLines(text);
    expect(records).toHaveLength(2);
    expect(warnings).toEqual(['line 3: not valid JSON (a torn write?); skipped']);
  });

  it('skips a line that is JSON but not a run record', () => {
    const text = `${JSON.stringify({ ...record, backend: 'mainframe' })}\n\n${runRecordLine(record)}`;
    const { records, warnings } = parseRunRecordLines(text);
    expect(records).toEqual([record]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^line 1: not a run record \(backend: /);
  });

  it('refuses to write a record with a field it does not know, such as credentials', () => {
    const line = runRecordLine({ ...record, secretAccessKey: 'x' } as RunRecord);
    expect(line).not.toContain('secretAccessKey');
  });
});

describe('run history keys', () => {
  it('keys a run by its cell, target, model and API, so another model starts another history', () => {
    const key = runKeyId(runKeyOf(record));
    expect(runKeyId(runKeyOf({ ...record }))).toBe(key);
    expect(runKeyId(runKeyOf({ ...record, modelId: 'meta.llama3-8b-instruct-v1:0' }))).not.toBe(
      key,
    );
    expect(runKeyId(runKeyOf({ ...record, api: 'converse' }))).not.toBe(key);
    expect(runKeyId(runKeyOf({ ...record, targetId: 'other' }))).not.toBe(key);
    expect(runKeyId(runKeyOf({ ...record, cellId: 'other' }))).not.toBe(key);
  });
});
