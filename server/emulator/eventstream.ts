import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One `:message-type=event` frame; `eventType` is the member name of the stream union. */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/**
 * One `:message-type=exception` frame. The SDK maps `exceptionType` onto the union member, so it
 * must be the camelCase member name (`modelStreamErrorException`), never the shape name.
 */
export function encodeException(exceptionType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** Decodes a whole buffered event stream; used by tests and by nothing on the serving path. */
export function decodeEvents(
  bytes: Uint8Array,
): { headers: Record<string, string>; body: string }[] {
  const out: { headers: Record<string, string>; body: string }[] = [];
  const decoder = new EventStreamCodec(toUtf8, fromUtf8);
  decoder.feed(bytes);
  decoder.endOfStream();
  for (const message of decoder.getAvailableMessages().getMessages()) {
    const headers: Record<string, string> = {};
    for (const [name, header] of Object.entries(message.headers))
      headers[name] = String(header.value);
    out.push({ headers, body: toUtf8(message.body) });
  }
  return out;
}
