import { CATALOG, MODELS } from './catalog.ts';
import type { Geography, ModelSpec } from './catalog.ts';

/** A system-defined (cross-Region) inference profile: `us.` + a model id, routed to `regions`. */
export interface SystemProfile {
  id: string;
  geography: Geography;
  model: ModelSpec;
  /** Destination Regions; a request may come from any of them (the source Regions). */
  regions: readonly string[];
}

export const PROFILES: readonly SystemProfile[] = MODELS.flatMap((model) =>
  (Object.entries(model.profiles) as [Geography, readonly string[]][]).map(
    ([geography, regions]) => ({ id: `${geography}.${model.id}`, geography, model, regions }),
  ),
);

const BY_ID = new Map(PROFILES.map((profile) => [profile.id, profile]));

export const findProfile = (id: string): SystemProfile | undefined => BY_ID.get(id);

/**
 * Whether a call signed for `region` may use the profile. AWS keeps a geography's profiles to
 * the Regions of that geography; a global profile serves every commercial Region.
 */
export const servesRegion = (profile: SystemProfile, region: string): boolean =>
  profile.regions.includes(region);

/** The profiles a client in `region` sees and may call. */
export const profilesFor = (region: string): SystemProfile[] =>
  PROFILES.filter((profile) => servesRegion(profile, region));

export const profileArn = (profile: SystemProfile, region: string): string =>
  `arn:aws:bedrock:${region}:${CATALOG.account}:inference-profile/${profile.id}`;

export const foundationModelArn = (model: ModelSpec, region: string): string =>
  `arn:aws:bedrock:${region}::foundation-model/${model.id}`;

/** The name AWS gives it: "US Anthropic Claude Sonnet 4". */
export const profileName = (profile: SystemProfile): string =>
  `${CATALOG.geographies[profile.geography] ?? profile.geography.toUpperCase()} ${profile.model.provider} ${profile.model.name}`;

function list(regions: readonly string[]): string {
  if (regions.length <= 1) return regions.join('');
  return `${regions.slice(0, -1).join(', ')} and ${regions.at(-1) ?? ''}`;
}

export const profileDescription = (profile: SystemProfile): string =>
  profile.geography === 'global'
    ? `Routes requests to ${profile.model.name} in all commercial Regions.`
    : `Routes requests to ${profile.model.name} in ${list(profile.regions)}.`;
