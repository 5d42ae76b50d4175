/**
 * What the browser downloads, gzipped as a server would send it: the first script (the entry
 * and anything it imports statically) and the editor (the lazy chunk with Monaco and what it
 * imports that the first script does not have), with Monaco's workers and styles for context.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../server/app.ts';
import type { Figure } from './support.ts';

/** Strings only Monaco's own code contains (as in tests/e2e/bundle.test.ts). */
const MONACO_MARKERS = ['codeEditorService', 'editorWorkerService', 'codicon'];

/** The gzipped sizes of a build, in KB, and the files each is made of. */
export interface Sizes {
  first: { kb: number; files: string[] };
  editor: { kb: number; files: string[] };
  workersKB: number;
  stylesKB: number;
}

/** Measures the build in `dist` (the page's build folder). */
export async function measureSizes(dist: string): Promise<Sizes> {
  const assetsDir = path.join(dist, 'assets');
  const read = (name: string): Promise<string> => readFile(path.join(assetsDir, name), 'utf8');
  const gzipKB = async (names: Iterable<string>): Promise<number> => {
    let bytes = 0;
    for (const name of names) bytes += gzipSync(await readFile(path.join(assetsDir, name))).length;
    return bytes / 1024;
  };

  /** A chunk and every chunk it imports statically, however deep. */
  const closure = async (entry: string): Promise<Set<string>> => {
    const seen = new Set<string>();
    const visit = async (name: string): Promise<void> => {
      if (seen.has(name)) return;
      seen.add(name);
      const code = await read(name);
      for (const [, dep] of code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)) {
        if (dep) await visit(dep);
      }
    };
    await visit(entry);
    return seen;
  };

  const html = await readFile(path.join(dist, 'index.html'), 'utf8');
  const entry = /<script[^>]*\bsrc="\/assets\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('dist/index.html names no script');
  const first = await closure(entry);

  const assets = await readdir(assetsDir);
  const lazy: string[] = [];
  for (const name of assets.filter((n) => n.endsWith('.js') && !first.has(n))) {
    const code = await read(name);
    if (MONACO_MARKERS.some((marker) => code.includes(marker))) lazy.push(name);
  }
  // The editor is the lazy chunk the entry imports dynamically, with its own static imports.
  const entryCode = await read(entry);
  const dynamic = [...entryCode.matchAll(/import\(\s*["'`]\.\/([^"'`]+\.js)["'`]\s*\)/g)].map(
    (m) => m[1] ?? '',
  );
  const editor = new Set<string>();
  for (const name of dynamic) {
    const chunks = await closure(name);
    if ([...chunks].some((chunk) => lazy.includes(chunk))) {
      for (const chunk of chunks) if (!first.has(chunk)) editor.add(chunk);
    }
  }
  const workers = assets.filter((n) => /worker.*\.js$/.test(n));
  const styles = assets.filter((n) => n.endsWith('.css'));
  return {
    first: { kb: await gzipKB(first), files: [...first] },
    editor: { kb: await gzipKB(editor), files: [...editor] },
    workersKB: await gzipKB(workers),
    stylesKB: await gzipKB(styles),
  };
}

export async function benchSizes(): Promise<Figure[]> {
  const sizes = await measureSizes(path.join(PROJECT_ROOT, 'dist'));
  return [
    {
      name: 'first script (gzipped)',
      value: sizes.first.kb,
      unit: 'KB',
      budget: 150,
      note: sizes.first.files.join(', '),
    },
    {
      name: 'editor chunk (gzipped)',
      value: sizes.editor.kb,
      unit: 'KB',
      note: `${sizes.editor.files.join(', ')}; workers ${sizes.workersKB.toFixed(0)} KB, all CSS ${sizes.stylesKB.toFixed(0)} KB`,
    },
  ];
}
