// @ts-check
/**
 * Builds what `npm start` runs, only when its sources changed: the page (Vite, into `dist/`) and
 * the server (esbuild, one ES module `build/server.mjs`, so that starting it transpiles nothing).
 * Each build is stamped with a digest of the files it was made from (content, not times: a
 * checkout or a copy changes times, not what was built); a start compares digests, which takes
 * milliseconds, and rebuilds only what differs.
 *
 * Plain JavaScript run by Node itself: it must not need the transpiler it saves the start from.
 *
 *   node scripts/build.mjs           build both now
 *   node scripts/build.mjs --stale   build only what changed (what `npm start` does)
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Build output other than the page: the server bundle and the page's digest. Git-ignored. */
export const BUILD_DIR = path.join(ROOT, 'build');
export const DIST_DIR = path.join(ROOT, 'dist');
export const SERVER_BUNDLE = path.join(BUILD_DIR, 'server.mjs');
const PAGE_DIGEST = path.join(BUILD_DIR, 'page.digest');

/** What the installed packages are: a different lock or install means different output. */
const PACKAGES = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json'];
export const PAGE_SOURCES = ['src', 'cells', 'index.html', 'vite.config.ts', 'tsconfig.json'];
export const SERVER_SOURCES = ['server', 'cells', 'tsconfig.json'];
const THIS_FILE = 'scripts/build.mjs';

/**
 * Every file under `entries` (relative to the project), sorted, each path followed by its bytes.
 * @param {string[]} entries
 * @returns {Promise<string>}
 */
export async function digest(entries) {
  /** @type {string[]} */
  const files = [];
  for (const entry of [...entries, ...PACKAGES, THIS_FILE]) {
    const full = path.join(ROOT, entry);
    const listed = await readdir(full, { recursive: true, withFileTypes: true }).catch(() => null);
    if (listed === null) files.push(entry);
    else {
      for (const item of listed) {
        if (item.isFile()) files.push(path.relative(ROOT, path.join(item.parentPath, item.name)));
      }
    }
  }
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    // A file that is not there (no lock yet) counts as missing, which is a state of its own.
    hash.update(await readFile(path.join(ROOT, file)).catch(() => '\0missing\0'));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** @param {string} file */
const readText = (file) => readFile(file, 'utf8').catch(() => '');

/**
 * Writes `text` to `file` through a temporary file and a rename, so a reader never sees half.
 * @param {string} file
 * @param {string} text
 */
async function writeAtomic(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/**
 * Runs `vite build` into a folder of its own, then puts it in place of `dist/`: a server serving
 * the old page, or another build running at the same time, never sees a half-written one.
 */
async function buildPage() {
  const staging = path.join(BUILD_DIR, `page-${process.pid}`);
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const exited = /** @type {Promise<number | null>} */ (
    new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [vite, 'build', '--logLevel', 'warn', '--outDir', staging, '--emptyOutDir'],
        // A NODE_ENV of `test` or `development` would bundle Lit's development build.
        { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
      );
      child.once('error', reject);
      child.once('exit', resolve);
    })
  );
  const code = await exited;
  if (code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`vite build failed (exit ${String(code)})`);
  }
  const old = path.join(BUILD_DIR, `dist-old-${process.pid}`);
  await rename(DIST_DIR, old).catch(() => {});
  await rename(staging, DIST_DIR).catch(async () => {
    // Another build put its page there first; it was built from the same sources or newer.
    await rm(staging, { recursive: true, force: true });
  });
  await rm(old, { recursive: true, force: true });
}

/**
 * An esbuild plugin that gives each of the project's modules its own `import.meta.url` in the
 * bundle, the address of its source file, so a module that reads a file beside it (the
 * emulator's `catalog.json`) or finds the project from itself still does. Relative to the bundle,
 * so the project can be moved with its build.
 * @type {import('esbuild').Plugin}
 */
const sourceUrls = {
  name: 'source-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.split(path.sep).includes('node_modules')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = path.relative(BUILD_DIR, args.path).split(path.sep).join('/');
      return {
        contents: `const __sourceUrl = new URL(${JSON.stringify(fromBundle)}, import.meta.url).href;\n${text.replaceAll('import.meta.url', '__sourceUrl')}`,
        loader: 'ts',
      };
    });
  },
};

/**
 * Bundles the server and everything it imports into one ES module. The first line carries the
 * digest of its sources, so the bundle and its stamp can never disagree.
 * @param {string} sources the digest
 */
async function buildServer(sources) {
  const esbuild = await import('esbuild');
  const staging = `${SERVER_BUNDLE}.${process.pid}.tmp`;
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'server', 'main.ts')],
    outfile: staging,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [sourceUrls],
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: {
      js: [
        `// digest ${sources}`,
        "import { createRequire as __bpCreateRequire } from 'node:module';",
        'const require = __bpCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  await rename(staging, SERVER_BUNDLE);
}

/** The digest a server bundle was built from, read from its first line. */
async function bundledDigest() {
  return /^\/\/ digest ([0-9a-f]+)/.exec(await readText(SERVER_BUNDLE))?.[1];
}

/**
 * Builds the page and the server if their sources changed since they were built (or always,
 * with `force`). Says what it builds on stderr; quiet when nothing is stale.
 * @param {{ force?: boolean, page?: boolean, server?: boolean }} [options]
 */
export async function ensureBuilt({ force = false, page = true, server = true } = {}) {
  await mkdir(BUILD_DIR, { recursive: true });
  const work = [];
  if (page) {
    const sources = await digest(PAGE_SOURCES);
    const built = (await readText(PAGE_DIGEST)).trim();
    const there = (await readText(path.join(DIST_DIR, 'index.html'))) !== '';
    if (force || built !== sources || !there) {
      work.push(
        (async () => {
          console.error('Building the page…');
          await buildPage();
          await writeAtomic(PAGE_DIGEST, `${sources}\n`);
        })(),
      );
    }
  }
  if (server) {
    const sources = await digest(SERVER_SOURCES);
    if (force || (await bundledDigest()) !== sources) {
      console.error('Building the server…');
      work.push(buildServer(sources));
    }
  }
  await Promise.all(work);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureBuilt({ force: !process.argv.includes('--stale') }).catch(
    (/** @type {unknown} */ error) => {
      console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
