import type { ModelSpec } from './catalog.ts';
import { base64Length } from './converse-request.ts';
import { promptInput } from './job.ts';
import { closedByLastToken, invocationMetrics, promptStop } from './native-shared.ts';
import type { NativeFormat, NativeRequest } from './native-shared.ts';
import type { Plan, Timing } from './run.ts';
import { llamaBody, llamaVisionBody, parseWith } from './validate.ts';

const LLAMA: NativeFormat = {
  response: (plan) => ({
    generation: plan.answer.text,
    prompt_token_count: plan.job.inputTokens,
    generation_token_count: plan.pieces.length,
    stop_reason: promptStop(plan.answer.stopReason),
  }),
  stream: (plan: Plan) => {
    const piece = (generation: string, index: number, timing: Timing | undefined): unknown => ({
      generation,
      prompt_token_count: index <= 0 ? plan.job.inputTokens : null,
      generation_token_count: Math.max(index + 1, 0),
      stop_reason: timing ? promptStop(plan.answer.stopReason) : null,
      ...(timing ? { 'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing) } : {}),
    });
    return closedByLastToken(piece, (timing) => piece('', plan.pieces.length - 1, timing));
  },
};

/**
 * Meta's native body: a templated `prompt`, `max_gen_len` (at most 2048), `temperature`, `top_p`;
 * the vision models (Llama 3.2 11B/90B, Llama 4) also take base64 `images`.
 */
export function llamaRequest(model: ModelSpec, raw: object): NativeRequest {
  const body = parseWith(model.features.imageInput ? llamaVisionBody : llamaBody, raw, 'schema');
  const images =
    'images' in body && Array.isArray(body.images)
      ? body.images.map((data: string) => ({
          kind: 'image' as const,
          format: 'png',
          bytes: base64Length(data),
        }))
      : [];
  return {
    format: LLAMA,
    job: {
      ...promptInput(model, body.prompt, images),
      maxTokens: body.max_gen_len ?? model.defaultMaxTokens,
      stopSequences: [],
    },
  };
}
