import type { ModelSpec } from './catalog.ts';
import { converseConversation } from './converse-request.ts';
import { conversationInput } from './job.ts';
import { chunk, invocationMetrics } from './native-shared.ts';
import type { NativeFormat, NativeRequest } from './native-shared.ts';
import type { Plan } from './run.ts';
import { malformedInput, novaBody, parseWith } from './validate.ts';

const usage = (plan: Plan): Record<string, number> => ({
  inputTokens: plan.job.inputTokens,
  outputTokens: plan.pieces.length,
  totalTokens: plan.job.inputTokens + plan.pieces.length,
  cacheReadInputTokenCount: 0,
  cacheWriteInputTokenCount: 0,
});

/**
 * Nova's `messages-v1` answers are shaped like Converse's; its stream sends each Converse event
 * as a JSON chunk, the last one with Bedrock's invocation metrics.
 */
const NOVA: NativeFormat = {
  response: (plan) => ({
    output: { message: { role: 'assistant', content: [{ text: plan.answer.text }] } },
    stopReason: plan.answer.stopReason,
    usage: usage(plan),
  }),
  stream: (plan) => ({
    start: () => [chunk({ messageStart: { role: 'assistant' } })],
    token: ({ text }) => [chunk({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })],
    finish: (timing) => [
      chunk({ contentBlockStop: { contentBlockIndex: 0 } }),
      chunk({ messageStop: { stopReason: plan.answer.stopReason } }),
      chunk({
        metadata: {
          usage: { inputTokens: plan.job.inputTokens, outputTokens: plan.pieces.length },
          metrics: {},
          trace: {},
        },
        'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing),
      }),
    ],
  }),
};

/**
 * Amazon Nova's native body (`schemaVersion: "messages-v1"`): Converse's messages and system
 * blocks with base64 bytes, and `inferenceConfig` (maxTokens, temperature, topP, topK,
 * stopSequences; the first Nova documentation's snake_case names are accepted too). Documents
 * are Converse-only.
 */
export function novaRequest(model: ModelSpec, raw: object): NativeRequest {
  const body = parseWith(novaBody, raw, 'schema');
  const config = body.inferenceConfig ?? {};
  const maxTokens = config.maxTokens ?? config.max_new_tokens;
  if (maxTokens !== undefined && maxTokens > model.maxOutputTokens) {
    const key = config.maxTokens === undefined ? 'max_new_tokens' : 'maxTokens';
    throw malformedInput(
      `#/inferenceConfig/${key}: ${maxTokens} is not less or equal to ${model.maxOutputTokens}`,
    );
  }
  return {
    format: NOVA,
    job: {
      ...conversationInput(model, converseConversation(model, body)),
      maxTokens: maxTokens ?? model.defaultMaxTokens,
      stopSequences: config.stopSequences ?? config.stop_sequences ?? [],
    },
  };
}
