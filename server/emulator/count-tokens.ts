import type { ModelSpec } from './catalog.ts';
import { converseConversation } from './converse-request.ts';
import { BedrockError, INVALID_MODEL_MESSAGE, validationError } from './errors.ts';
import { nativeRequest } from './invoke.ts';
import { conversationInput } from './job.ts';
import { resolveFoundationModel } from './models.ts';
import { countTokensBody, malformedInput, parseWith } from './validate.ts';

const COUNT_TOKENS_MEMBERS = ['converse', 'invokeModel'] as const;

const countTokensUnionError = (set: number): Error =>
  validationError(
    `The input field is a CountTokensInput union: set exactly one of its members (converse, invokeModel), but ${set === 0 ? 'none is' : `${set} are`} set.`,
  );

/**
 * CountTokensInput is a union: exactly one member may be set, JSON null counting as unset as in
 * smithy's JSON protocols. Checked before the members' constraints, as a deserializer would.
 */
function checkCountTokensUnion(raw: unknown): void {
  const input = (raw as { input?: unknown } | null)?.input;
  if (typeof input !== 'object' || input === null) return; // the schema reports it
  const set = COUNT_TOKENS_MEMBERS.filter(
    (member) => (input as Record<string, unknown>)[member] != null,
  ).length;
  if (set !== 1) throw countTokensUnionError(set);
}

/**
 * The model CountTokens counts for: a foundation model id or ARN (never an inference profile,
 * as on Bedrock), of a model that supports counting.
 */
export function countingModel(identifier: string, region: string): ModelSpec {
  const model = resolveFoundationModel(identifier, region);
  if (!model) throw new BedrockError('ValidationException', INVALID_MODEL_MESSAGE);
  if (!model.features.countTokens) {
    throw validationError("The provided model doesn't support counting tokens.");
  }
  return model;
}

/** CountTokens: the input tokens the same request would report when run. */
export function countInputTokens(model: ModelSpec, raw: unknown): number {
  checkCountTokensUnion(raw);
  const { input } = parseWith(countTokensBody, raw, 'smithy');
  if (input.converse) {
    return conversationInput(model, converseConversation(model, input.converse)).inputTokens;
  }
  if (!input.invokeModel) throw countTokensUnionError(0);
  let native: unknown;
  try {
    native = JSON.parse(Buffer.from(input.invokeModel.body, 'base64').toString('utf8'));
  } catch {
    throw malformedInput('#: expected type: JSONObject, found: String');
  }
  return nativeRequest(model, native).job.inputTokens;
}
