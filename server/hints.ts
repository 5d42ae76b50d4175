/** What a person can do about an error, by the error's name. One place, so every route agrees. */
export interface HintContext {
  modelId: string;
  region: string;
  backend: 'aws' | 'emulator';
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
        : 'Bedrock rejected the request: check the prompt, config and model id named in the message.';
    }
    case 'ResourceNotFoundException':
      return `Check that ${ctx.modelId} exists in region ${ctx.region} (start with --region to use another).`;
    case 'ServiceUnavailableException':
    case 'InternalServerException':
      return 'Bedrock had a problem on its side: try again shortly.';
    case 'ServiceQuotaExceededException':
      return 'A Bedrock quota was reached for this account: ask for a higher quota, or try later.';
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'CredentialsProviderError':
      return 'Your AWS credentials were not accepted: refresh them (for example `aws sso login --profile NAME`) or start with --profile NAME; --offline uses the local emulator.';
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
