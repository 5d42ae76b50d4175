// @ts-check
/**
 * `npm start`: builds the page and the server if their sources changed, then runs the bundled
 * server in this process (its options are this process's arguments).
 */
import { pathToFileURL } from 'node:url';
import { ensureBuilt, SERVER_BUNDLE } from './build.mjs';

try {
  await ensureBuilt();
} catch (error) {
  console.error(`bedrock-playground: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
await import(pathToFileURL(SERVER_BUNDLE).href);
