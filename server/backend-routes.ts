import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { describeZodError } from '../cells/notebook.ts';
import { BEDROCK_REGIONS, REGION_PATTERN } from '../cells/models/regions.ts';
import { listAwsProfiles } from './aws-profiles.ts';
import { statusOf, SwitchRefused } from './backends.ts';
import type { Backends } from './backends.ts';
import { hasApiKey } from './credentials.ts';
import { HttpError, readJson, sendJson } from './http.ts';

const ChoiceSchema = z.object({
  backend: z.enum(['aws', 'emulator']),
  /** A profile of the shared files; null or absent: the default credential chain. */
  profile: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[^\s[\]]+$/, 'a profile name has no spaces or brackets')
    .nullable()
    .default(null),
  /** Null or absent: the profile's Region. */
  region: z
    .string()
    .regex(REGION_PATTERN, 'must be a Region name such as us-east-1')
    .nullable()
    .default(null),
});

/**
 * The routes of the backend and its models: `GET /api/status`, `GET /api/models` (the
 * backend's catalog), `POST /api/models/refresh`, `GET /api/profiles` (profile names and
 * Regions of the shared files, the Regions where Bedrock runs, whether a Bedrock API key is
 * set) and `POST /api/backend` (switch profile, Region or to the emulator, without a restart).
 * Answers false for a path that is not one of them.
 */
export async function backendRoute(
  backends: Backends,
  path: string,
  query: URLSearchParams,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  log: (line: string) => void,
): Promise<boolean> {
  switch (`${method} ${path}`) {
    case 'GET /api/status': {
      // `?wait` answers once the backend is chosen, so the page need not poll.
      const backend = query.has('wait') ? await backends.current() : backends.peek();
      sendJson(res, 200, statusOf(backend));
      return true;
    }
    case 'GET /api/models':
      sendJson(res, 200, await (await backends.current()).catalog.get());
      return true;
    case 'POST /api/models/refresh':
      sendJson(res, 200, await (await backends.current()).catalog.refresh());
      return true;
    case 'GET /api/profiles':
      sendJson(res, 200, {
        profiles: await listAwsProfiles(),
        regions: BEDROCK_REGIONS,
        apiKey: hasApiKey(),
      });
      return true;
    case 'POST /api/backend': {
      const parsed = ChoiceSchema.safeParse(await readJson(req));
      if (!parsed.success) {
        throw new HttpError(`Invalid backend choice:\n${describeZodError(parsed.error)}`, 400);
      }
      const { backend: kind, profile, region } = parsed.data;
      try {
        const backend = await backends.switchTo({ kind, profile, region });
        log(
          `Backend: ${backend.kind === 'emulator' ? 'the offline emulator' : `Amazon Bedrock with ${backend.reason}`} in ${backend.region}.`,
        );
        sendJson(res, 200, statusOf(backend));
      } catch (error) {
        if (!(error instanceof SwitchRefused)) throw error;
        throw new HttpError(error.problem.message, 400, { details: { problem: error.problem } });
      }
      return true;
    }
    default:
      return false;
  }
}
