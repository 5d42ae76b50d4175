import type { RunFix } from '../cells/events.ts';
import { profileForOnDemandError } from '../cells/models/listing.ts';
import type { Catalog } from '../cells/models/listing.ts';
import { diagnoseCredentialError } from './credentials.ts';

/** What a person can do about an error, by the error's name. One place, so every route agrees. */
export interface HintContext {
  modelId: string;
  region: string;
  backend: 'aws' | 'emulator';
  /** The named profile in use, for `aws sso login --profile NAME`. */
  profile?: string | null;
  /** The backend's model catalog, when it has been read: it names the profile to use. */
  catalog?: Catalog | undefined;
}

/** Errors that mean the credentials failed, before or at Bedrock. */
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'CredentialsProviderError',
  'TokenProviderError',
]);

/**
 * The hint for an error, and what one click can do about it: call the inference profile Bedrock
 * asks for instead of a base model id, or use the emulator when credentials failed. The
 * emulator is offered, never switched to: synthetic answers are the user's choice.
 */
export function adviceFor(
  name: string,
  message: string,
  ctx: HintContext,
): { hint: string; fix?: RunFix } {
  if (name === 'ValidationException') {
    const profile = profileForOnDemandError(message, ctx.region, ctx.catalog);
    if (profile) {
      return {
        hint: `${ctx.modelId} is offered in ${ctx.region} only through inference profiles: call it through ${profile}.`,
        fix: { kind: 'model', modelId: profile },
      };
    }
  }
  if (name === 'AccessDeniedException' && /API Key/i.test(message) && ctx.backend === 'aws') {
    return {
      hint: 'The Bedrock API key in AWS_BEARER_TOKEN_BEDROCK was not accepted: create a new one in the Bedrock console, or unset it to sign with a profile. Or use the local emulator (its answers are synthetic).',
      fix: { kind: 'emulator' },
    };
  }
  if (CREDENTIAL_ERRORS.has(name) && ctx.backend === 'aws') {
    const problem = diagnoseCredentialError(new Error(message), ctx.profile ?? null);
    const why = problem.kind === 'failed' ? hintFor(name, message, ctx) : problem.message.trimEnd();
    return {
      hint: `${why} Or use the local emulator (its answers are synthetic).`,
      fix: { kind: 'emulator' },
    };
  }
  return { hint: hintFor(name, message, ctx) };
}

/** The hint for an error that reached the run route. */
export function hintFor(name: string, message: string, ctx: HintContext): string {
  switch (name) {
    case 'AccessDeniedException':
      return `Request access to ${ctx.modelId} in the Amazon Bedrock console (Model access) for region ${ctx.region}, or pick another model.`;
    case 'ThrottlingException':
      return 'Bedrock is throttling requests to this model: wait a few seconds and run again, or ask for a higher quota.';
    case 'ModelNotReadyException':
      return 'The model is not ready to serve yet: try again in a minute.';
    case 'ModelTimeoutException':
      return 'The model took too long to answer: run again, or ask for fewer tokens (lower maxTokens).';
    case 'ModelStreamErrorException':
      return 'The model failed part-way through its answer; the text so far is kept. Run again.';
    case 'ModelErrorException':
      return 'The model could not process the request: run again, or simplify the prompt.';
    case 'ValidationException': {
      const field = /at '([^']+)'/.exec(message)?.[1] ?? /#\/?([\w/]*)/.exec(message)?.[1];
      return field
        ? `Bedrock rejected the request: check "${field}" (see the message) in the cell or its config.`
        : /model identifier is invalid/i.test(message)
          ? `Bedrock does not know ${ctx.modelId} in ${ctx.region}: pick the model again in the target's model picker (an inference profile of another geography is invalid here).`
          : 'Bedrock rejected the request: check the prompt, config and model id named in the message.';
    }
    case 'ResourceNotFoundException':
      return `Check that ${ctx.modelId} exists in region ${ctx.region} (choose another Region with "Backend…" in the status bar).`;
    case 'ServiceUnavailableException':
    case 'InternalServerException':
      return 'Bedrock had a problem on its side: try again shortly.';
    case 'ServiceQuotaExceededException':
      return 'A Bedrock quota was reached for this account: ask for a higher quota, or try later.';
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'CredentialsProviderError':
    case 'TokenProviderError':
      return 'Your AWS credentials were not accepted: refresh them (for example `aws sso login --profile NAME`) or choose another profile with "Backend…" in the status bar.';
    case 'NetworkError':
      return ctx.backend === 'emulator'
        ? 'The local emulator could not be reached: restart the playground.'
        : `Bedrock could not be reached in region ${ctx.region}: check your network, proxy or VPN. \`npm start -- --offline\` runs against the local emulator.`;
    case 'StreamTimeout':
      return 'The text so far is kept. Run again; if the model is slow to start, `npm start -- --stream-timeout SECONDS` waits longer.';
    case 'StreamCut':
      return 'The connection to Bedrock was cut part-way; the text so far is kept. Run again.';
    case 'AbortError':
      return 'The run was stopped.';
    default:
      return ctx.backend === 'emulator'
        ? 'The local emulator answered with an unexpected error: see the message.'
        : 'Unexpected error from Bedrock: see the message; run again if it looks transient.';
  }
}

/** How to set up credentials, printed when none resolve. */
export const NO_CREDENTIALS_HINT =
  'No AWS credentials found. To use Amazon Bedrock, configure a profile (`aws configure --profile NAME` or `aws configure sso`) and start with `npm start -- --profile NAME`.';
