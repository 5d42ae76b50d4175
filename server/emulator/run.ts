import type { EmulatorContext, StreamRecord } from './context.ts';
import { BedrockError } from './errors.ts';
import { encodeException } from './eventstream.ts';
import type { Exchange } from './exchange.ts';
import type { Faults } from './faults.ts';
import { parseFaults } from './faults.ts';
import type { Answer } from './generate.ts';
import { composeAnswer, limitAnswer } from './generate.ts';
import { pacing } from './models.ts';
import type { Job } from './requests.ts';

/** A job with its answer decided: everything a response writer needs. */
export interface Plan {
  job: Job;
  answer: Answer;
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
  token(piece: string, index: number, final: Timing | undefined): Uint8Array[];
  /** Frames after the last token. */
  finish(timing: Timing): Uint8Array[];
}

export function planJob(context: EmulatorContext, job: Job): Plan {
  const faults = parseFaults(job.faultText, job.model.id);
  if (faults.before) throw faults.before;
  // Past maxTokens (and any stop sequence that starts before it) an exact length is cut anyway:
  // composing no further keeps a huge `n` cheap.
  const reach = job.maxTokens + 1 + job.stopSequences.reduce((n, s) => Math.max(n, s.length), 0);
  const exact = faults.tokens === undefined ? undefined : Math.min(faults.tokens, reach);
  const answer = limitAnswer(
    composeAnswer(job.model, job.conversation, exact),
    job.maxTokens,
    job.stopSequences,
  );
  const pace = pacing(job.model, context.speed);
  return {
    job,
    answer,
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
  const count = plan.answer.tokens.length;
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
  const { tokens } = plan.answer;
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
    for (const frame of format.token(tokens[index] ?? '', index, timing))
      await exchange.write(frame);
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
