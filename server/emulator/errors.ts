/** The exceptions the emulator can answer with, and the HTTP status Bedrock pairs with each. */
export const ERROR_STATUS = {
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const;

export type ErrorName = keyof typeof ERROR_STATUS;

/** An error that is answered to the client with Bedrock's wire shape instead of crashing a handler. */
export class BedrockError extends Error {
  readonly errorName: ErrorName;
  /** Extra members of the error structure, e.g. originalStatusCode of ModelErrorException. */
  readonly fields: Record<string, unknown>;

  constructor(errorName: ErrorName, message: string, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = errorName;
    this.errorName = errorName;
    this.fields = fields;
  }

  get status(): number {
    return ERROR_STATUS[this.errorName];
  }

  toJSON(): Record<string, unknown> {
    return { message: this.message, ...this.fields };
  }
}

export const validationError = (message: string): BedrockError =>
  new BedrockError('ValidationException', message);

export const INVALID_MODEL_MESSAGE = 'The provided model identifier is invalid.';
export const ACCESS_DENIED_MESSAGE =
  "You don't have access to the model with the specified model ID.";

/** The `default:` of a switch that handles every case: adding a case breaks the build there. */
export function unreachable(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}
