import type { Geography } from './types.ts';

/**
 * The commercial AWS Regions where Amazon Bedrock runs, as AWS's model and inference-profile
 * pages listed them on 2026-12-01 (the emulator's catalog of the same pages). There is no API
 * that lists them; a Region not here can still be typed.
 */
export const BEDROCK_REGIONS: readonly { id: string; name: string }[] = [
  { id: 'us-east-1', name: 'US East (N. Virginia)' },
  { id: 'us-east-2', name: 'US East (Ohio)' },
  { id: 'us-west-1', name: 'US West (N. California)' },
  { id: 'us-west-2', name: 'US West (Oregon)' },
  { id: 'ca-central-1', name: 'Canada (Central)' },
  { id: 'sa-east-1', name: 'South America (São Paulo)' },
  { id: 'eu-central-1', name: 'Europe (Frankfurt)' },
  { id: 'eu-central-2', name: 'Europe (Zurich)' },
  { id: 'eu-north-1', name: 'Europe (Stockholm)' },
  { id: 'eu-south-1', name: 'Europe (Milan)' },
  { id: 'eu-south-2', name: 'Europe (Spain)' },
  { id: 'eu-west-1', name: 'Europe (Ireland)' },
  { id: 'eu-west-2', name: 'Europe (London)' },
  { id: 'eu-west-3', name: 'Europe (Paris)' },
  { id: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)' },
  { id: 'ap-northeast-2', name: 'Asia Pacific (Seoul)' },
  { id: 'ap-northeast-3', name: 'Asia Pacific (Osaka)' },
  { id: 'ap-south-1', name: 'Asia Pacific (Mumbai)' },
  { id: 'ap-south-2', name: 'Asia Pacific (Hyderabad)' },
  { id: 'ap-southeast-1', name: 'Asia Pacific (Singapore)' },
  { id: 'ap-southeast-2', name: 'Asia Pacific (Sydney)' },
  { id: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)' },
];

/** An AWS Region name's shape (`us-east-1`, `us-gov-west-1`), to check what a person types. */
export const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * The geography whose system-defined profiles a Region calls: `us.` from the US Regions, `eu.`
 * from Europe, `apac.` from Asia Pacific. Other Regions (Canada, South America) have none of
 * these; every commercial Region may call `global.` profiles.
 */
export function geographyOf(region: string): Exclude<Geography, 'global'> | undefined {
  if (/^us-(east|west)-\d$/.test(region)) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}
