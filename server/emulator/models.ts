import { MODELS } from './catalog.ts';
import type { ModelSpec } from './catalog.ts';
import {
  ACCESS_DENIED_MESSAGE,
  BedrockError,
  INVALID_MODEL_MESSAGE,
  unreachable,
} from './errors.ts';
import { findProfile, profilesFor, servesRegion } from './profiles.ts';
import type { SystemProfile } from './profiles.ts';

export { MODELS } from './catalog.ts';
export type { Family, ModelSpec } from './catalog.ts';

const BY_ID = new Map(MODELS.map((model) => [model.id, model]));

export const findModel = (id: string): ModelSpec | undefined => BY_ID.get(id);

/** What a model identifier names: a foundation model, or a system-defined profile. */
type Target =
  | { kind: 'model'; model: ModelSpec }
  | { kind: 'profile'; profile: SystemProfile }
  | { kind: 'unknown' };

const ARN = /^arn:aws:bedrock:([a-z0-9-]*):(\d*):(foundation-model|inference-profile)\/(.+)$/;

/**
 * Reads a model id, a profile id (`us.anthropic…`) or the ARN of either. An ARN of another
 * Region than the caller's names nothing the caller can reach.
 */
function parseTarget(identifier: string, region: string): Target {
  const arn = ARN.exec(identifier);
  let id = identifier;
  if (arn) {
    const [, arnRegion, , resource, name = ''] = arn;
    if (arnRegion !== region) return { kind: 'unknown' };
    if (resource === 'foundation-model') {
      const model = findModel(name);
      return model ? { kind: 'model', model } : { kind: 'unknown' };
    }
    id = name;
  }
  const profile = findProfile(id);
  if (profile) return { kind: 'profile', profile };
  const model = arn ? undefined : findModel(id);
  return model ? { kind: 'model', model } : { kind: 'unknown' };
}

export const ON_DEMAND_MESSAGE = (modelId: string): string =>
  `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;

export const isOnDemand = (model: ModelSpec, region: string): boolean =>
  model.onDemandRegions.includes(region);

/** Whether `region` can reach the model at all: on demand, or through a profile it may call. */
export const offeredIn = (model: ModelSpec, region: string): boolean =>
  isOnDemand(model, region) || profilesFor(region).some((profile) => profile.model === model);

/**
 * Resolves the model of an inference call as Bedrock does for a client in `region`: a profile
 * must serve that Region; a base model id must be offered on demand there, and one offered only
 * through profiles gets the on-demand ValidationException. Then the deny list applies.
 */
export function resolveModel(
  identifier: string,
  region: string,
  deny: ReadonlySet<string>,
): ModelSpec {
  const target = parseTarget(identifier, region);
  let model: ModelSpec;
  switch (target.kind) {
    case 'unknown':
      throw new BedrockError('ValidationException', INVALID_MODEL_MESSAGE);
    case 'profile':
      if (!servesRegion(target.profile, region)) {
        throw new BedrockError('ValidationException', INVALID_MODEL_MESSAGE);
      }
      model = target.profile.model;
      break;
    case 'model':
      model = target.model;
      if (!isOnDemand(model, region)) {
        throw new BedrockError(
          'ValidationException',
          offeredIn(model, region) ? ON_DEMAND_MESSAGE(model.id) : INVALID_MODEL_MESSAGE,
        );
      }
      break;
    default:
      return unreachable(target);
  }
  if (deny.has(model.id) || deny.has(identifier)) {
    throw new BedrockError('AccessDeniedException', ACCESS_DENIED_MESSAGE);
  }
  return model;
}

/**
 * The foundation model a model id or foundation-model ARN names, if `region` offers it in any
 * way. CountTokens and the control plane take these, never a profile.
 */
export function resolveFoundationModel(identifier: string, region: string): ModelSpec | undefined {
  const target = parseTarget(identifier, region);
  return target.kind === 'model' && offeredIn(target.model, region) ? target.model : undefined;
}

/** Milliseconds before the first token and between tokens, scaled by the emulator's speed. */
export function pacing(
  model: ModelSpec,
  speed: number,
): { firstTokenMs: number; intervalMs: number } {
  return {
    firstTokenMs: model.firstTokenMs * speed,
    intervalMs: (1000 / model.tokensPerSecond) * speed,
  };
}
