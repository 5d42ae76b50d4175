import { createHash } from 'node:crypto';
import type { EmulatorContext } from './context.ts';
import { unreachable } from './errors.ts';
import { encodeEvent } from './eventstream.ts';
import type { Exchange } from './exchange.ts';
import type { StopReason } from './generate.ts';
import type { ModelSpec } from './models.ts';
import type { NativeFlavor } from './requests.ts';
import { nativeJob } from './requests.ts';
import type { Plan, StreamFormat, Timing } from './run.ts';
import { planJob, runStream, runToCompletion } from './run.ts';

const HUMAN_TURN = '\n\nHuman:';

const llamaStop = (reason: StopReason): 'stop' | 'length' =>
  reason === 'max_tokens' ? 'length' : 'stop';

/** Claude's message id, stable for a given request so reruns compare cleanly. */
function messageId(plan: Plan): string {
  const digest = createHash('sha256')
    .update(`${plan.job.model.id}\n${JSON.stringify(plan.job.conversation)}`)
    .digest('base64url');
  return `msg_bdrk_${digest.slice(0, 24)}`;
}

function invocationMetrics(plan: Plan, timing: Timing): Record<string, number> {
  return {
    inputTokenCount: plan.job.inputTokens,
    outputTokenCount: plan.answer.tokens.length,
    invocationLatency: timing.latencyMs,
    firstByteLatency: timing.firstByteLatencyMs,
  };
}

/** The native response body of a buffered InvokeModel call. */
function nativeResponse(flavor: NativeFlavor, plan: Plan): Record<string, unknown> {
  const { answer, job } = plan;
  switch (flavor) {
    case 'claude-messages':
      return {
        id: messageId(plan),
        type: 'message',
        role: 'assistant',
        model: job.model.nativeName,
        content: [{ type: 'text', text: answer.text }],
        stop_reason: answer.stopReason,
        stop_sequence: answer.stopSequence ?? null,
        usage: { input_tokens: job.inputTokens, output_tokens: answer.tokens.length },
      };
    case 'claude-text':
      return {
        type: 'completion',
        completion: answer.text,
        stop_reason: answer.stopReason === 'max_tokens' ? 'max_tokens' : 'stop_sequence',
        stop: answer.stopReason === 'max_tokens' ? null : (answer.stopSequence ?? HUMAN_TURN),
      };
    case 'llama':
      return {
        generation: answer.text,
        prompt_token_count: job.inputTokens,
        generation_token_count: answer.tokens.length,
        stop_reason: llamaStop(answer.stopReason),
      };
    default:
      return unreachable(flavor);
  }
}

/** Wraps one native JSON chunk as InvokeModelWithResponseStream sends it. */
const chunk = (payload: unknown): Uint8Array =>
  encodeEvent('chunk', { bytes: Buffer.from(JSON.stringify(payload)).toString('base64') });

function claudeMessagesStream(plan: Plan): StreamFormat {
  const { answer, job } = plan;
  return {
    start: () => [
      chunk({
        type: 'message_start',
        message: {
          id: messageId(plan),
          type: 'message',
          role: 'assistant',
          model: job.model.nativeName,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: job.inputTokens, output_tokens: 1 },
        },
      }),
      chunk({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ],
    token: (text) => [
      chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    ],
    finish: (timing) => [
      chunk({ type: 'content_block_stop', index: 0 }),
      chunk({
        type: 'message_delta',
        delta: { stop_reason: answer.stopReason, stop_sequence: answer.stopSequence ?? null },
        usage: { output_tokens: answer.tokens.length },
      }),
      chunk({
        type: 'message_stop',
        'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing),
      }),
    ],
  };
}

/**
 * A chunk stream whose last token chunk carries the closing fields (stop reason, invocation
 * metrics); when no token could carry them (an empty answer), `finish` sends a chunk of its own.
 */
function closedByLastToken(
  piece: (text: string, index: number, timing: Timing | undefined) => unknown,
  closing: (timing: Timing) => unknown,
): StreamFormat {
  let finalSent = false;
  return {
    start: () => [],
    token: (text, index, timing) => {
      finalSent = timing !== undefined;
      return [chunk(piece(text, index, timing))];
    },
    finish: (timing) => (finalSent ? [] : [chunk(closing(timing))]),
  };
}

function claudeTextStream(plan: Plan): StreamFormat {
  const { answer } = plan;
  const final = (timing: Timing): Record<string, unknown> => ({
    stop_reason: answer.stopReason === 'max_tokens' ? 'max_tokens' : 'stop_sequence',
    stop: answer.stopReason === 'max_tokens' ? null : (answer.stopSequence ?? HUMAN_TURN),
    'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing),
  });
  return closedByLastToken(
    (completion, _index, timing) => ({
      type: 'completion',
      completion,
      stop_reason: null,
      stop: null,
      ...(timing ? final(timing) : {}),
    }),
    (timing) => ({ type: 'completion', completion: '', ...final(timing) }),
  );
}

function llamaStream(plan: Plan): StreamFormat {
  const { answer, job } = plan;
  const piece = (generation: string, index: number, timing: Timing | undefined): unknown => ({
    generation,
    prompt_token_count: index <= 0 ? job.inputTokens : null,
    generation_token_count: Math.max(index + 1, 0),
    stop_reason: timing ? llamaStop(answer.stopReason) : null,
    ...(timing ? { 'amazon-bedrock-invocationMetrics': invocationMetrics(plan, timing) } : {}),
  });
  return closedByLastToken(piece, (timing) => piece('', answer.tokens.length - 1, timing));
}

function streamFormat(flavor: NativeFlavor, plan: Plan): StreamFormat {
  switch (flavor) {
    case 'claude-messages':
      return claudeMessagesStream(plan);
    case 'claude-text':
      return claudeTextStream(plan);
    case 'llama':
      return llamaStream(plan);
    default:
      return unreachable(flavor);
  }
}

/** InvokeModel: the model's native JSON body, with Bedrock's token-count headers. */
export async function invoke(
  context: EmulatorContext,
  exchange: Exchange,
  model: ModelSpec,
  body: unknown,
): Promise<void> {
  const { job, flavor } = nativeJob(model, body);
  const plan = planJob(context, job);
  const timing = await runToCompletion(exchange, plan);
  if (!timing) return;
  exchange.sendJson(200, nativeResponse(flavor, plan), {
    'x-amzn-bedrock-input-token-count': String(job.inputTokens),
    'x-amzn-bedrock-output-token-count': String(plan.answer.tokens.length),
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
  const { job, flavor } = nativeJob(model, body);
  const plan = planJob(context, job);
  await runStream(
    context,
    exchange,
    plan,
    'InvokeModelWithResponseStream',
    streamFormat(flavor, plan),
    {
      'x-amzn-bedrock-content-type': 'application/json',
    },
  );
}
