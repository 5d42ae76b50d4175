import { timingSafeEqual } from 'node:crypto';
import { BedrockError } from './errors.ts';
import type { Exchange } from './exchange.ts';
import { verifySignature } from './sigv4.ts';
import type { Credentials } from './sigv4.ts';

/**
 * The Bedrock API key the emulator accepts unless told otherwise. Public, and only valid against
 * the emulator: "ABSK" and the base64 of a made-up key name, the shape of a real long-term key.
 */
export const EMULATOR_BEARER_TOKEN =
  'ABSKQmVkcm9ja0FQSUtleS1lbXVsYXRvci1hdC0xMjM0NTY3ODkwMTI6cHVibGljLXRlc3Qta2V5';

/**
 * The Region of a call made with a Bedrock API key. A real key carries none: the endpoint's host
 * names it, and the emulator's host is a loopback address.
 */
export const BEARER_REGION = 'us-east-1';

/** Bedrock's answer to an API key it does not know (observed: HTTP 403, this message). */
const BAD_API_KEY = 'Authentication failed: Please make sure your API Key is valid.';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks who is calling: a Bedrock API key (`Authorization: Bearer …`, what the SDKs send when
 * AWS_BEARER_TOKEN_BEDROCK is set) or a SigV4 signature. Returns the caller's Region, which
 * decides the models and inference profiles it can reach.
 */
export async function authenticate(
  exchange: Exchange,
  rawUrl: string,
  body: Uint8Array,
  accepted: { credentials: Credentials; bearerToken: string },
): Promise<string> {
  const authorization = exchange.header('authorization')?.trim() ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) {
    if (!sameSecret(bearer[1] ?? '', accepted.bearerToken)) {
      throw new BedrockError('AccessDeniedException', BAD_API_KEY);
    }
    return BEARER_REGION;
  }
  return verifySignature(exchange, rawUrl, body, accepted.credentials);
}
