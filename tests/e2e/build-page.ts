import { ensureBuilt } from '../../scripts/build.mjs';

/**
 * Vitest global setup of the browser tests: the page (and the server bundle) as `npm start`
 * builds them, only if their sources changed since the last build.
 */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
