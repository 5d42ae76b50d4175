/**
 * What the playground's relay costs. Each round runs the same ConverseStream request three ways,
 * interleaved so that machine noise falls on all of them alike:
 *   direct-h2  the SDK straight to the emulator over its default HTTP/2 handler;
 *   direct-h1  the SDK straight to the emulator over HTTP/1.1 (NodeHttpHandler);
 *   relay      POST /api/run on the playground server, which calls the emulator over HTTP/2.
 * The figures are the ratios of the medians, relay/direct-h2 and h1/h2: absolute times on a
 * shared two-core machine mean little.
 */
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { EMULATOR_CREDENTIALS } from '../server/emulator/index.ts';
import { median, progress, startBenchServer } from './support.ts';
import type { Figure } from './support.ts';

const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';

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
  const bench = await startBenchServer();
  const common = {
    region: 'us-east-1',
    endpoint: bench.server.backend.emulator!.url,
    credentials: EMULATOR_CREDENTIALS,
    authSchemePreference: ['sigv4'],
  };
  const h2 = new BedrockRuntimeClient(common);
  const h1 = new BedrockRuntimeClient({ ...common, requestHandler: new NodeHttpHandler() });

  const direct = async (client: BedrockRuntimeClient): Promise<number> => {
    let chars = 0;
    const output = await client.send(new ConverseStreamCommand(input));
    for await (const event of output.stream ?? [])
      chars += event.contentBlockDelta?.delta?.text?.length ?? 0;
    return chars;
  };
  const relay = async (): Promise<number> => {
    const res = await bench.api('/api/run', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        target: { modelId, api: 'converse' },
        request: { api: 'converse', modelId, input },
      }),
    });
    let chars = 0;
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith('{"type":"text"'))
        chars += (JSON.parse(line) as { text: string }).text.length;
    }
    return chars;
  };

  const ways = { 'direct-h2': () => direct(h2), 'direct-h1': () => direct(h1), relay } as const;
  const times: Record<keyof typeof ways, number[]> = {
    'direct-h2': [],
    'direct-h1': [],
    relay: [],
  };
  const lengths = new Set<number>();
  const answer = tokens ? `a ${tokens}-token answer` : 'the usual short answer';
  progress(`relay: ${rounds} rounds of one ConverseStream (${answer}) three ways, after a warm-up`);
  for (let round = -Math.min(10, rounds); round < rounds; round++) {
    for (const [name, run] of Object.entries(ways) as [
      keyof typeof ways,
      () => Promise<number>,
    ][]) {
      const start = performance.now();
      lengths.add(await run());
      if (round >= 0) times[name].push(performance.now() - start);
    }
  }
  h1.destroy();
  h2.destroy();
  await bench.close();
  if (lengths.size !== 1)
    throw new Error(`the three ways streamed different text lengths: ${[...lengths].join(', ')}`);

  const [relayMs, h2Ms, h1Ms] = [
    median(times.relay),
    median(times['direct-h2']),
    median(times['direct-h1']),
  ];
  const each = `medians: relay ${relayMs.toFixed(2)} ms, direct-h2 ${h2Ms.toFixed(2)} ms, direct-h1 ${h1Ms.toFixed(2)} ms; ${[...lengths][0]} characters each`;
  if (tokens) {
    return [
      {
        name: `relay / direct SDK, ${tokens}-token answer`,
        value: relayMs / h2Ms,
        unit: '×',
        budget: 1.2,
        note: each,
      },
    ];
  }
  return [
    {
      name: 'relay / direct SDK (HTTP/2, speed 0)',
      value: relayMs / h2Ms,
      unit: '×',
      budget: 1.2,
      note: each,
    },
    { name: 'direct HTTP/1.1 / direct HTTP/2', value: h1Ms / h2Ms, unit: '×' },
  ];
}
