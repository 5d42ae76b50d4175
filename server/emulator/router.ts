import type { EmulatorContext } from './context.ts';
import { converse, converseStream } from './converse.ts';
import { BedrockError, unreachable, validationError } from './errors.ts';
import { Exchange } from './exchange.ts';
import type { AnyRequest, AnyResponse, Protocol } from './exchange.ts';
import { getFoundationModel, listFoundationModels } from './control-plane.ts';
import { invoke, invokeStream } from './invoke.ts';
import { resolveModel } from './models.ts';
import { countInputTokens } from './requests.ts';
import { verifySignature } from './sigv4.ts';
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

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw validationError('The provided model identifier is invalid.');
  }
}

function regionOf(exchange: Exchange): string {
  return (
    /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(exchange.header('authorization') ?? '')?.[1] ??
    'us-east-1'
  );
}

async function route(context: EmulatorContext, exchange: Exchange): Promise<void> {
  const rawUrl = exchange.req.url ?? '/';
  const body = await exchange.readBody(BODY_LIMIT);
  await verifySignature(exchange, rawUrl, body, context.credentials);
  const url = new URL(rawUrl, 'http://emulator');
  const method = exchange.req.method ?? 'GET';

  const runtime = RUNTIME_ROUTE.exec(url.pathname);
  if (runtime && method === 'POST') {
    const [, segment = ''] = runtime;
    // The pattern admits only the listed operations.
    const operation = runtime[2] as Operation;
    const model = resolveModel(decodeSegment(segment), context.deny);
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
      case 'count-tokens':
        return exchange.sendJson(200, { inputTokens: countInputTokens(model, json) });
      default:
        return unreachable(operation);
    }
  }
  if (method === 'GET' && url.pathname === '/foundation-models') {
    return exchange.sendJson(200, listFoundationModels(url.searchParams, regionOf(exchange)));
  }
  const detail = /^\/foundation-models\/([^/]+)$/.exec(url.pathname);
  if (method === 'GET' && detail) {
    return exchange.sendJson(
      200,
      getFoundationModel(decodeSegment(detail[1] ?? ''), regionOf(exchange)),
    );
  }
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
