import type { ModelSpec } from './catalog.ts';
import type { EmulatorContext } from './context.ts';
import { unreachable } from './errors.ts';
import type { Exchange } from './exchange.ts';
import { claudeRequest } from './native-claude.ts';
import { llamaRequest } from './native-llama.ts';
import { mistralRequest } from './native-mistral.ts';
import { novaRequest } from './native-nova.ts';
import type { NativeRequest } from './native-shared.ts';
import { describeAttachments } from './media.ts';
import { planJob, runStream, runToCompletion } from './run.ts';
import { jsonTypeOf, malformedInput } from './validate.ts';

/** Reads an InvokeModel body in the native format of the model's family. */
export function nativeRequest(model: ModelSpec, raw: unknown): NativeRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw malformedInput(`#: expected type: JSONObject, found: ${jsonTypeOf(raw)}`);
  }
  switch (model.family) {
    case 'claude':
      return claudeRequest(model, raw);
    case 'llama2':
    case 'llama3':
    case 'llama4':
      return llamaRequest(model, raw);
    case 'nova':
      return novaRequest(model, raw);
    case 'mistral':
      return mistralRequest(model, raw);
    default:
      return unreachable(model.family);
  }
}

/** InvokeModel: the model's native JSON body, with Bedrock's token-count headers. */
export async function invoke(
  context: EmulatorContext,
  exchange: Exchange,
  model: ModelSpec,
  body: unknown,
): Promise<void> {
  const { job, format } = nativeRequest(model, body);
  await describeAttachments(job.conversation);
  const plan = planJob(context, job);
  const timing = await runToCompletion(exchange, plan);
  if (!timing) return;
  exchange.sendJson(200, format.response(plan), {
    'x-amzn-bedrock-input-token-count': String(job.inputTokens),
    'x-amzn-bedrock-output-token-count': String(plan.pieces.length),
    'x-amzn-bedrock-invocation-latency': String(timing.latencyMs),
  });
}

/** InvokeModelWithResponseStream: native JSON chunks, base64-wrapped in `chunk` events. */
export async function invokeStream(
  context: EmulatorContext,
  exchange: Exchange,
  model: ModelSpec,
  body: unknown,
): Promise<void> {
  const { job, format } = nativeRequest(model, body);
  await describeAttachments(job.conversation);
  const plan = planJob(context, job);
  await runStream(context, exchange, plan, 'InvokeModelWithResponseStream', format.stream(plan), {
    'x-amzn-bedrock-content-type': 'application/json',
  });
}
