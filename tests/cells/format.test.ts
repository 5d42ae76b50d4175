import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotebookParseError, parseNotebook, serializeNotebook } from '../../cells/format.ts';
import { toNotebook } from '../../cells/notebook.ts';
import type { CellSpec, Notebook } from '../../cells/notebook.ts';
import { exampleFiles, exampleText } from './helpers.ts';

const HEADER = '---\ntitle: T\nversion: 1\ntargets: []\n---\n';

function withCells(cells: CellSpec[]): Notebook {
  return toNotebook({ title: 'T', cells });
}

/** The error a file gives, for asserting on its line and message. */
function parseError(text: string): NotebookParseError {
  try {
    parseNotebook(text);
  } catch (error) {
    if (error instanceof NotebookParseError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('example notebooks', () => {
  it('ships the examples of the source documents, the grid example and the attachments example', () => {
    expect(exampleFiles()).toEqual([
      'compare-models.md',
      'glycolysis.md',
      'hello-world-llama2.md',
      'images-and-documents.md',
      'pirate-email.md',
    ]);
  });

  it('reads the grid example: test cases, a variant with its own system prompt, repeats, checks', () => {
    const nb = parseNotebook(exampleText('compare-models.md'));
    const variant = nb.targets.find((t) => t.id === 'haiku-playful');
    expect(variant?.overrides).toEqual({
      temperature: 1,
      system: 'You write playful, surprising product taglines, with a pun where one fits.',
    });
    const data = nb.cells.find((c) => c.kind === 'data');
    expect(data).toMatchObject({ id: 'cases', format: 'csv' });
    const prompt = nb.cells.find((c) => c.kind === 'prompt');
    expect(prompt).toMatchObject({ id: 'tagline', repeat: 2 });
    expect(prompt?.kind === 'prompt' && prompt.checks.map((c) => c.type)).toEqual([
      'contains',
      'max-tokens',
      'llm-rubric',
    ]);
  });

  it.each(exampleFiles())('round-trips %s byte for byte', (name) => {
    const text = exampleText(name);
    expect(serializeNotebook(parseNotebook(text))).toBe(text);
  });

  it('reads the pirate email cells and targets', () => {
    const nb = parseNotebook(exampleText('pirate-email.md'));
    expect(nb.title).toBe('Pirate email');
    expect(nb.targets.map((t) => [t.modelId, t.api])).toEqual([
      ['anthropic.claude-3-haiku-20240307-v1:0', 'converse'],
      ['meta.llama2-13b-chat-v1', 'invoke'],
    ]);
    expect(nb.cells.map((c) => c.kind)).toEqual(['markdown', 'system', 'config', 'prompt']);
    expect(nb.cells[2]).toEqual({
      kind: 'config',
      id: 'cfg',
      maxTokens: 2000,
      temperature: 0,
      extras: {},
    });
  });
});

describe('round-tripping awkward text', () => {
  const awkward: [string, string][] = [
    ['a ``` fence', 'Here is code:\n```js\nconsole.log(1)\n```\nDone.'],
    ['a ~~~ fence', '~~~\nnot a fence of ours\n~~~'],
    ['a ```` fence', '````\n```\n````'],
    ['front-matter-like lines', '---\ntitle: x\n---'],
    ['non-ASCII and emoji', 'Ünïcødé — 日本語 🏴‍☠️ Arr!'],
    ['leading and trailing blank lines', '\n\n  indented\n\n'],
    ['trailing spaces', 'line with spaces   \nand a tab\t'],
    ['an empty text', ''],
    ['a single newline', '\n'],
    ['only backticks', '`'],
    ['CRLF inside the text', 'one\r\ntwo'],
    ['a trailing carriage return', 'one\r'],
  ];

  it.each(awkward)('keeps a prompt with %s', (_name, text) => {
    const nb = withCells([
      { kind: 'prompt', id: 'p', text },
      { kind: 'markdown', id: 'm', text },
      { kind: 'assistant', id: 'a', text },
    ]);
    const file = serializeNotebook(nb);
    const back = parseNotebook(file);
    expect(back).toEqual(nb);
    expect(serializeNotebook(back)).toBe(file);
  });

  it('chooses a fence longer than any backtick run in the text', () => {
    const file = serializeNotebook(withCells([{ kind: 'prompt', id: 'p', text: 'a ````` b' }]));
    expect(file).toContain('``````prompt id=p\na ````` b\n``````\n');
  });

  it('keeps an attribute with line or paragraph separators on one line, and reads it back', () => {
    const modelId = 'weird\u2028model\u2029id\u0085with\u200e\u{E0001}marks and `ticks`';
    const nb = withCells([{ kind: 'native', id: 'n', modelId, body: '{}' }]);
    const file = serializeNotebook(nb);
    const infoLine = file.split('\n').find((line) => line.includes('native id=n'))!;
    expect(infoLine).toMatch(/^```native id=n model="[\x20-\x7e]+"$/);
    expect(parseNotebook(file).cells[0]).toMatchObject({ modelId });
    expect(serializeNotebook(parseNotebook(file))).toBe(file);
  });

  it('keeps every cell kind, attributes and config fields', () => {
    const nb = toNotebook({
      title: 'Everything: "quoted" # and more',
      targets: [
        { id: 'c', label: 'Claude: converse', modelId: 'anthropic.claude-v2:1', api: 'converse' },
        {
          id: 'l',
          label: 'Llama',
          modelId: 'arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0',
          api: 'invoke',
        },
      ],
      cells: [
        { kind: 'markdown', id: 'm', text: '# Notes' },
        { kind: 'system', id: 's', text: 'Be brief.' },
        {
          kind: 'config',
          id: 'cfg',
          maxTokens: 10,
          temperature: 0.5,
          topP: 0.9,
          stopSequences: ['\n\nHuman:'],
          extras: { c: { top_k: 5 } },
        },
        { kind: 'prompt', id: 'p1', text: 'Hi' },
        { kind: 'assistant', id: 'a1', text: 'Hello' },
        { kind: 'prompt', id: 'p2', text: 'Again', newThread: true },
        { kind: 'native', id: 'n', modelId: 'weird model `id`', body: '{ "prompt" : "x" }' },
        { kind: 'config', id: 'empty' },
      ],
    });
    const file = serializeNotebook(nb);
    expect(file).toContain('```prompt id=p2 new-thread\n');
    expect(file).toContain('```native id=n model="weird model \\u0060id\\u0060"\n');
    expect(parseNotebook(file)).toEqual(nb);
    expect(serializeNotebook(parseNotebook(file))).toBe(file);
  });

  it('round-trips generated notebooks with nasty prompt strings', () => {
    const nasty = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc
        .array(
          fc.constantFrom(
            '```',
            '````',
            '~~~',
            '---',
            'title: x',
            '\n',
            ' ',
            '\t',
            '`',
            'prompt id=x',
            '<!-- c -->',
            '# h',
            '> q',
            '    code',
            '🏴‍☠️',
            'é',
            '\\',
            '"',
            '\r',
            '\r\n',
          ),
        )
        .map((parts) => parts.join('')),
    );
    const kinds = fc.constantFrom('markdown', 'system', 'prompt', 'assistant' as const);
    const cell = fc.record({ kind: kinds, text: nasty, newThread: fc.boolean() });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 6 }), (specs) => {
        const nb = toNotebook({
          title: 'Generated',
          cells: specs.map(({ kind, text, newThread }, i) =>
            kind === 'prompt'
              ? { kind, id: `c${i}`, text, newThread }
              : { kind, id: `c${i}`, text },
          ),
        });
        const file = serializeNotebook(nb);
        const back = parseNotebook(file);
        expect(back).toEqual(nb);
        expect(serializeNotebook(back)).toBe(file);
      }),
      { numRuns: 300 },
    );
  });

  it('reads hand-written fences of tildes and longer backticks', () => {
    const nb = parseNotebook(
      `${HEADER}\n~~~prompt id=p\nx\n~~~\n\n` + '`````system   id="s"\ny\n`````\n',
    );
    expect(nb.cells).toEqual([
      { kind: 'prompt', id: 'p', text: 'x', newThread: false, parts: [], repeat: 1, checks: [] },
      { kind: 'system', id: 's', text: 'y' },
    ]);
  });
});

describe('files edited elsewhere', () => {
  it('reads a file with CRLF line endings', () => {
    const file = '---\r\ntitle: T\r\n---\r\n\r\n```prompt id=p\r\nline one\r\nline two\r\n```\r\n';
    expect(parseNotebook(file).cells).toEqual([
      {
        kind: 'prompt',
        id: 'p',
        text: 'line one\r\nline two',
        newThread: false,
        parts: [],
        repeat: 1,
        checks: [],
      },
    ]);
  });
});

describe('malformed notebook files', () => {
  it('names an unknown cell kind and its line', () => {
    const error = parseError(
      `${HEADER}\n\`\`\`prompt id=a\nhi\n\`\`\`\n\n\`\`\`promt id=b\nhi\n\`\`\`\n`,
    );
    expect(error.line).toBe(11);
    expect(error.message).toMatch(/^line 11: unknown cell kind "promt"/);
  });

  it('names a bad attribute', () => {
    const error = parseError(`${HEADER}\n\`\`\`prompt id=a colour=red\nhi\n\`\`\`\n`);
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/bad attribute "colour=red" on a prompt cell/);
  });

  it('names a missing id', () => {
    expect(parseError(`${HEADER}\n\`\`\`prompt\nhi\n\`\`\`\n`).message).toBe(
      'line 7: the prompt cell has no id: add id=… to its fence',
    );
  });

  it('names an invalid id through the schema', () => {
    const error = parseError(`${HEADER}\n\`\`\`prompt id=a/b\nhi\n\`\`\`\n`);
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/cells\.0\.id: may contain only letters/);
  });

  it('points into an invalid config JSON at the broken line', () => {
    const error = parseError(
      `${HEADER}\n\`\`\`config id=cfg\n{\n  "maxTokens": 10,\n  "temperature": ,\n}\n\`\`\`\n`,
    );
    expect(error.line).toBe(10);
    expect(error.message).toMatch(/^line 10: the config is not valid JSON/);
  });

  it('names an unknown config field', () => {
    const error = parseError(`${HEADER}\n\`\`\`config id=cfg\n{\n  "max_tokens": 10\n}\n\`\`\`\n`);
    expect(error.line).toBe(9);
    expect(error.message).toMatch(/unknown config field "max_tokens"/);
  });

  it('names an out-of-range config value', () => {
    const error = parseError(`${HEADER}\n\`\`\`config id=cfg\n{"temperature": 3}\n\`\`\`\n`);
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/cells\.0\.temperature/);
  });

  it('names the second of two cells with the same id', () => {
    const error = parseError(
      `${HEADER}\n\`\`\`prompt id=a\nhi\n\`\`\`\n\n\`\`\`prompt id=a\nagain\n\`\`\`\n`,
    );
    expect(error.line).toBe(11);
    expect(error.message).toMatch(/duplicate id "a"/);
  });

  it('names a fence that is never closed', () => {
    const error = parseError(`${HEADER}\n\`\`\`prompt id=a\nhi\n\n`);
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/never closed/);
  });

  it('names prose between cells', () => {
    const error = parseError(`${HEADER}\nSome notes.\n`);
    expect(error.message).toMatch(
      /^line 7: only fenced cells may appear between cells, found a paragraph/,
    );
  });

  it('rejects a file without a header', () => {
    expect(parseError('```prompt id=a\nhi\n```\n').line).toBe(1);
    expect(parseError('---\ntitle: T\n').message).toMatch(/^line 1: the header is never closed/);
  });

  it('names a bad header line', () => {
    expect(parseError('---\ntitle: T\nversion: 2\n---\n').message).toMatch(/^line 3: version/);
    expect(parseError('---\ntitle: T\ncolour: red\n---\n').message).toBe(
      'line 3: unknown header field "colour" (expected title, version, targets)',
    );
    expect(parseError('---\ntitle: [unclosed\n---\n').line).toBeGreaterThanOrEqual(2);
    const target = parseError(
      '---\ntitle: T\ntargets:\n  - id: a\n    label: A\n    modelId: m\n    api: invoke\n  - id: b\n    label: B\n    modelId: m\n    api: soap\n---\n',
    );
    expect(target.message).toMatch(/targets\.1\.api/);
    expect(target.line).toBe(11);
  });

  it('rejects an indented code block', () => {
    expect(parseError(`${HEADER}\n    indented code\n`).message).toMatch(/^line 7: indented code/);
  });
});

describe('hostile notebook files', () => {
  it('refuses a header nested thousands deep, which the YAML library would end the process on', () => {
    for (const header of [
      `title: ${'['.repeat(4000)}`,
      `title: ${'{a: '.repeat(1000)}`,
      `targets:\n${'- '.repeat(2000)}x`,
    ]) {
      const error = parseError(`---\n${header}\n---\n`);
      expect(error.message).toMatch(/^line 2: the header nests more than 16 levels deep/);
    }
  });

  it('refuses a header larger than 4 KiB, closed or not, naming the limit', () => {
    for (const end of ['---\n', '']) {
      const header = `---\ntitle: T\n${'# a comment line\n'.repeat(300)}${end}`;
      expect(parseError(header).message).toMatch(
        /^line 1: the header is not closed by a "---" line within 4 KiB, the limit for a header/,
      );
    }
  });

  it('refuses a file over 4 MiB, and a notebook of more than 1000 cells at the first one too many', () => {
    expect(parseError(HEADER + 'x'.repeat(4 * 1024 * 1024)).message).toBe(
      'line 1: the file is larger than 4 MiB, the limit for a notebook',
    );
    const cells = Array.from({ length: 1001 }, (_, i) => `\`\`\`prompt id=c${i}\nhi\n\`\`\`\n`);
    const error = parseError(`${HEADER}\n${cells.join('\n')}`);
    expect(error.message).toMatch(/a notebook has at most 1000 cells/);
    expect(error.line).toBe(6 + 1000 * 4 + 1);
  });

  it('refuses a config nested more than 64 levels deep at its line, naming the path', () => {
    const config = `{"extras": {"haiku": {"x": ${'['.repeat(100)}${']'.repeat(100)}}}}`;
    const error = parseError(`${HEADER}\n\`\`\`config id=c\n${config}\n\`\`\`\n`);
    expect(error.message).toBe(
      'line 8: the config nests more than 64 levels deep, at extras.haiku.x.0.0.0.…',
    );
  });

  it('names what a line outside the fences is, without parsing it as Markdown', () => {
    const found = (line: string) => parseError(`${HEADER}\n${line}\n`).message;
    expect(found('# Notes')).toMatch(/found a heading;/);
    expect(found('- item')).toMatch(/found a list;/);
    expect(found('1. item')).toMatch(/found a list;/);
    expect(found('> quoted')).toMatch(/found a block quote;/);
    expect(found('* * *')).toMatch(/found a "---" rule;/);
    expect(found('<div>')).toMatch(/found HTML;/);
    expect(found('*a'.repeat(100_000))).toMatch(/^line 7: .*found a paragraph;/);
    expect(found('``` `x` ```')).toMatch(/found a paragraph;/);
    expect(found('  ```prompt id=a')).toMatch(/^line 7: indented code is not a cell/);
  });

  it('finds cells among blank lines of spaces, tabs and carriage returns', () => {
    const nb = parseNotebook(
      `${HEADER}\r\n \t\n\n\`\`\`prompt id=a\nhi\n\`\`\`\n  \n\t\n\`\`\`system id=b\nyo\n\`\`\``,
    );
    expect(nb.cells.map((c) => c.id)).toEqual(['a', 'b']);
  });
});
