import { randomBytes } from 'node:crypto';
import { encodeEvent } from './eventstream.ts';
import type { StopReason } from './generate.ts';
import type { Job } from './job.ts';
import type { Piece, Plan, StreamFormat, Timing } from './run.ts';

/** How one native body family answers: a buffered JSON body, and a chunk stream. */
export interface NativeFormat {
  response(plan: Plan): Record<string, unknown>;
  stream(plan: Plan): StreamFormat;
}

/** A parsed native InvokeModel body: the job it asks for and how to answer it. */
export interface NativeRequest {
  job: Job;
  format: NativeFormat;
}

/** Wraps one native JSON chunk as InvokeModelWithResponseStream sends it. */
export const chunk = (payload: unknown): Uint8Array =>
  encodeEvent('chunk', { bytes: Buffer.from(JSON.stringify(payload)).toString('base64') });

/** The metrics Bedrock adds to the last chunk of a native stream. */
export function invocationMetrics(plan: Plan, timing: Timing): Record<string, number> {
  return {
    inputTokenCount: plan.job.inputTokens,
    outputTokenCount: plan.pieces.length,
    invocationLatency: timing.latencyMs,
    firstByteLatency: timing.firstByteLatencyMs,
  };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh message id per call, in Claude's `msg_bdrk_…` shape: only the text is deterministic. */
export function messageId(): string {
  const bytes = randomBytes(24);
  return `msg_bdrk_${Array.from(bytes, (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('')}`;
}

/** `stop` / `length`: the stop reasons of Llama and Mistral bodies. */
export const promptStop = (reason: StopReason): 'stop' | 'length' =>
  reason === 'max_tokens' ? 'length' : 'stop';

/**
 * A chunk stream whose last token chunk carries the closing fields (stop reason, invocation
 * metrics); when no token could carry them (an empty answer), `finish` sends a chunk of its own.
 */
export function closedByLastToken(
  piece: (text: string, index: number, timing: Timing | undefined) => unknown,
  closing: (timing: Timing) => unknown,
): StreamFormat {
  let finalSent = false;
  return {
    start: () => [],
    token: ({ text }: Piece, index, timing) => {
      finalSent = timing !== undefined;
      return [chunk(piece(text, index, timing))];
    },
    finish: (timing) => (finalSent ? [] : [chunk(closing(timing))]),
  };
}
