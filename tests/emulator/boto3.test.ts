import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator } from '../../server/emulator/index.ts';
import type { Emulator } from '../../server/emulator/index.ts';
import { HAIKU, converseInput, converseStreamAll, runtimeClient } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Debian's python3-boto3 first (what CI installs), else whatever python3 is on PATH. */
function findPython(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import boto3'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

// boto3 streams ConverseStream and prints the text it received as JSON.
const SCRIPT = `
import json, sys, boto3
client = boto3.client('bedrock-runtime', endpoint_url=sys.argv[1], region_name='us-east-1')
response = client.converse_stream(
    modelId=sys.argv[2],
    messages=[{'role': 'user', 'content': [{'text': sys.argv[3]}]}],
    system=[{'text': sys.argv[4]}],
)
text = ''
events = []
for event in response['stream']:
    events.append(next(iter(event)))
    if 'contentBlockDelta' in event:
        text += event['contentBlockDelta']['delta']['text']
print(json.dumps({'text': text, 'events': events}))
`;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ speed: 0 });
});
afterAll(() => emulator.close());

it('streams to boto3 the same ConverseStream text the JS SDK gets', async () => {
  const python = findPython();
  if (!python) {
    throw new Error('boto3 is not installed: install python3-boto3 (apt) or pip install boto3');
  }
  const question = 'What is the tallest mountain in Africa?';
  const system = 'You are a concise geography tutor.';
  const child = spawn(python, ['-c', SCRIPT, emulator.url, HAIKU, question, system], {
    env: {
      ...process.env,
      AWS_DATA_PATH: path.resolve(repoRoot, '../shared/aws-models'),
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_BEARER_TOKEN_BEDROCK: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const fromBoto = JSON.parse(stdout) as { text: string; events: string[] };

  const client = runtimeClient(emulator);
  const fromJs = await converseStreamAll(
    client,
    converseInput(HAIKU, question, { system: [{ text: system }] }),
  );
  client.destroy();
  expect(fromBoto.text).toBe(fromJs.text);
  expect(fromBoto.text).toContain('tallest mountain');
  expect(fromBoto.events).toEqual(fromJs.events);
});
