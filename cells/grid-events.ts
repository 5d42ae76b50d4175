import { z } from 'zod';
import { RunRecordSchema } from './run-record.ts';

/** One NDJSON line of `POST /api/grid`: how a grid run goes, call by call. */
export const GridEventSchema = z.discriminatedUnion('type', [
  /** The run begins: how many calls it will make. */
  z.object({ type: z.literal('start'), total: z.number().int().nonnegative() }),
  /** A call (by its index in the run's `calls`) is sent; `attempt` counts retries. */
  z.object({
    type: z.literal('call'),
    call: z.number().int().nonnegative(),
    attempt: z.number().int().min(1),
  }),
  /** A call was throttled: it is sent again after `waitMs`. The attempt is recorded. */
  z.object({
    type: z.literal('retry'),
    call: z.number().int().nonnegative(),
    attempt: z.number().int().min(1),
    waitMs: z.number().nonnegative(),
    error: z.object({ name: z.string(), message: z.string() }),
  }),
  /** A call ended (answered or failed): its record as written to the run log. */
  z.object({
    type: z.literal('result'),
    call: z.number().int().nonnegative(),
    record: RunRecordSchema,
  }),
  /** The run is over: every call ended, or it was stopped. */
  z.object({
    type: z.literal('end'),
    stopped: z.boolean(),
    finished: z.number().int().nonnegative(),
  }),
]);
export type GridEvent = z.infer<typeof GridEventSchema>;
