import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/app.ts';
import { call, json } from '../support/http.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Starts `server/main.ts` as `npm start` does, with an environment that has no AWS set-up. */
async function start(args: string[]): Promise<{ url: string; lines: string[] }> {
  const home = await mkdtemp(path.join(tmpdir(), 'bp-home-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', '0', '--dir', path.join(home, 'nb'), ...args],
    { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(home, { recursive: true, force: true });
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for await (const line of createInterface({ input: child.stdout })) {
    lines.push(line);
    const url = /^Bedrock Playground: (http:\/\/\S+)$/.exec(line)?.[1];
    if (url) return { url, lines };
  }
  throw new Error(`server exited before printing its URL:\n${lines.join('\n')}\n${stderr}`);
}

describe('starting the server', () => {
  it('falls back to the emulator, and says so, when no AWS credentials resolve', async () => {
    const { url, lines } = await start([]);
    expect(lines.join('\n')).toMatch(/offline emulator .* answers are synthetic/);
    expect(lines.join('\n')).toMatch(/No AWS credentials found/);
    const status = json(await call(`${url}api/status`));
    expect(status.backend).toBe('emulator');
  });

  it('uses the emulator with --offline and serves a page at /', async () => {
    const { url } = await start(['--offline']);
    const page = await call(url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});
