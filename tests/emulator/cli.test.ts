import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

it('prints the address and the environment lines an SDK needs, then exits on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/emulator/main.ts', '--port', '0', '--speed', '0'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('AWS_REGION')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code}): ${output}`)));
  });
  const url = /export AWS_ENDPOINT_URL_BEDROCK_RUNTIME=(http:\/\/127\.0\.0\.1:\d+)/.exec(
    output,
  )?.[1];
  expect(url).toBeDefined();
  expect(output).toContain(`export AWS_ENDPOINT_URL_BEDROCK=${url}`);
  expect(output).toContain('export AWS_ACCESS_KEY_ID=AKIDEMULATOR');
  expect(output).toContain('export AWS_SECRET_ACCESS_KEY=emulator-secret');
  expect(output).toContain('export AWS_REGION=us-east-1');
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});
