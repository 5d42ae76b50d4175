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

const ASSETS = path.join(PROJECT_ROOT, 'dist', 'assets');
/** Strings only Monaco's own code contains (as in tests/e2e/bundle.test.ts). */
const MONACO_MARKERS = ['codeEditorService', 'editorWorkerService', 'codicon'];

const read = (name: string): Promise<string> => readFile(path.join(ASSETS, name), 'utf8');
const gzipKB = async (names: Iterable<string>): Promise<number> => {
  let bytes = 0;
  for (const name of names) bytes += gzipSync(await readFile(path.join(ASSETS, name))).length;
  return bytes / 1024;
};

/** A chunk and every chunk it imports statically, however deep. */
async function closure(entry: string): Promise<Set<string>> {
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
}

export async function benchSizes(): Promise<Figure[]> {
  const html = await readFile(path.join(PROJECT_ROOT, 'dist', 'index.html'), 'utf8');
  const entry = /<script[^>]*\bsrc="\/assets\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('dist/index.html names no script');
  const first = await closure(entry);

  const assets = await readdir(ASSETS);
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
  const kb = (n: number) => `${n.toFixed(0)} KB`;
  return [
    {
      name: 'first script (gzipped)',
      value: await gzipKB(first),
      unit: 'KB',
      budget: 150,
      note: [...first].join(', '),
    },
    {
      name: 'editor chunk (gzipped)',
      value: await gzipKB(editor),
      unit: 'KB',
      note: `${[...editor].join(', ')}; workers ${kb(await gzipKB(workers))}, all CSS ${kb(await gzipKB(styles))}`,
    },
  ];
}
