import { loadSharedConfigFiles } from '@smithy/core/config';
import os from 'node:os';
import path from 'node:path';

/** A named profile of the shared AWS config files: its name and Region, never its keys. */
export interface AwsProfile {
  name: string;
  /** The profile's `region`, or null when it sets none. */
  region: string | null;
}

/** Sections of the config file that are not profiles (`[sso-session corp]`, `[services s3]`). */
const NOT_PROFILES = /^(sso-session|services)\./;

/**
 * The profiles of the shared config and credentials files (`~/.aws/config`,
 * `~/.aws/credentials`, or `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`), read afresh on
 * every call through the SDK's own loader: `default` first, then by name. Only names and
 * Regions leave this function; a missing or unreadable file is an empty one, as for the SDK.
 */
export async function listAwsProfiles(): Promise<AwsProfile[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = new Set(
    [...Object.keys(configFile), ...Object.keys(credentialsFile)].filter(
      (name) => !NOT_PROFILES.test(name),
    ),
  );
  const regionOf = (name: string): string | null =>
    configFile[name]?.region ?? credentialsFile[name]?.region ?? null;
  return [...names]
    .sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
    .map((name) => ({ name, region: regionOf(name) }));
}

/** The profile of that name, or undefined when the shared files have none. */
export async function findAwsProfile(name: string): Promise<AwsProfile | undefined> {
  return (await listAwsProfiles()).find((profile) => profile.name === name);
}

/** Where the SDK reads the shared files from, for messages (`~` for the home folder). */
export function sharedFilePaths(): string {
  const home = process.env.HOME ?? os.homedir();
  const shown = (file: string) =>
    file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
  const config = process.env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config');
  const credentials =
    process.env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials');
  return `${shown(config)} or ${shown(credentials)}`;
}
