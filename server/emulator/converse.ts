import type { EmulatorContext } from './context.ts';
import { converseJob } from './converse-request.ts';
import { encodeEvent } from './eventstream.ts';
import type { Exchange } from './exchange.ts';
import type { ModelSpec } from './models.ts';
import type { Plan, StreamFormat } from './run.ts';
import { describeAttachments } from './media.ts';
import { planJob, runStream, runToCompletion } from './run.ts';

function usage(plan: Plan): Record<string, number> {
  const inputTokens = plan.job.inputTokens;
  const outputTokens = plan.pieces.length;
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

/** Converse: the whole answer in one JSON response, reasoning first when it was asked for. */
export async function converse(
  context: EmulatorContext,
  exchange: Exchange,
  model: ModelSpec,
  body: unknown,
): Promise<void> {
  const job = converseJob(model, body);
  await describeAttachments(job.conversation);
  const plan = planJob(context, job);
  const timing = await runToCompletion(exchange, plan);
  if (!timing) return;
  const fields = responseFields(plan, body);
  const { reasoning } = plan;
  const content = [
    ...(reasoning
      ? [
          {
            reasoningContent: {
              reasoningText: { text: reasoning.text, signature: reasoning.signature },
            },
          },
        ]
      : []),
    { text: plan.answer.text },
  ];
  exchange.sendJson(200, {
    output: { message: { role: 'assistant', content } },
    stopReason: plan.answer.stopReason,
    usage: usage(plan),
    metrics: { latencyMs: timing.latencyMs },
    ...(fields ? { additionalModelResponseFields: fields } : {}),
  });
}

/**
 * ConverseStream: messageStart, one contentBlockDelta per token, then stop and metadata. With
 * reasoning, block 0 carries reasoningContent deltas and its signature, and the text is block 1.
 */
export async function converseStream(
  context: EmulatorContext,
  exchange: Exchange,
  model: ModelSpec,
  body: unknown,
): Promise<void> {
  const job = converseJob(model, body);
  await describeAttachments(job.conversation);
  const plan = planJob(context, job);
  const fields = responseFields(plan, body);
  const { reasoning } = plan;
  const textBlock = reasoning ? 1 : 0;
  let reasoningOpen = reasoning !== undefined;
  const closeReasoning = (): Uint8Array[] => {
    if (!reasoningOpen || !reasoning) return [];
    reasoningOpen = false;
    return [
      encodeEvent('contentBlockDelta', {
        contentBlockIndex: 0,
        delta: { reasoningContent: { signature: reasoning.signature } },
      }),
      encodeEvent('contentBlockStop', { contentBlockIndex: 0 }),
    ];
  };
  const format: StreamFormat = {
    start: () => [encodeEvent('messageStart', { role: 'assistant' })],
    token: (piece) =>
      piece.kind === 'reasoning'
        ? [
            encodeEvent('contentBlockDelta', {
              contentBlockIndex: 0,
              delta: { reasoningContent: { text: piece.text } },
            }),
          ]
        : [
            ...closeReasoning(),
            encodeEvent('contentBlockDelta', {
              contentBlockIndex: textBlock,
              delta: { text: piece.text },
            }),
          ],
    finish: (timing) => [
      ...closeReasoning(),
      encodeEvent('contentBlockStop', { contentBlockIndex: textBlock }),
      encodeEvent('messageStop', {
        stopReason: plan.answer.stopReason,
        ...(fields ? { additionalModelResponseFields: fields } : {}),
      }),
      encodeEvent('metadata', { usage: usage(plan), metrics: { latencyMs: timing.latencyMs } }),
    ],
  };
  await runStream(context, exchange, plan, 'ConverseStream', format);
}
