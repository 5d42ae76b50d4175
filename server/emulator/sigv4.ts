import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { BedrockError } from './errors.ts';
import type { Exchange } from './exchange.ts';

/** A key pair the emulator accepts. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

const BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const invalidSignature = (): BedrockError =>
  new BedrockError('InvalidSignatureException', BAD_SIGNATURE);

/** Parses `2024-01-01T00:00:00Z` out of the compact x-amz-date form. */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** How far a request's signing time may be from the emulator's clock, either way. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** `20240101T001500Z`: the compact x-amz-date form. */
const amzDate = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * AWS refuses a signature made more than 15 minutes before or after its own clock, so a captured
 * request cannot be replayed later and a client with a wrong clock hears why.
 */
function checkClock(signingDate: Date, now: number): void {
  const signed = signingDate.getTime();
  const stamp = amzDate(signed);
  if (signed < now - MAX_SKEW_MS) {
    throw new BedrockError(
      'InvalidSignatureException',
      `Signature expired: ${stamp} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 15 min.)`,
    );
  }
  if (signed > now + MAX_SKEW_MS) {
    throw new BedrockError(
      'InvalidSignatureException',
      `Signature not yet current: ${stamp} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 15 min.)`,
    );
  }
}

function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/**
 * Verifies SigV4 the way a server can: rebuild the request from what arrived (the path exactly as
 * received, only the headers the client says it signed), sign it again with the known secret and
 * compare, after checking the signing time against the emulator's clock. The body is hashed here
 * rather than trusting x-amz-content-sha256, so a body altered after signing is caught even when
 * that header was signed. Returns the Region of the credential scope: the client's Region.
 */
export async function verifySignature(
  exchange: Exchange,
  rawUrl: string,
  body: Uint8Array,
  accepted: Credentials,
): Promise<string> {
  const authorization = exchange.header('authorization');
  if (!authorization) {
    throw new BedrockError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const match = AUTH_PATTERN.exec(authorization.trim());
  if (!match) throw invalidSignature();
  const [, accessKeyId = '', , region = '', service = '', signedHeaderList = '', signature = ''] =
    match;
  if (accessKeyId !== accepted.accessKeyId) {
    throw new BedrockError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const signingDate = parseAmzDate(exchange.header('x-amz-date') ?? '');
  if (!signingDate || service !== 'bedrock') throw invalidSignature();
  checkClock(signingDate, Date.now());

  const bodyHash = createHash('sha256').update(body).digest('hex');
  const declaredHash = exchange.header('x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== bodyHash) throw invalidSignature();

  const signedHeaders = signedHeaderList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    // Over HTTP/2 the authority pseudo-header carries what HTTP/1.1 sends as Host.
    const value =
      name === 'host'
        ? (exchange.header('host') ?? exchange.header(':authority'))
        : exchange.header(name);
    if (value === undefined) throw invalidSignature();
    headers[name] = value;
  }
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = queryStart === -1 ? {} : parseQuery(rawUrl.slice(queryStart + 1));
  const sessionToken = exchange.header('x-amz-security-token');
  const signer = new SignatureV4({
    credentials: { ...accepted, ...(sessionToken ? { sessionToken } : {}) },
    region,
    service,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: exchange.req.method ?? 'GET',
      protocol: 'http:',
      hostname: headers.host ?? '',
      path,
      query,
      headers,
      body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  if (!expected || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw invalidSignature();
  }
  return region;
}
