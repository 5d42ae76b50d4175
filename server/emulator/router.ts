import { authenticate } from './auth.ts';
import type { EmulatorContext } from './context.ts';
import {
  getFoundationModel,
  getFoundationModelAvailability,
  getInferenceProfile,
  listFoundationModels,
  listInferenceProfiles,
} from './control-plane.ts';
import { converse, converseStream } from './converse.ts';
import { countInputTokens, countingModel } from './count-tokens.ts';
import {
  ACCESS_DENIED_MESSAGE,
  BedrockError,
  INVALID_MODEL_MESSAGE,
  unreachable,
  validationError,
} from './errors.ts';
import { Exchange } from './exchange.ts';
import type { AnyRequest, AnyResponse, Protocol } from './exchange.ts';
import { invoke, invokeStream } from './invoke.ts';
import { resolveModel } from './models.ts';
import { parseJson } from './validate.ts';

// InvokeModel bodies may be 25 MB; Converse requests carry base64 images and documents.
const BODY_LIMIT = 40 * 1024 * 1024;

const OPERATIONS = [
  'converse',
  'converse-stream',
  'invoke',
  'invoke-with-response-stream',
  'count-tokens',
] as const;
type Operation = (typeof OPERATIONS)[number];

const RUNTIME_ROUTE = new RegExp(`^/model/([^/]+)/(${OPERATIONS.join('|')})$`);

/** GET routes of the control plane, each with its one path parameter. */
const CONTROL_ROUTES = {
  model: /^\/foundation-models\/([^/]+)$/,
  availability: /^\/foundation-model-availability\/([^/]+)$/,
  profile: /^\/inference-profiles\/([^/]+)$/,
} as const;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw validationError(INVALID_MODEL_MESSAGE);
  }
}

async function runtime(
  context: EmulatorContext,
  exchange: Exchange,
  operation: Operation,
  identifier: string,
  region: string,
  body: Uint8Array,
): Promise<void> {
  context.onRequest?.({ operation, modelId: identifier, body });
  if (operation === 'count-tokens') {
    const model = countingModel(identifier, region);
    if (context.deny.has(model.id)) {
      throw new BedrockError('AccessDeniedException', ACCESS_DENIED_MESSAGE);
    }
    const inputTokens = countInputTokens(model, parseJson(body, false));
    return exchange.sendJson(200, { inputTokens });
  }
  const model = resolveModel(identifier, region, context.deny);
  const native = operation === 'invoke' || operation === 'invoke-with-response-stream';
  const json = parseJson(body, native);
  switch (operation) {
    case 'converse':
      return converse(context, exchange, model, json);
    case 'converse-stream':
      return converseStream(context, exchange, model, json);
    case 'invoke':
      return invoke(context, exchange, model, json);
    case 'invoke-with-response-stream':
      return invokeStream(context, exchange, model, json);
    default:
      return unreachable(operation);
  }
}

function control(context: EmulatorContext, exchange: Exchange, url: URL, region: string): boolean {
  const { pathname, searchParams } = url;
  const send = (body: unknown): true => {
    exchange.sendJson(200, body);
    return true;
  };
  if (pathname === '/foundation-models') return send(listFoundationModels(searchParams, region));
  if (pathname === '/inference-profiles') return send(listInferenceProfiles(searchParams, region));
  const param = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(pathname);
    return match ? decodeSegment(match[1] ?? '') : undefined;
  };
  const model = param(CONTROL_ROUTES.model);
  if (model !== undefined) return send(getFoundationModel(model, region));
  const available = param(CONTROL_ROUTES.availability);
  if (available !== undefined) {
    return send(getFoundationModelAvailability(available, region, context.deny));
  }
  const profile = param(CONTROL_ROUTES.profile);
  if (profile !== undefined) return send(getInferenceProfile(profile, region));
  return false;
}

async function route(context: EmulatorContext, exchange: Exchange): Promise<void> {
  const rawUrl = exchange.req.url ?? '/';
  const body = await exchange.readBody(BODY_LIMIT);
  const region = await authenticate(exchange, rawUrl, body, context);
  const url = new URL(rawUrl, 'http://emulator');
  const method = exchange.req.method ?? 'GET';

  const match = RUNTIME_ROUTE.exec(url.pathname);
  if (match && method === 'POST') {
    // The pattern admits only the listed operations.
    const operation = match[2] as Operation;
    return runtime(context, exchange, operation, decodeSegment(match[1] ?? ''), region, body);
  }
  if (method === 'GET' && control(context, exchange, url, region)) return;
  throw new BedrockError(
    'UnknownOperationException',
    `No operation matches ${method} ${url.pathname}.`,
  );
}

/**
 * Serves one request and maps every failure to Bedrock's error shape: bad input must never
 * take the emulator down.
 */
export function createRouter(
  context: EmulatorContext,
  open: Set<Exchange>,
): (req: AnyRequest, res: AnyResponse, protocol: Protocol) => void {
  return (req, res, protocol) => {
    const exchange = new Exchange(req, res, protocol);
    open.add(exchange);
    res.once('close', () => open.delete(exchange));
    route(context, exchange).catch((error: unknown) => {
      if (error instanceof BedrockError) return exchange.sendError(error);
      exchange.sendError(
        new BedrockError(
          'InternalServerException',
          'The system encountered an unexpected error during processing. Try your request again.',
        ),
      );
    });
  };
}
