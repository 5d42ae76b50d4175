import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support.ts';

const DIST = path.join(ROOT, 'dist');
/** Strings that only Monaco's own code contains (its service ids survive minification). */
const MONACO_MARKERS = ['codeEditorService', 'editorWorkerService', 'codicon'];

describe('the built page', () => {
  it('loads Monaco lazily: the first script the page loads contains none of it', async () => {
    const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="\/([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    // Nothing is preloaded with it either.
    expect(html).not.toMatch(/modulepreload/);

    const entry = await readFile(path.join(DIST, scripts[0] ?? ''), 'utf8');
    for (const marker of MONACO_MARKERS) expect(entry).not.toContain(marker);
    expect(entry).not.toMatch(/^import\s/m);

    // Monaco is in the build, in a chunk the entry imports dynamically.
    const lazy = [...entry.matchAll(/import\(["'`]\.\/([^"'`]+\.js)["'`]\)/g)].map(
      (m) => m[1] ?? '',
    );
    const assets = await readdir(path.join(DIST, 'assets'));
    const withMonaco = [];
    for (const chunk of lazy.filter((name) => assets.includes(name))) {
      const code = await readFile(path.join(DIST, 'assets', chunk), 'utf8');
      if (MONACO_MARKERS.every((marker) => code.includes(marker))) withMonaco.push(chunk);
    }
    expect(withMonaco).toHaveLength(1);
  });
});
