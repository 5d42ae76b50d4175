import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { TOKEN_ENV } from '../../server/auth.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The local server on a free port with the offline emulator at full speed. */
export interface Playground {
  url: string;
  /** The address the server printed: `url` with `?token=…`, which signs a browser in. */
  startUrl: string;
  /** The API token; the same after a restart, so a signed-in page stays signed in. */
  token: string;
  /** The server's notebook folder (`--dir`), a fresh temporary one. */
  dir: string;
  /** Stops the server and starts it again on the same folder and port (a page can reload). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface ServerProcess {
  url: string;
  startUrl: string;
  port: number;
  kill(): Promise<void>;
}

async function spawnServer(
  dir: string,
  port: number,
  token: string,
  extraArgs: string[],
  extraEnv: NodeJS.ProcessEnv,
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/main.ts',
      '--offline',
      '--port',
      String(port),
      '--speed',
      '0',
      '--dir',
      dir,
      ...extraArgs,
    ],
    // Through the environment, as a script would pass it: it stays out of the process list.
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...extraEnv, [TOKEN_ENV]: token },
    },
  );
  let output = '';
  const startUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Bedrock Playground: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const url = `${new URL(startUrl).origin}/`;
  return {
    url,
    startUrl,
    port: Number(new URL(url).port),
    async kill() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts the server; `extraEnv` adds to (or, set to undefined, removes from) its environment. */
export async function startPlayground(
  extraArgs: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<Playground> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bp-e2e-notebooks-'));
  const token = randomBytes(24).toString('hex');
  let server = await spawnServer(dir, 0, token, extraArgs, extraEnv);
  return {
    url: server.url,
    startUrl: server.startUrl,
    token,
    dir,
    async restart() {
      await server.kill();
      server = await spawnServer(dir, server.port, token, extraArgs, extraEnv);
    },
    async stop() {
      await server.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'bp-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A test file's server and browser. */
export interface Session {
  server: Playground;
  browser: Browser;
}

/**
 * Signs the browser in as a person does: opens the address the server printed, whose token the
 * page trades for the session cookie, and waits for the cookie.
 */
export async function signIn(server: Playground, browser: Browser): Promise<void> {
  const page = await browser.context.newPage();
  try {
    const [traded] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/session')),
      page.goto(server.startUrl),
    ]);
    if (traded.status() !== 204) throw new Error(`signing in answered ${traded.status()}`);
  } finally {
    await page.close();
  }
}

/**
 * Starts a server (with `extraArgs`) and a browser before the tests of the file that calls it,
 * signs the browser in, and stops them after; the returned object holds them once they have
 * started.
 */
export function useSession(
  extraArgs: string[] = [],
  extraEnv: () => NodeJS.ProcessEnv = () => ({}),
): Session {
  const session: Partial<Session> = {};
  beforeAll(async () => {
    [session.server, session.browser] = await Promise.all([
      startPlayground(extraArgs, extraEnv()),
      launchBrowser(),
    ]);
    await signIn(session.server, session.browser);
  });
  afterAll(async () => {
    await Promise.all([session.browser?.close(), session.server?.stop()]);
  });
  return session as Session;
}

/** Opens the page at `path` (after the server's address) and waits for the prompt's editor. */
export async function openPage(
  session: Session,
  path = '',
): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${session.server.url}${path}`);
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor({ state: 'attached' });
  return { page, errors };
}

/** The targets of the examples, by label. */
export const CLAUDE = 'Claude 3 Haiku';
export const LLAMA = 'Llama 2 13B Chat';

/** A target's state ("Waiting", "Streaming", "Done"…) in the cell shown. */
export const runState = (page: Page, label: string) =>
  page.getByRole('status', { name: `State of ${label}` });

/** A target's answer in the cell shown. */
export const answerOf = (page: Page, label: string) =>
  page.getByRole('region', { name: `Answer of ${label}` });

/** Waits until a target's state reads `wanted`. */
export async function waitForState(
  page: Page,
  label: string,
  wanted: string,
  timeout = 20_000,
): Promise<void> {
  await expect.poll(() => runState(page, label).textContent(), { timeout }).toBe(wanted);
}

/** Console errors and uncaught exceptions of a page, collected as they happen. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Replaces the text of the Monaco editor named `label` by typing, as a person would. */
export async function typeInto(page: Page, label: string, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: label, exact: true });
  await box.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

/**
 * The text of an element including what its custom elements render in their shadow roots
 * (`innerText` stops at shadow boundaries), whitespace collapsed.
 */
export async function deepText(locator: Locator): Promise<string> {
  const text = await locator.evaluate((root) => {
    const parts: string[] = [];
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
      if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
      for (const child of node.childNodes) walk(child);
      if (node instanceof HTMLElement && /^(P|LI|H\d|PRE|DIV|BR)$/.test(node.tagName)) {
        parts.push('\n');
      }
    };
    walk(root);
    return parts.join('');
  });
  return text
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
