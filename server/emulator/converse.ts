import type { EmulatorContext } from './context.ts';
import { encodeEvent } from './eventstream.ts';
import type { Exchange } from './exchange.ts';
import type { ModelSpec } from './models.ts';
import { converseJob } from './requests.ts';
import type { Plan, StreamFormat } from './run.ts';
import { planJob, runStream, runToCompletion } from './run.ts';

function usage(plan: Plan): Record<string, number> {
  const inputTokens = plan.job.inputTokens;
  const outputTokens = plan.answer.tokens.length;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/**
 * `additionalModelResponseFields` when the request (already validated by `converseJob`) asked for
 * Claude's `/stop_sequence`.
 */
function responseFields(plan: Plan, body: unknown): Record<string, unknown> | undefined {
  const paths = (body as { additionalModelResponseFieldPaths?: unknown })
    .additionalModelResponseFieldPaths;
  const wanted = Array.isArray(paths) && paths.includes('/stop_sequence');
  if (!wanted || plan.job.model.family !== 'claude') return undefined;
  return { stop_sequence: plan.answer.stopSequence ?? null };
}

/** Converse: the whole answer in one JSON response. */
export async function converse(
  context: EmulatorContext,
  exchange: Exchange,
  model: ModelSpec,
  body: unknown,
): Promise<void> {
  const plan = planJob(context, converseJob(model, body));
  const timing = await runToCompletion(exchange, plan);
  if (!timing) return;
  const fields = responseFields(plan, body);
  exchange.sendJson(200, {
    output: { message: { role: 'assistant', content: [{ text: plan.answer.text }] } },
    stopReason: plan.answer.stopReason,
    usage: usage(plan),
    metrics: { latencyMs: timing.latencyMs },
    ...(fields ? { additionalModelResponseFields: fields } : {}),
  });
}

/** ConverseStream: messageStart, one contentBlockDelta per token, then stop and metadata. */
export async function converseStream(
  context: EmulatorContext,
  exchange: Exchange,
  model: ModelSpec,
  body: unknown,
): Promise<void> {
  const plan = planJob(context, converseJob(model, body));
  const fields = responseFields(plan, body);
  const format: StreamFormat = {
    start: () => [encodeEvent('messageStart', { role: 'assistant' })],
    token: (text) => [encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })],
    finish: (timing) => [
      encodeEvent('contentBlockStop', { contentBlockIndex: 0 }),
      encodeEvent('messageStop', {
        stopReason: plan.answer.stopReason,
        ...(fields ? { additionalModelResponseFields: fields } : {}),
      }),
      encodeEvent('metadata', { usage: usage(plan), metrics: { latencyMs: timing.latencyMs } }),
    ],
  };
  await runStream(context, exchange, plan, 'ConverseStream', format);
}
