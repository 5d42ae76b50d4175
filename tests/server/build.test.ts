import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as BuildScript from '../../scripts/build.mjs';
import { PROJECT_ROOT } from '../../server/app.ts';

type BuildModule = typeof BuildScript;

/** A copy of the project's sources (sharing its node_modules), so edits here touch nothing real. */
let copy: string;
let build: BuildModule;

beforeAll(async () => {
  copy = await mkdtemp(path.join(tmpdir(), 'bp-build-'));
  for (const entry of ['server', 'cells', 'src', 'scripts']) {
    await cp(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  for (const file of [
    'index.html',
    'vite.config.ts',
    'tsconfig.json',
    'package.json',
    'package-lock.json',
  ]) {
    await cp(path.join(PROJECT_ROOT, file), path.join(copy, file));
  }
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  build = (await import(
    pathToFileURL(path.join(copy, 'scripts', 'build.mjs')).href
  )) as BuildModule;
});
afterAll(() => rm(copy, { recursive: true, force: true }));

const helpOfBundle = () =>
  execFileSync(process.execPath, [path.join(copy, 'build', 'server.mjs'), '--help'], {
    encoding: 'utf8',
  });

describe('building what npm start runs', () => {
  it('bundles the server once, and again on the next start after a source edit', async () => {
    await build.ensureBuilt({ page: false });
    expect(helpOfBundle()).toContain('Usage: npm start -- [options]');
    const first = await stat(build.SERVER_BUNDLE);

    // Nothing changed: the bundle is left as it is.
    await build.ensureBuilt({ page: false });
    expect((await stat(build.SERVER_BUNDLE)).mtimeMs).toBe(first.mtimeMs);

    const main = path.join(copy, 'server', 'main.ts');
    const source = await readFile(main, 'utf8');
    await writeFile(main, source.replace('Usage: npm start', 'Usage (edited): npm start'));
    await build.ensureBuilt({ page: false });
    expect(helpOfBundle()).toContain('Usage (edited): npm start -- [options]');
  });

  it('tells page and server sources apart by content: the page digest follows src/, both follow cells/', async () => {
    const page = await build.digest(build.PAGE_SOURCES);
    const server = await build.digest(build.SERVER_SOURCES);
    const entry = path.join(copy, 'src', 'main.ts');
    const text = await readFile(entry, 'utf8');

    // Written again with the same bytes (a checkout, a copy): nothing to build.
    await writeFile(entry, text);
    expect(await build.digest(build.PAGE_SOURCES)).toBe(page);

    await writeFile(entry, `${text}// edited\n`);
    expect(await build.digest(build.PAGE_SOURCES)).not.toBe(page);
    expect(await build.digest(build.SERVER_SOURCES)).toBe(server);

    await writeFile(path.join(copy, 'cells', 'new-module.ts'), 'export const x = 1;\n');
    expect(await build.digest(build.SERVER_SOURCES)).not.toBe(server);
  });
});
