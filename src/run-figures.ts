import { estimateCost, findModel, PRICES_AS_OF } from '../cells/models/catalog.ts';
import { formatCount, formatMs, formatRate, formatUsd } from './format.ts';
import type { TargetRun } from './target-run.ts';

/**
 * A run's figures, computed once for the answer column and for Compare (which shows how they
 * changed from one run to another).
 */

/** One figure: its name, its number (for a difference) and how it reads. */
export interface Figure {
  label: string;
  /** The number behind it (null when not known, or for a figure that is text). */
  value: number | null;
  text: string;
  /** How a difference reads ("+12 ms"); absent for text figures. */
  format?: (value: number) => string;
}

const BACKENDS = { aws: 'Amazon Bedrock', emulator: 'Offline emulator' } as const;

/** The backend that answered a run, as people say it. */
export function describeBackend(run: TargetRun): string {
  return run.backend ? `${BACKENDS[run.backend.kind]} · ${run.backend.region}` : '—';
}

/** What the cost figure adds: whether it is an estimate, and from when its prices are. */
export function costNote(run: TargetRun): string {
  const model = findModel(run.target.modelId);
  if (!model) return 'no price known';
  const note = `estimate, prices as of ${PRICES_AS_OF}`;
  return model.price.checked ? note : `${note}; this model's price is unchecked`;
}

export function runFigures(a: TargetRun): Figure[] {
  const live = a.state === 'waiting' || a.state === 'streaming';
  const ttft = a.metrics?.timeToFirstTokenMs ?? a.clientFirstTokenMs;
  const total = a.metrics?.totalMs ?? (live ? null : a.clientTotalMs);
  const out = a.usage?.outputTokens ?? null;
  const genMs = total !== null && ttft !== null && total > ttft ? total - ttft : total;
  const rate = out !== null && genMs ? (out / genMs) * 1000 : null;
  const cost = a.usage
    ? estimateCost(a.target.modelId, a.usage.inputTokens, a.usage.outputTokens)
    : undefined;
  const number = (
    label: string,
    value: number | null | undefined,
    format: (value: number) => string,
  ): Figure => ({ label, value: value ?? null, text: value == null ? '—' : format(value), format });
  return [
    number('Time to first token', ttft, formatMs),
    number('Total time', total, formatMs),
    number('Input tokens', a.usage?.inputTokens, formatCount),
    number('Output tokens', out, formatCount),
    number('Output speed', rate, formatRate),
    number('Bedrock latency', a.metrics?.latencyMs, formatMs),
    { label: 'Stop reason', value: null, text: a.stopReason ?? '—' },
    number('Cost', cost, (usd) => formatUsd(usd)),
    { label: 'Backend', value: null, text: describeBackend(a) },
  ];
}

/** How a figure changed from `older` to `newer` ("+12 ms", "−3", "same"), or the two texts. */
export function figureChange(older: Figure, newer: Figure): string {
  if (older.value === null || newer.value === null || !newer.format) {
    return older.text === newer.text ? 'same' : `${older.text} → ${newer.text}`;
  }
  const delta = newer.value - older.value;
  if (delta === 0) return 'same';
  const magnitude = newer.format(Math.abs(delta));
  return `${delta > 0 ? '+' : '−'}${magnitude}`;
}
