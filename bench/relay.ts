/**
 * What the playground's relay costs. Each round runs the same ConverseStream request three ways,
 * interleaved so that machine noise falls on all of them alike:
 *   direct-h2  the SDK straight to the emulator over its default HTTP/2 handler;
 *   direct-h1  the SDK straight to the emulator over HTTP/1.1 (NodeHttpHandler);
 *   relay      POST /api/run on the playground server, which calls the emulator over HTTP/2.
 * It prints medians and the ratios relay/direct-h2 and h1/h2. Figures are only ever ratios from
 * one run: absolute times on a shared two-core machine mean little.
 */
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../server/app.ts';
import { EMULATOR_CREDENTIALS } from '../server/emulator/index.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '150' } } });
const rounds = Number(values.rounds);
const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
const input = {
  modelId,
  messages: [{ role: 'user' as const, content: [{ text: 'Explain tides to a child.' }] }],
  inferenceConfig: { maxTokens: 200 },
};

const dir = await mkdtemp(path.join(tmpdir(), 'bp-bench-'));
const server = await startServer({ port: 0, offline: true, speed: 0, dir });
const endpoint = server.backend.emulator!.url;
const common = {
  region: 'us-east-1',
  endpoint,
  credentials: EMULATOR_CREDENTIALS,
  authSchemePreference: ['sigv4'],
};
const h2 = new BedrockRuntimeClient(common);
const h1 = new BedrockRuntimeClient({ ...common, requestHandler: new NodeHttpHandler() });

async function direct(client: BedrockRuntimeClient): Promise<number> {
  let chars = 0;
  const output = await client.send(new ConverseStreamCommand(input));
  for await (const event of output.stream ?? [])
    chars += event.contentBlockDelta?.delta?.text?.length ?? 0;
  return chars;
}

async function relay(): Promise<number> {
  const res = await fetch(`${server.url}api/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `token ${server.token}` },
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
}

const ways = { 'direct-h2': () => direct(h2), 'direct-h1': () => direct(h1), relay } as const;
const times: Record<keyof typeof ways, number[]> = { 'direct-h2': [], 'direct-h1': [], relay: [] };
const lengths = new Set<number>();
for (let round = -10; round < rounds; round++) {
  for (const [name, run] of Object.entries(ways) as [keyof typeof ways, () => Promise<number>][]) {
    const start = performance.now();
    lengths.add(await run());
    if (round >= 0) times[name].push(performance.now() - start); // the first ten warm up
  }
}
if (lengths.size !== 1)
  throw new Error(`the three ways streamed different text lengths: ${[...lengths].join(', ')}`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<
  keyof typeof ways,
  number
>;
console.log(`rounds: ${rounds}, one ConverseStream of ${[...lengths][0]} characters each`);
for (const [name, value] of Object.entries(m))
  console.log(`  ${name.padEnd(10)} median ${value.toFixed(2)} ms`);
console.log(`ratio relay / direct-h2:   ${(m.relay / m['direct-h2']).toFixed(2)}`);
console.log(`ratio direct-h1 / direct-h2: ${(m['direct-h1'] / m['direct-h2']).toFixed(2)}`);

h1.destroy();
h2.destroy();
await server.close();
await rm(dir, { recursive: true, force: true });
