import { ACCESS_DENIED_MESSAGE, BedrockError } from './errors.ts';
import type { ErrorName } from './errors.ts';

/** What the `[[fault:…]]` directives in the last user message ask the emulator to do. */
export interface Faults {
  /** An exception answered before any output. */
  before?: BedrockError;
  /** Send a modelStreamErrorException after this many tokens. */
  streamErrorAfter?: number;
  /** Cut the connection after this many tokens. */
  disconnectAfter?: number;
  /** Extra wait before the first token, never scaled by speed; at most MAX_FAULT_MS. */
  slowMs: number;
  /**
   * Fixed wait between tokens, never scaled by speed; replaces the model's pace. At most
   * MAX_FAULT_MS.
   */
  paceMs?: number;
  /** `[[fault:tokens:n=N]]`: an answer of exactly this many tokens (at least 1). */
  tokens?: number;
}

/** The longest wait a `slow` or `pace` directive can ask for: ten minutes. */
export const MAX_FAULT_MS = 10 * 60 * 1000;

/** `[[fault:name]]` with optional `:key=value` parameters (`after`, `ms`, `n`, `model`). */
const DIRECTIVE = /\[\[fault:([a-z-]+)((?::[a-z]+=[\w.-]+)*)\]\]/gi;

const BEFORE: Record<string, [ErrorName, string]> = {
  throttling: ['ThrottlingException', 'Too many requests, please wait before trying again.'],
  'access-denied': ['AccessDeniedException', ACCESS_DENIED_MESSAGE],
  timeout: [
    'ModelTimeoutException',
    'Model has timed out in processing the request. Try your request again.',
  ],
  'not-ready': [
    'ModelNotReadyException',
    'Model is not ready to serve inference requests. Try your request again later.',
  ],
  'model-error': ['ModelErrorException', 'The model encountered an error processing the request.'],
  internal: [
    'InternalServerException',
    'The system encountered an unexpected error during processing. Try your request again.',
  ],
  unavailable: ['ServiceUnavailableException', 'Bedrock is unable to process your request.'],
};

/**
 * Reads the directives of one message; unknown directives are ignored (but still stripped).
 * A directive with `model=<part of a model id>` applies only to the models whose id contains
 * that text, so one column of a side-by-side comparison can fail while the others answer.
 */
export function parseFaults(text: string, modelId = ''): Faults {
  const faults: Faults = { slowMs: 0 };
  for (const [, rawName = '', rawParams = ''] of text.matchAll(DIRECTIVE)) {
    const name = rawName.toLowerCase();
    const params = new Map(
      rawParams
        .split(':')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]),
    );
    const only = params.get('model');
    if (only !== undefined && !modelId.toLowerCase().includes(only.toLowerCase())) continue;
    const number = params.get('after') ?? params.get('ms') ?? params.get('n');
    const value = number === undefined || !/^\d+$/.test(number) ? undefined : Number(number);
    const ms = Math.min(value ?? 0, MAX_FAULT_MS);
    const known = BEFORE[name];
    if (known) {
      faults.before ??= new BedrockError(
        known[0],
        known[1],
        known[0] === 'ModelErrorException' ? { originalStatusCode: 500 } : {},
      );
    } else if (name === 'stream-error') faults.streamErrorAfter = value ?? 0;
    else if (name === 'disconnect') faults.disconnectAfter = value ?? 0;
    else if (name === 'slow') faults.slowMs = Math.min(faults.slowMs + ms, MAX_FAULT_MS);
    else if (name === 'pace') faults.paceMs = ms;
    else if (name === 'tokens' && value !== undefined) faults.tokens = Math.max(value, 1);
  }
  return faults;
}

/** The message without its directives, as the model's answer quotes it. */
export function stripFaults(text: string): string {
  return text
    .replace(DIRECTIVE, '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
