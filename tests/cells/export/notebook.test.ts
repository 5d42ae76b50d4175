import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../cells/compile.ts';
import { ExportError, exportNotebook } from '../../../cells/export/index.ts';
import type { NotebookExportLang } from '../../../cells/export/index.ts';
import { parseData } from '../../../cells/data.ts';
import { parseNotebook } from '../../../cells/format.ts';
import { toNotebook } from '../../../cells/notebook.ts';
import type { Notebook } from '../../../cells/notebook.ts';
import type { PlaygroundServer } from '../../../server/app.ts';
import type { Emulator } from '../../../server/emulator/index.ts';
import {
  emulatorEnv,
  HERE,
  ipynbScript,
  loadNotebook,
  playgroundText,
  projectPython,
  ROOT,
  startPlayground,
  removeScratch,
  run,
  scratchDir,
  writeScratch,
} from './support.ts';

let playground: PlaygroundServer;
let emulator: Emulator;
beforeAll(async () => {
  playground = await startPlayground();
  emulator = playground.backend.emulator!;
});
afterAll(async () => {
  await playground.close();
  removeScratch();
});

/**
 * A real thread: two prompts with no scripted answers, so the second request carries the
 * answers the models gave to the first. One target per way of calling a model, with a system
 * prompt, an inference config and per-target extras, and a new thread at the end.
 */
const thread: Notebook = toNotebook({
  title: 'Thread with "quotes" and \\ backslashes',
  targets: [
    {
      id: 'haiku',
      label: 'Claude 3 Haiku',
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      api: 'converse',
    },
    {
      id: 'haiku-native',
      label: 'Claude 3 Haiku (native)',
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      api: 'invoke',
    },
    { id: 'llama2', label: 'Llama 2 13B Chat', modelId: 'meta.llama2-13b-chat-v1', api: 'invoke' },
    {
      id: 'llama3',
      label: 'Llama 3 8B Instruct',
      modelId: 'meta.llama3-8b-instruct-v1:0',
      api: 'invoke',
    },
  ],
  cells: [
    {
      kind: 'markdown',
      id: 'intro',
      text: '# A thread\n\nProse with */ and \\u0022 in it.\u2028Next.',
    },
    { kind: 'system', id: 'sys', text: 'You are terse. Use "quotes" and ${braces}.' },
    {
      kind: 'config',
      id: 'cfg',
      maxTokens: 3000,
      temperature: 0.2,
      extras: { 'haiku-native': { top_k: 50 }, llama3: { top_p: 0.8 }, haiku: { top_k: 40 } },
    },
    { kind: 'prompt', id: 'first', text: 'Tell me about  photosynthesis.\n  ' },
    { kind: 'prompt', id: 'second', text: 'And how does it relate to chlorophyll? 🌿' },
    { kind: 'prompt', id: 'fresh', text: 'Unrelated: what is entropy?', newThread: true },
  ],
});

/** What the playground sends and gets, cell by cell, feeding each target its own answers. */
async function playgroundThread(notebook: Notebook): Promise<string[]> {
  const answers = new Map<string, string>();
  const texts: string[] = [];
  for (const cell of notebook.cells) {
    if (cell.kind !== 'prompt') continue;
    for (const target of notebook.targets) {
      const { request } = compile(notebook, cell.id, target, (c, t) => answers.get(`${c}/${t}`));
      const text = await playgroundText(playground, request);
      answers.set(`${cell.id}/${target.id}`, text);
      texts.push(text);
    }
  }
  return texts;
}

function exported(notebook: Notebook, lang: NotebookExportLang, streaming: boolean) {
  return exportNotebook(notebook, { lang, region: 'us-east-1', streaming });
}

async function runPython(source: string, name: string) {
  const python = await projectPython();
  const file = writeScratch(join(scratchDir('notebooks'), `${name}.py`), source);
  const result = await run(python.command, [file], { env: emulatorEnv(emulator.url, python.env) });
  expect(result.code, `${python.describe}: ${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

async function runNode(source: string, name: string) {
  const file = writeScratch(join(scratchDir('notebooks'), `${name}.mjs`), source);
  const result = await run('node', [file], { env: emulatorEnv(emulator.url) });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe('the .ipynb export', () => {
  const schema = JSON.parse(
    readFileSync(join(HERE, 'nbformat.v4.5.schema.json'), 'utf8'),
  ) as Record<string, unknown>;
  // The schema is draft-04; its keywords mean the same to Ajv's default draft, so only the
  // $schema marker is dropped (and the schema's unknown "item" keyword tolerated).
  delete schema.$schema;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  for (const name of ['pirate-email', 'glycolysis', 'hello-world-llama2']) {
    it(`validates against the nbformat 4.5 schema for ${name}`, () => {
      const document: unknown = JSON.parse(exported(loadNotebook(name), 'ipynb', true));
      expect(validate(document), JSON.stringify(validate.errors, null, 2)).toBe(true);
    });
  }

  it('validates for a notebook with every cell kind and hard text', () => {
    const document = JSON.parse(exported(thread, 'ipynb', false)) as {
      cells: { cell_type: string; id: string }[];
    };
    expect(validate(document), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // A setup cell, then one cell per notebook cell, in order.
    expect(document.cells.map((c) => c.id)).toEqual(['setup', ...thread.cells.map((c) => c.id)]);
    expect(document.cells[1]!.cell_type).toBe('markdown');
  });

  it('runs the glycolysis notebook cell by cell with boto3, sending the thread', async () => {
    const notebook = loadNotebook('glycolysis');
    const expected = await playgroundThread(notebook);
    const stdout = await runPython(
      ipynbScript(exported(notebook, 'ipynb', true)),
      'glycolysis-ipynb',
    );
    for (const text of expected) expect(stdout).toContain(text);
    // The second answer was written for the whole conversation, not for its question alone.
    const alone = toNotebook({
      ...notebook,
      cells: notebook.cells.filter((c) => c.id === 'glycolysis'),
    });
    const unthreaded = await playgroundThread(alone);
    expect(unthreaded[0]).not.toBe(expected[2]);
    expect(stdout).not.toContain(unthreaded[0]);
  });
});

describe('whole-notebook scripts build each thread at run time, as the playground compiles it', () => {
  for (const streaming of [true, false]) {
    const how = streaming ? 'streaming' : 'not streaming';

    it(`runs the Python script of a four-target thread (${how})`, async () => {
      const expected = await playgroundThread(thread);
      const stdout = await runPython(exported(thread, 'python', streaming), `thread-${streaming}`);
      for (const text of expected) expect(stdout).toContain(text);
    });

    it(`runs the JavaScript module of a four-target thread (${how})`, async () => {
      const expected = await playgroundThread(thread);
      const stdout = await runNode(
        exported(thread, 'javascript', streaming),
        `thread-${streaming}`,
      );
      for (const text of expected) expect(stdout).toContain(text);
    });
  }

  it('runs the pirate-email and hello-world notebooks as Python and JavaScript', async () => {
    for (const name of ['pirate-email', 'hello-world-llama2']) {
      const notebook = loadNotebook(name);
      const expected =
        name === 'pirate-email'
          ? await playgroundThread(notebook)
          : [
              await playgroundText(
                playground,
                compile(notebook, 'hello', {
                  id: 'n',
                  label: 'n',
                  modelId: 'meta.llama2-13b-chat-v1',
                  api: 'invoke',
                }).request,
              ),
            ];
      const py = await runPython(exported(notebook, 'python', true), name);
      const js = await runNode(exported(notebook, 'javascript', true), name);
      for (const text of expected) {
        expect(py).toContain(text);
        expect(js).toContain(text);
      }
    }
  });

  it('exports one target only when asked, and refuses an unknown one', () => {
    const one = exportNotebook(thread, {
      lang: 'python',
      region: 'us-east-1',
      streaming: true,
      targetId: 'llama3',
    });
    expect(one).toContain('meta.llama3-8b-instruct-v1:0');
    expect(one).not.toContain('meta.llama2-13b-chat-v1');
    expect(() =>
      exportNotebook(thread, {
        lang: 'python',
        region: 'us-east-1',
        streaming: true,
        targetId: 'nope',
      }),
    ).toThrow(ExportError);
  });

  it('fails where compile fails, naming the cell', () => {
    const broken = toNotebook({
      targets: thread.targets,
      cells: [
        { kind: 'assistant', id: 'early', text: 'hi' },
        { kind: 'prompt', id: 'p', text: 'q' },
      ],
    });
    expect(() =>
      exportNotebook(broken, { lang: 'ipynb', region: 'us-east-1', streaming: true }),
    ).toThrow(/before any prompt/);
  });
});

describe('whole-notebook exports of test cases, repeats and variants', () => {
  /** What the playground gets for each test case and target of compare-models' prompt. */
  async function expectedAnswers(notebook: Notebook): Promise<string[]> {
    const cases = parseData(
      (notebook.cells.find((c) => c.kind === 'data') as { text: string }).text,
      'csv',
    ).rows;
    const texts: string[] = [];
    for (const variables of cases) {
      for (const target of notebook.targets) {
        const { request } = compile(notebook, 'tagline', target, undefined, { variables });
        texts.push(await playgroundText(playground, request));
      }
    }
    return texts;
  }

  for (const lang of ['python', 'javascript'] as const) {
    it(`loops over the test cases and repeats in ${lang}, each target with its own system prompt and temperature`, async () => {
      const notebook = loadNotebook('compare-models');
      const source = exported(notebook, lang, lang === 'python');
      const stdout =
        lang === 'python'
          ? await runPython(source, 'compare-models')
          : await runNode(source, 'compare-models');
      expect(stdout.match(/=== Test case \d, repeat \d: /g)).toHaveLength(6);
      const expected = await expectedAnswers(notebook);
      expect(expected).toHaveLength(9);
      for (const text of expected) expect(stdout).toContain(text);
      // The variant's own system prompt reached it (the emulator repeats the instruction).
      expect(stdout).toContain('You write playful, surprising product taglines');
    });
  }

  it('reads the test cases of a CSV file in the workspace when the Python export runs', async () => {
    const text = readFileSync(join(ROOT, 'notebooks', 'compare-models.md'), 'utf8').replace(
      /```data id=cases\n[^`]*```/,
      '```data id=cases file=cases.csv\n```',
    );
    const notebook = parseNotebook(text);
    const dir = scratchDir('notebooks/cases-file');
    writeScratch(join(dir, 'cases.csv'), 'product,audience\nLantern,campers\n');
    const file = writeScratch(join(dir, 'cases.py'), exported(notebook, 'python', false));
    const python = await projectPython();
    const result = await run(python.command, [file], {
      env: emulatorEnv(emulator.url, python.env),
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "=== Test case 1, repeat 2: {'product': 'Lantern', 'audience': 'campers'} ===",
    );
    expect(result.stdout).toContain('Write a tagline for Lantern, aimed at campers.');
    expect(() => exported(notebook, 'javascript', false)).toThrow(
      'The JavaScript export reads test cases from JSON lines only: cases.csv is CSV.',
    );
  });

  it('reads the test cases of a JSON-lines file in the workspace when the JavaScript export runs', async () => {
    const text = readFileSync(join(ROOT, 'notebooks', 'compare-models.md'), 'utf8').replace(
      /```data id=cases\n[^`]*```/,
      '```data id=cases file=cases.jsonl\n```',
    );
    const dir = scratchDir('notebooks/cases-jsonl');
    writeScratch(
      join(dir, 'cases.jsonl'),
      '{"product":"Kite","audience":"children"}\n\n{"product":"Tent","audience":"families"}\n',
    );
    const file = writeScratch(
      join(dir, 'cases.mjs'),
      exported(parseNotebook(text), 'javascript', true),
    );
    const result = await run('node', [file], { env: emulatorEnv(emulator.url), cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/=== Test case \d, repeat \d: /g)).toHaveLength(4);
    expect(result.stdout).toContain(
      '=== Test case 2, repeat 1: {"product":"Tent","audience":"families"} ===',
    );
    expect(result.stdout).toContain('Write a tagline for Tent, aimed at families.');
  });
});
