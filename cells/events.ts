import { z } from 'zod';

/**
 * What one click can do about a failed run, beside its hint: call the model through the
 * inference profile Bedrock asked for, or use the local emulator when credentials failed.
 */
export const RunFixSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('model'), modelId: z.string().min(1) }),
  z.object({ kind: z.literal('emulator') }),
]);
export type RunFix = z.infer<typeof RunFixSchema>;

/**
 * Normalized run events: one per NDJSON line from `POST /api/run`, whatever the API or model.
 */
export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), modelId: z.string(), api: z.enum(['converse', 'invoke']) }),
  z.object({ type: z.literal('text'), text: z.string() }),
  /**
   * A piece of the model's reasoning (extended thinking), streamed before the answer's text.
   * Kept apart from `text`: it is shown in its own fold and is not part of the answer a later
   * turn sees. Its tokens are counted in `usage.outputTokens`, as Bedrock bills them.
   */
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  /** Stop reason as the API reports it (`end_turn`, `max_tokens`, `stop`, `length`, …). */
  z.object({ type: z.literal('stop'), reason: z.string() }),
  z.object({
    type: z.literal('usage'),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('metrics'),
    /** Milliseconds from sending the request to the first text, measured by the server. */
    timeToFirstTokenMs: z.number().nonnegative().nullable(),
    /** Milliseconds from sending the request to the end of the stream, measured by the server. */
    totalMs: z.number().nonnegative(),
    /** Latency the service itself reported, when it did. */
    latencyMs: z.number().nonnegative().nullable(),
  }),
  z.object({
    type: z.literal('error'),
    name: z.string(),
    message: z.string(),
    /** What a person can do about it. */
    hint: z.string(),
    fix: RunFixSchema.optional(),
  }),
  /** The untouched Bedrock event, for the wire view. */
  z.object({ type: z.literal('raw'), event: z.unknown() }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];
