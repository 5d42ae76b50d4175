/**
 * Monaco, loaded on demand (see `monaco-loader.ts`): only the editor API, the editor features a
 * notebook cell needs, the JSON and Markdown languages, and the highlighting of the languages code
 * is exported to, rather than the whole distribution.
 *
 * What each feature adds to this chunk, gzipped (`npm run bench` measures the whole): hover 58 KB,
 * the completion list 15 KB, folding 10 KB, clipboard 8 KB, line operations 6 KB, multicursor and
 * word highlighting 3 KB each, comment 3 KB, the rest 2 KB or less; the editor API itself is about
 * 750 KB. Left out: hover (the cell shows JSON problems below its editor), folding (cells are
 * short) and comment (neither prompts nor strict JSON have comments). Every other Monaco feature
 * came in through the JSON language; `monaco-workers.ts` keeps it out.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
// The suggest feature above brings inline completions only; this is the completion list.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/languages/definitions/markdown/register';
// Highlighting only (Monarch grammars, each fetched on first use) for the export dialog.
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/java/register';
import 'monaco-editor/languages/definitions/csharp/register';
import 'monaco-editor/languages/definitions/shell/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
// Loaded with the editor rather than on first use, so that its CSS is in the sheet adopted below.
import 'monaco-editor/languages/features/json/jsonMode';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

export { monaco };

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

// ---- theme: follows the system's light or dark preference ----

// The editors sit on the page's surfaces (see theme.css), so their backgrounds match them.
monaco.editor.defineTheme('bp-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff' },
});
monaco.editor.defineTheme('bp-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#161d26' },
});
const dark = matchMedia('(prefers-color-scheme: dark)');
const applyTheme = () => monaco.editor.setTheme(dark.matches ? 'bp-dark' : 'bp-light');
applyTheme();
dark.addEventListener('change', applyTheme);

// ---- JSON schemas, one per model URI, so each editor validates against its own ----

const schemas = new Map<string, object>();

function publishSchemas(): void {
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaValidation: 'error',
    schemas: [...schemas].map(([uri, schema]) => ({
      uri: `${uri}#schema`,
      // The language service matches `**/<pattern>` against the model URI.
      fileMatch: [uri.slice(uri.lastIndexOf('/') + 1)],
      schema,
    })),
  });
}

/** Validates (and completes) the JSON model at `uri` against `schema`; undefined removes it. */
export function setJsonSchema(uri: string, schema: object | undefined): void {
  if (schema) schemas.set(uri, schema);
  else schemas.delete(uri);
  publishSchemas();
}

// ---- Monaco's CSS inside shadow roots ----

let sheet: CSSStyleSheet | undefined;

/**
 * Monaco's own stylesheets, gathered once from the document (Vite adds them there when this
 * chunk loads: one `<link>` in a build, one `<style>` per file in dev) and copied into a
 * constructable sheet each shadow root can adopt. Fonts (`@font-face`) only work at document
 * level, which is why the document keeps its copy.
 */
function monacoSheet(): CSSStyleSheet {
  if (sheet) return sheet;
  const rules: string[] = [];
  for (const styleSheet of document.styleSheets) {
    const owner = styleSheet.ownerNode;
    const devId = owner instanceof HTMLStyleElement ? owner.dataset.viteDevId : undefined;
    let cssRules: CSSRuleList;
    try {
      cssRules = styleSheet.cssRules;
    } catch {
      continue;
    }
    const text = Array.from(cssRules, (rule) => rule.cssText);
    const isMonaco =
      devId !== undefined
        ? devId.includes('monaco-editor')
        : text.some((rule) => rule.includes('.monaco-editor'));
    if (isMonaco) rules.push(...text.filter((rule) => !rule.startsWith('@font-face')));
  }
  sheet = new CSSStyleSheet();
  sheet.replaceSync(rules.join('\n'));
  return sheet;
}

/** Makes Monaco's styles apply inside `root` (idempotent). */
export function adoptMonacoStyles(root: ShadowRoot): void {
  const styles = monacoSheet();
  if (!root.adoptedStyleSheets.includes(styles)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles];
  }
}
