import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeNotebook,
  describeRequest,
  EXPORT_LANGS,
  exportFileName,
  exportRequest,
  renderNotebook,
  renderProgram,
} from '../../../cells/export/index.ts';
import type { ExportLang } from '../../../cells/export/index.ts';
import {
  attachmentCase,
  exampleCases,
  loadNotebook,
  NASTY,
  nasty,
  removeScratch,
  run,
  scratchDir,
  writeScratch,
} from './support.ts';

afterAll(removeScratch);

const JAVAC_PARSE = ['-XDshould-stop.ifNoError=PARSE', '-XDshould-stop.ifError=PARSE'];

/** Every example and hard request, exported to `lang` both ways, each in its own folder. */
function exportAll(lang: ExportLang): string[] {
  const requests = [...exampleCases().map((c) => c.request), ...nasty];
  const files: string[] = [];
  requests.forEach((request, i) => {
    for (const streaming of [true, false]) {
      const options = {
        lang,
        streaming,
        region: 'us-east-1',
        ...(i % 2 ? { profile: NASTY } : {}),
      };
      const dir = scratchDir(`parse/${lang}/${i}-${streaming}`);
      files.push(
        writeScratch(join(dir, exportFileName(request, options)), exportRequest(request, options)),
      );
    }
  });
  return files;
}

describe('Java and C# exports are valid source', () => {
  it('javac parses every Java export, hard strings included', async () => {
    const files = exportAll('java');
    const result = await run('javac', [
      ...JAVAC_PARSE,
      '-encoding',
      'UTF-8',
      '-d',
      scratchDir('parse/java-out'),
      ...files,
    ]);
    expect(result.stderr + result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('javac rejects a broken export, so the check above has teeth', async () => {
    const dir = scratchDir('parse/java-broken');
    const source = exportRequest(nasty[0]!, {
      lang: 'java',
      streaming: false,
      region: 'us-east-1',
    });
    const file = writeScratch(
      join(dir, 'Converse.java'),
      source.replace('var modelId = "', 'var modelId = "\\u0022'),
    );
    const result = await run('javac', [...JAVAC_PARSE, '-d', dir, file]);
    expect(result.code).not.toBe(0);
  });

  it('mcs parses every C# export, hard strings included', async () => {
    const files = exportAll('csharp');
    // One program per file: mcs would otherwise report the repeated Program class.
    const script = files.map((f) => `mcs --parse ${JSON.stringify(f)} || exit 1`).join('\n');
    const result = await run('bash', ['-c', script]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('mcs rejects a broken export, so the check above has teeth', async () => {
    const dir = scratchDir('parse/csharp-broken');
    const source = exportRequest(nasty[0]!, {
      lang: 'csharp',
      streaming: true,
      region: 'us-east-1',
    });
    const file = writeScratch(
      join(dir, 'Broken.cs'),
      source.replace('var modelId = "', 'var modelId = ""'),
    );
    const result = await run('mcs', ['--parse', file]);
    expect(result.code).not.toBe(0);
  });

  it('Python, JavaScript and CLI exports of hard strings are valid syntax', async () => {
    const py = exportAll('python');
    const js = exportAll('javascript');
    const sh = exportAll('cli');
    const pyCheck = await run('python3', [
      '-c',
      'import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f, encoding="utf-8").read(), f)',
      ...py,
    ]);
    expect(pyCheck.stderr).toBe('');
    for (const file of js) expect((await run('node', ['--check', file])).code).toBe(0);
    const bash = await run('bash', [
      '-c',
      sh.map((f) => `bash -n ${JSON.stringify(f)} || exit 1`).join('\n'),
    ]);
    expect(bash.stderr).toBe('');
    expect(readdirSync(scratchDir('parse/cli')).length).toBeGreaterThan(0);
  });
});

describe('the place for attachment files at the top of every program', () => {
  const files = [
    { constant: 'IMAGE_1', path: 'images/cat one.png' },
    { constant: 'Q2_REPORT', path: 'Q2 report\'s "final".pdf' },
  ];

  it('declares each file path as a constant before the client, and the program stays valid', async () => {
    const checks: Record<ExportLang, (file: string) => [string, string[]]> = {
      python: (f) => ['python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', f]],
      javascript: (f) => ['node', ['--check', f]],
      java: (f) => ['javac', [...JAVAC_PARSE, '-d', scratchDir('parse/files-java-out'), f]],
      csharp: (f) => ['mcs', ['--parse', f]],
      cli: (f) => ['bash', ['-n', f]],
    };
    for (const { request } of exampleCases()) {
      for (const lang of EXPORT_LANGS) {
        const options = { lang, streaming: true, region: 'us-east-1' };
        const program = { ...describeRequest(request, options), files };
        const text = renderProgram(program, lang);
        const client = text.search(/client =|var client|const client|aws bedrock-runtime/);
        for (const { constant } of files) {
          expect(text.indexOf(constant), `${lang}: ${constant}`).toBeGreaterThan(0);
          expect(text.indexOf(constant), `${lang}: ${constant}`).toBeLessThan(client);
        }
        const dir = scratchDir(`parse/files/${lang}-${request.api}`);
        const file = writeScratch(join(dir, exportFileName(request, options)), text);
        const [command, args] = checks[lang](file);
        const result = await run(command, args);
        expect(result.stdout + result.stderr, `${lang}: ${text}`).toBe('');
        expect(result.code).toBe(0);
      }
    }
  });

  it('declares them at the top of the whole-notebook programs too, which stay valid', async () => {
    const options = { region: 'us-east-1', streaming: true };
    const program = { ...describeNotebook(loadNotebook('pirate-email'), options), files };
    const dir = scratchDir('parse/files/notebooks');
    const python = renderNotebook(program, 'python');
    const ipynb = JSON.parse(renderNotebook(program, 'ipynb')) as {
      cells: { source: string[] }[];
    };
    const javascript = renderNotebook(program, 'javascript');
    for (const text of [python, ipynb.cells[0]!.source.join(''), javascript]) {
      const client = text.search(/client = |const client/);
      for (const { constant } of files) {
        expect(text.indexOf(constant)).toBeGreaterThan(0);
        expect(text.indexOf(constant)).toBeLessThan(client);
      }
    }
    const py = await run('python3', [
      '-c',
      'import ast, sys; ast.parse(open(sys.argv[1]).read())',
      writeScratch(join(dir, 'notebook.py'), python),
    ]);
    expect(py.stderr).toBe('');
    const js = await run('node', ['--check', writeScratch(join(dir, 'notebook.mjs'), javascript)]);
    expect(js.stderr).toBe('');
    expect(js.code).toBe(0);
  });

  it('writes image and document blocks that read those files in C#, which mcs parses', async () => {
    for (const streaming of [true, false]) {
      const { program } = attachmentCase(streaming);
      const text = renderProgram(program, 'csharp');
      expect(text).toContain('File.ReadAllBytes(IMAGE_1)');
      expect(text).toContain('Name = "Q2 report"');
      const file = writeScratch(join(scratchDir('parse/attachments'), `${streaming}.cs`), text);
      const result = await run('mcs', ['--parse', file]);
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  });

  it('writes an AWS CLI export that builds the attachments base64 with the shell, which bash parses', async () => {
    const text = renderProgram(attachmentCase(false).program, 'cli');
    expect(text).toContain(`base64 < "$IMAGE_1" | tr -d '\\n'`);
    expect(text).toContain('--messages "file://$MESSAGES_JSON"');
    // The bytes are read when the script runs, never pasted into it.
    expect(text).not.toMatch(/iVBOR|UTIgcmV2/);
    const result = await run('bash', [
      '-n',
      writeScratch(join(scratchDir('parse/cli'), 'converse.sh'), text),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
