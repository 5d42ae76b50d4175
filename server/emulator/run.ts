import type { EmulatorContext, StreamRecord } from './context.ts';
import { BedrockError } from './errors.ts';
import { encodeException } from './eventstream.ts';
import type { Exchange } from './exchange.ts';
import type { Faults } from './faults.ts';
import { parseFaults } from './faults.ts';
import type { Answer } from './generate.ts';
import { composeAnswer, limitAnswer } from './generate.ts';
import type { Job } from './job.ts';
import { pacing } from './models.ts';
import { composeReasoning } from './reasoning.ts';
import type { Reasoning } from './reasoning.ts';

/** One output token: reasoning comes before the answer's text. */
export interface Piece {
  kind: 'reasoning' | 'text';
  text: string;
}

/** A job with its answer decided: everything a response writer needs. */
export interface Plan {
  job: Job;
  /** Present when the request turned on extended thinking. */
  reasoning?: Reasoning | undefined;
  answer: Answer;
  /** Every output token in order, reasoning first; usage counts them all as output. */
  pieces: Piece[];
  faults: Faults;
  firstTokenMs: number;
  intervalMs: number;
  startedAt: number;
}

/** Timing figures reported in usage metadata and invocation metrics. */
export interface Timing {
  latencyMs: number;
  firstByteLatencyMs: number;
}

/** Frames of one streaming response format (ConverseStream, Claude chunks, Llama chunks). */
export interface StreamFormat {
  /** Frames sent right after the headers, before the first token. */
  start(): Uint8Array[];
  /** Frames carrying one token; `final` is set on the last token of a complete answer. */
  token(piece: Piece, index: number, final: Timing | undefined): Uint8Array[];
  /** Frames after the last token. */
  finish(timing: Timing): Uint8Array[];
}

export function planJob(context: EmulatorContext, job: Job): Plan {
  const faults = parseFaults(job.faultText, job.model.id);
  if (faults.before) throw faults.before;
  const reasoning = job.thinking
    ? composeReasoning(job.model, job.conversation, job.thinking.budgetTokens)
    : undefined;
  const thought = reasoning?.tokens.length ?? 0;
  // Thinking tokens are output tokens: they count against maxTokens before the answer's.
  const budget = job.maxTokens - thought;
  // Past the budget (and any stop sequence that starts before it) an exact length is cut anyway:
  // composing no further keeps a huge `n` cheap.
  const reach = budget + 1 + job.stopSequences.reduce((n, s) => Math.max(n, s.length), 0);
  const exact = faults.tokens === undefined ? undefined : Math.min(faults.tokens, reach);
  const answer = limitAnswer(
    composeAnswer(job.model, job.conversation, exact),
    budget,
    job.stopSequences,
  );
  const pace = pacing(job.model, context.speed);
  const pieces: Piece[] = [
    ...(reasoning?.tokens ?? []).map((text) => ({ kind: 'reasoning' as const, text })),
    ...answer.tokens.map((text) => ({ kind: 'text' as const, text })),
  ];
  return {
    job,
    reasoning,
    answer,
    pieces,
    faults,
    firstTokenMs: pace.firstTokenMs + faults.slowMs,
    intervalMs: faults.paceMs ?? pace.intervalMs,
    startedAt: Date.now(),
  };
}

/**
 * The longest delay a Node timer takes: anything above fires after 1 ms instead (with a
 * TimeoutOverflowWarning), which would turn a huge wait into none.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits (at most MAX_TIMER_MS), returning early when the exchange is aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (!(ms > 0) || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    signal.addEventListener('abort', done, { once: true });
  });
}

const streamError = (after: number): Record<string, unknown> => ({
  message: `The model stream failed after ${after} tokens. Try your request again.`,
  originalStatusCode: 500,
});

/** Runs a non-streaming answer: waits as long as generating it would take, honouring faults. */
export async function runToCompletion(exchange: Exchange, plan: Plan): Promise<Timing | undefined> {
  const count = plan.pieces.length;
  const { disconnectAfter, streamErrorAfter } = plan.faults;
  const produced = Math.min(count, disconnectAfter ?? streamErrorAfter ?? count);
  await sleep(plan.firstTokenMs + Math.max(0, produced - 1) * plan.intervalMs, exchange.signal);
  if (exchange.aborted) return undefined;
  if (disconnectAfter !== undefined) {
    await exchange.cut();
    return undefined;
  }
  if (streamErrorAfter !== undefined) {
    // A buffered answer has no stream to carry modelStreamErrorException; Bedrock reports the
    // model failure as ModelErrorException instead.
    throw new BedrockError('ModelErrorException', String(streamError(produced).message), {
      originalStatusCode: 500,
      resourceName: plan.job.model.id,
    });
  }
  const latencyMs = Date.now() - plan.startedAt;
  return { latencyMs, firstByteLatencyMs: latencyMs };
}

/**
 * Streams an answer token by token at the plan's pace, reporting progress on the emulator's
 * events. Stops at once when the client goes away.
 */
export async function runStream(
  context: EmulatorContext,
  exchange: Exchange,
  plan: Plan,
  operation: StreamRecord['operation'],
  format: StreamFormat,
  headers: Record<string, string> = {},
): Promise<void> {
  const tokens = plan.pieces;
  const record: StreamRecord = {
    id: context.nextStreamId(),
    operation,
    modelId: plan.job.model.id,
    tokensSent: 0,
    totalTokens: tokens.length,
    outcome: 'streaming',
  };
  const finish = (outcome: StreamRecord['outcome']): void => {
    record.outcome = outcome;
    context.events.emit('stream-end', record);
  };
  const { disconnectAfter, streamErrorAfter } = plan.faults;
  // Returns true when a fault ended the stream at this point.
  const faultAt = async (sent: number): Promise<boolean> => {
    if (disconnectAfter !== undefined && sent >= Math.min(disconnectAfter, tokens.length)) {
      await exchange.cut();
      return true;
    }
    if (streamErrorAfter !== undefined && sent >= Math.min(streamErrorAfter, tokens.length)) {
      await exchange.write(encodeException('modelStreamErrorException', streamError(sent)));
      exchange.end();
      return true;
    }
    return false;
  };

  exchange.startStream(headers);
  context.events.emit('stream-start', record);
  for (const frame of format.start()) await exchange.write(frame);
  await sleep(plan.firstTokenMs, exchange.signal);
  let firstByteLatencyMs = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    if (exchange.aborted) return finish('client-closed');
    if (await faultAt(index)) return finish('fault');
    if (index === 0) firstByteLatencyMs = Date.now() - plan.startedAt;
    const last =
      index === tokens.length - 1 &&
      disconnectAfter === undefined &&
      streamErrorAfter === undefined;
    const timing = last
      ? { latencyMs: Date.now() - plan.startedAt, firstByteLatencyMs }
      : undefined;
    const piece: Piece = tokens[index] ?? { kind: 'text', text: '' };
    for (const frame of format.token(piece, index, timing)) await exchange.write(frame);
    record.tokensSent += 1;
    context.events.emit('token', record);
    if (index < tokens.length - 1) await sleep(plan.intervalMs, exchange.signal);
  }
  if (exchange.aborted) return finish('client-closed');
  if (await faultAt(tokens.length)) return finish('fault');
  const timing = { latencyMs: Date.now() - plan.startedAt, firstByteLatencyMs };
  for (const frame of format.finish(timing)) await exchange.write(frame);
  exchange.end();
  finish(exchange.aborted ? 'client-closed' : 'complete');
}
