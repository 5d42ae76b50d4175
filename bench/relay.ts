/**
 * What the playground's relay costs. Each round runs the same ConverseStream request these ways,
 * interleaved so that machine noise falls on all of them alike:
 *   direct-h2    the SDK straight to the emulator over its default HTTP/2 handler;
 *   direct-h1    the SDK straight to the emulator over HTTP/1.1 (NodeHttpHandler);
 *   relay        POST /api/run on the playground server, which calls the emulator over HTTP/2,
 *                read with node:http, as the server's tests read it;
 *   relay-fetch  the same, read with fetch (undici): its web streams cost this process about 2 ms
 *                a request, which a browser spends in its own network process, not the server's;
 *   canned       the relay's own work alone: the run request parsed and streamed by `streamRun`
 *                from Bedrock's events of the same answer, replayed from memory, on a bare server;
 *   exchange     the relay's answer sent as it is by a bare node:http server: the HTTP exchange.
 * The figures are the ratios of the medians, relay/direct-h2 and h1/h2: absolute times on a
 * shared two-core machine mean little. The last two say what the relay's ratio is made of.
 */
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent, createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveBackend } from '../server/backend.ts';
import { EMULATOR_CREDENTIALS } from '../server/emulator/index.ts';
import { parseRunRequest, streamRun } from '../server/run.ts';
import { median, progress, startBenchServer } from './support.ts';
import type { Figure } from './support.ts';

const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';

/** The characters of text in an NDJSON answer. */
function textLength(ndjson: string): number {
  let chars = 0;
  for (const line of ndjson.split('\n')) {
    if (line.startsWith('{"type":"text"'))
      chars += (JSON.parse(line) as { text: string }).text.length;
  }
  return chars;
}

/** A bare node:http server on a free port, closed with the returned function. */
async function bareServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: URL; close: () => void }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/api/run`), close: () => server.close() };
}

/**
 * The relay against the SDK, `rounds` times each way, for the emulator's usual short answer or,
 * with `tokens`, one of exactly that many tokens (where per-event costs outweigh per-request ones).
 */
export async function benchRelay(rounds: number, tokens?: number): Promise<Figure[]> {
  const text = `Explain tides to a child.${tokens ? ` [[fault:tokens:n=${tokens}]]` : ''}`;
  const input = {
    modelId,
    messages: [{ role: 'user' as const, content: [{ text }] }],
    inferenceConfig: { maxTokens: tokens ? 4096 : 200 },
  };
  const body = JSON.stringify({
    target: { modelId, api: 'converse' },
    request: { api: 'converse', modelId, input },
  });
  const bench = await startBenchServer();
  const common = {
    region: 'us-east-1',
    endpoint: bench.server.backend.emulator!.url,
    credentials: EMULATOR_CREDENTIALS,
    authSchemePreference: ['sigv4'],
  };
  const h2 = new BedrockRuntimeClient(common);
  const h1 = new BedrockRuntimeClient({ ...common, requestHandler: new NodeHttpHandler() });
  const agent = new Agent({ keepAlive: true });

  const direct = async (client: BedrockRuntimeClient): Promise<number> => {
    let chars = 0;
    const output = await client.send(new ConverseStreamCommand(input));
    for await (const event of output.stream ?? [])
      chars += event.contentBlockDelta?.delta?.text?.length ?? 0;
    return chars;
  };
  /** POSTs the run with node:http and reads the answer to its end. */
  const post = (url: URL) =>
    new Promise<string>((resolve, reject) => {
      const headers = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `token ${bench.server.token}`,
      };
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        let answer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (answer += chunk));
        res.on('end', () => resolve(answer));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const relayUrl = new URL('/api/run', bench.server.url);

  // Bedrock's events and the relay's answer, recorded once, for the two ways that replay them.
  const events: ConverseStreamOutput[] = [];
  for await (const event of (await h2.send(new ConverseStreamCommand(input))).stream ?? [])
    events.push(event);
  const canned = {
    ...bench.server.backend,
    client: { send: () => Promise.resolve({ stream: events }) },
  };
  const cannedServer = await bareServer((req, res) => {
    void parseRunRequest(req).then(({ request }) =>
      streamRun(request, canned as unknown as LiveBackend, res, new AbortController().signal),
    );
  });
  const answer = await post(relayUrl);
  const exchangeServer = await bareServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
      res.end(answer);
    });
  });

  const ways = {
    'direct-h2': () => direct(h2),
    'direct-h1': () => direct(h1),
    relay: async () => textLength(await post(relayUrl)),
    'relay-fetch': async () => {
      const res = await bench.api('/api/run', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return textLength(await res.text());
    },
    canned: async () => textLength(await post(cannedServer.url)),
    exchange: async () => textLength(await post(exchangeServer.url)),
  } as const;
  type Way = keyof typeof ways;
  const times = Object.fromEntries(Object.keys(ways).map((way) => [way, [] as number[]])) as Record<
    Way,
    number[]
  >;
  const lengths = new Set<number>();
  const length = tokens ? `a ${tokens}-token answer` : 'the usual short answer';
  progress(`relay: ${rounds} rounds of one ConverseStream (${length}) six ways, after a warm-up`);
  for (let round = -Math.min(10, rounds); round < rounds; round++) {
    for (const [name, run] of Object.entries(ways) as [Way, () => Promise<number>][]) {
      const start = performance.now();
      lengths.add(await run());
      if (round >= 0) times[name].push(performance.now() - start);
    }
  }
  h1.destroy();
  h2.destroy();
  agent.destroy();
  cannedServer.close();
  exchangeServer.close();
  await bench.close();
  if (lengths.size !== 1)
    throw new Error(`the ways streamed different text lengths: ${[...lengths].join(', ')}`);

  const ms = Object.fromEntries(
    Object.entries(times).map(([way, t]) => [way, median(t)]),
  ) as Record<Way, number>;
  const h2Ms = ms['direct-h2'];
  const ratio = (way: Way) => `${(ms[way] / h2Ms).toFixed(2)}×`;
  const note = [
    `medians: relay ${ms.relay.toFixed(2)} ms, direct-h2 ${h2Ms.toFixed(2)} ms, direct-h1 ${ms['direct-h1'].toFixed(2)} ms; ${[...lengths][0]} characters each`,
    `read with fetch ${ms['relay-fetch'].toFixed(2)} ms (${ratio('relay-fetch')}); of the relay's ${(ms.relay - h2Ms).toFixed(2)} ms more than direct, its own work is ${ms.canned.toFixed(2)} ms (the HTTP exchange alone ${ms.exchange.toFixed(2)} ms), the rest is the two sharing one thread`,
  ].join(`\n${' '.repeat(4)}`);
  const relay: Figure = {
    name: tokens
      ? `relay / direct SDK, ${tokens}-token answer`
      : 'relay / direct SDK (HTTP/2, speed 0)',
    value: ms.relay / h2Ms,
    unit: '×',
    budget: 1.2,
    note,
  };
  if (tokens) return [relay];
  return [
    relay,
    { name: 'direct HTTP/1.1 / direct HTTP/2', value: ms['direct-h1'] / h2Ms, unit: '×' },
  ];
}
