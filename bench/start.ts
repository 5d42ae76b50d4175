/**
 * `npm start` to a listening server, as a person runs it, once the page and the server are built
 * (a first start, not timed, builds whatever is stale). Timed from spawning npm to the line that
 * prints the address, and to the first answer of the page at that address.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../server/app.ts';
import { median, progress } from './support.ts';
import type { Figure } from './support.ts';

interface Start {
  listeningMs: number;
  pageMs: number;
}

async function startOnce(dir: string): Promise<Start> {
  // Through npm, as the README says; npm_execpath is npm's own script when run by `npm run`.
  const npm = process.env.npm_execpath;
  const args = ['start', '--', '--port', '0', '--dir', dir];
  const began = performance.now();
  const child = npm
    ? spawn(process.execPath, [npm, ...args], { cwd: PROJECT_ROOT, detached: true })
    : spawn('npm', args, { cwd: PROJECT_ROOT, detached: true });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      output += `${line}\n`;
      const url = /Bedrock Playground: (http:\/\/\S+)/.exec(line)?.[1];
      if (!url) continue;
      const listeningMs = performance.now() - began;
      const page = await fetch(url);
      await page.text();
      if (!page.ok) throw new Error(`the page answered ${page.status}`);
      return { listeningMs, pageMs: performance.now() - began };
    }
    throw new Error(`npm start ended without printing its address:\n${output}`);
  } finally {
    // npm, its shell and the server are one process group.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

export async function benchStart(runs: number): Promise<Figure[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bp-bench-start-'));
  try {
    progress('start: one npm start to build what is stale (not timed)');
    await startOnce(dir);
    const starts: Start[] = [];
    for (let i = 0; i < runs; i++) {
      progress(`start: timed npm start ${i + 1} of ${runs}`);
      starts.push(await startOnce(dir));
    }
    const listening = median(starts.map((s) => s.listeningMs)) / 1000;
    const page = median(starts.map((s) => s.pageMs)) / 1000;
    return [
      {
        name: 'npm start to listening (built)',
        value: listening,
        unit: 's',
        budget: 2,
        note: `median of ${runs}: ${starts.map((s) => (s.listeningMs / 1000).toFixed(2)).join(', ')} s; page answered at ${page.toFixed(2)} s`,
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
