import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_DOCUMENT_NAMES, TOO_MANY_DOCUMENTS } from '../../cells/attachments.ts';
import { compile, CompileError } from '../../cells/compile.ts';
import { NotebookParseError, parseNotebook, serializeNotebook } from '../../cells/format.ts';
import { promptParts, toNotebook, withPromptParts } from '../../cells/notebook.ts';
import type { CellSpec, Target } from '../../cells/notebook.ts';
import { fileRefsIn } from '../../cells/request.ts';

const HEADER = `---
title: Attachments
version: 1
targets:
  - id: haiku
    label: Claude 3 Haiku
    modelId: anthropic.claude-3-haiku-20240307-v1:0
    api: converse
  - id: llama2
    label: Llama 2 13B Chat
    modelId: meta.llama2-13b-chat-v1
    api: invoke
---
`;

/** The guide's image prompt and document prompt, as the playground writes them. */
const GUIDE = `${HEADER}
\`\`\`prompt id=describe new-thread
This is image 1:
\`\`\`
\`\`\`+image file=attachments/guide-image.png format=png name=guide-image.png
\`\`\`
\`\`\`+text
Please describe the image.
\`\`\`

\`\`\`prompt id=report new-thread
\`\`\`
\`\`\`+document file=attachments/q2-report.pdf format=pdf name="Q2 report"
\`\`\`
\`\`\`+text
What was the revenue in Q2?
What drove the change from Q1?
\`\`\`
`;

const haiku: Target = {
  id: 'haiku',
  label: 'Claude 3 Haiku',
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  api: 'converse',
};
const llama2: Target = {
  id: 'llama2',
  label: 'Llama 2 13B Chat',
  modelId: 'meta.llama2-13b-chat-v1',
  api: 'invoke',
};

function withPrompt(prompt: CellSpec) {
  return toNotebook({ title: 'T', targets: [haiku, llama2], cells: [prompt] });
}

describe('prompt parts in the notebook file', () => {
  it("round-trips the example with the guide's image and Q2 report prompts, its files beside it", () => {
    const examples = join(dirname(fileURLToPath(import.meta.url)), '../../notebooks');
    const text = readFileSync(join(examples, 'images-and-documents.md'), 'utf8');
    const notebook = parseNotebook(text);
    expect(serializeNotebook(notebook)).toBe(text);
    const attached = notebook.cells.flatMap((c) =>
      c.kind === 'prompt' ? c.parts.filter((p) => p.kind !== 'text') : [],
    );
    expect(attached.map((p) => [p.kind, p.name, p.format])).toEqual([
      ['image', 'guide-image.png', 'png'],
      ['document', 'Q2 report', 'pdf'],
    ]);
    const png = readFileSync(join(examples, attached[0]!.file));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(readFileSync(join(examples, attached[1]!.file)).subarray(0, 5).toString('latin1')).toBe(
      '%PDF-',
    );
  });

  it('round-trips the guide image and document prompts byte for byte, bytes as files', () => {
    const notebook = parseNotebook(GUIDE);
    expect(serializeNotebook(notebook)).toBe(GUIDE);
    const [describeCell, report] = notebook.cells;
    expect(describeCell?.kind === 'prompt' && promptParts(describeCell)).toEqual([
      { kind: 'text', text: 'This is image 1:' },
      {
        kind: 'image',
        file: 'attachments/guide-image.png',
        format: 'png',
        name: 'guide-image.png',
      },
      { kind: 'text', text: 'Please describe the image.' },
    ]);
    // A prompt that starts with its document has an empty text.
    expect(report?.kind === 'prompt' && promptParts(report).map((p) => p.kind)).toEqual([
      'document',
      'text',
    ]);
    expect(GUIDE).not.toMatch(/base64|iVBOR/);
  });

  it('keeps text that looks like a fence or a part inside a +text block', () => {
    const nb = withPrompt({
      kind: 'prompt',
      id: 'p',
      text: 'Look:',
      parts: [
        { kind: 'image', file: 'attachments/a b (1).png', format: 'png', name: 'a `b`.png' },
        { kind: 'text', text: '```+image file=attachments/x.png format=png name=x\n```' },
      ],
    });
    const file = serializeNotebook(nb);
    expect(parseNotebook(file)).toEqual(nb);
    expect(serializeNotebook(parseNotebook(file))).toBe(file);
  });

  it('turns an ordered list of parts into the cell fields and back', () => {
    const image = {
      kind: 'image' as const,
      file: 'attachments/a.png',
      format: 'png' as const,
      name: 'a.png',
    };
    const fields = withPromptParts([image, { kind: 'text', text: 'What is it?' }]);
    expect(fields.text).toBe('');
    expect(promptParts(fields)).toEqual([image, { kind: 'text', text: 'What is it?' }]);
  });

  const refused: [string, string, RegExp][] = [
    [
      'a part with no prompt above it',
      '```system id=s\nx\n```\n```+image file=attachments/a.png format=png name=a\n```\n',
      /line 18: a \+image block is a part of the prompt cell above it/,
    ],
    [
      'a path out of attachments/',
      '```prompt id=p\nx\n```\n```+image file=../secret.png format=png name=a\n```\n',
      /line 15: .*is not a file in attachments\//,
    ],
    [
      'a bmp image',
      '```prompt id=p\nx\n```\n```+image file=attachments/a.bmp format=bmp name=a\n```\n',
      /line 15: cells\.0\.parts\.0\.format: Invalid option: expected one of "png"\|"jpeg"\|"gif"\|"webp"/,
    ],
    [
      'text inside an image block',
      '```prompt id=p\nx\n```\n```+image file=attachments/a.png format=png name=a\nhello\n```\n',
      /line 18: a \+image block holds no text/,
    ],
    [
      'an unknown part',
      '```prompt id=p\nx\n```\n```+video file=attachments/a.mp4 format=mp4 name=a\n```\n',
      /unknown prompt part "\+video"/,
    ],
  ];
  for (const [what, cells, message] of refused) {
    it(`refuses ${what}, naming the line`, () => {
      expect(() => parseNotebook(`${HEADER}\n${cells}`)).toThrow(NotebookParseError);
      expect(() => parseNotebook(`${HEADER}\n${cells}`)).toThrow(message);
    });
  }
});

describe('compiled requests with images and documents', () => {
  const guide = parseNotebook(GUIDE);

  it('sends Converse image and document blocks in the order of the parts, bytes as file references', () => {
    const { request, warnings } = compile(guide, 'describe', haiku);
    expect(warnings).toEqual([]);
    expect(request.api === 'converse' && request.input.messages).toEqual([
      {
        role: 'user',
        content: [
          { text: 'This is image 1:' },
          {
            image: {
              format: 'png',
              source: {
                bytes: {
                  $file: 'attachments/guide-image.png',
                  name: 'guide-image.png',
                  format: 'png',
                },
              },
            },
          },
          { text: 'Please describe the image.' },
        ],
      },
    ]);
    const report = compile(guide, 'report', haiku).request;
    expect(report.api === 'converse' && report.input.messages[0]?.content[0]).toEqual({
      document: {
        format: 'pdf',
        name: 'Q2 report',
        source: { bytes: { $file: 'attachments/q2-report.pdf', name: 'Q2 report', format: 'pdf' } },
      },
    });
  });

  it('leaves the image out of a Llama 2 native body with a warning, keeping the text in order', () => {
    const { request, warnings } = compile(guide, 'describe', llama2);
    expect(warnings).toEqual([
      'Llama 2 13B Chat cannot take images in its InvokeModel body: "guide-image.png" is left out of the request',
    ]);
    expect(request.api === 'invoke' && request.body.prompt).toBe(
      '<s>[INST] This is image 1:\n\nPlease describe the image. [/INST]',
    );
    expect(fileRefsIn(request)).toEqual([]);
  });

  it('leaves the document out of a Llama 2 native body and says so', () => {
    const { warnings } = compile(guide, 'report', llama2);
    expect(warnings).toEqual([
      'Llama 2 13B Chat cannot take documents in its InvokeModel body: "Q2 report" is left out of the request',
    ]);
  });

  it('keeps a document for Llama 2 through Converse (document chat) but not its image', () => {
    const converse = { ...llama2, api: 'converse' as const };
    expect(compile(guide, 'report', converse).warnings).toEqual([]);
    expect(compile(guide, 'describe', converse).warnings).toEqual([
      'Llama 2 13B Chat cannot take images through Converse: "guide-image.png" is left out of the request',
    ]);
  });

  it('writes a native Claude body with a base64 image source', () => {
    const { request } = compile(guide, 'describe', { ...haiku, api: 'invoke' });
    expect(request.api === 'invoke' && request.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'This is image 1:' },
          {
            type: 'image',
            source: {
              type: 'base64',
              media_type: 'image/png',
              data: {
                $file: 'attachments/guide-image.png',
                name: 'guide-image.png',
                format: 'png',
              },
            },
          },
          { type: 'text', text: 'Please describe the image.' },
        ],
      },
    ]);
  });

  it('writes a PDF document block into the native body of a Claude that reads PDFs only', () => {
    const sonnet4 = {
      ...haiku,
      modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      api: 'invoke' as const,
    };
    const pdf = compile(guide, 'report', sonnet4);
    expect(pdf.warnings).toEqual([]);
    expect(pdf.request.api === 'invoke' && pdf.request.body.messages).toMatchObject([
      {
        content: [
          { type: 'document', title: 'Q2 report', source: { media_type: 'application/pdf' } },
          { type: 'text' },
        ],
      },
    ]);
    expect(compile(guide, 'report', { ...haiku, api: 'invoke' }).warnings).toEqual([
      'Claude 3 Haiku cannot take documents other than PDFs in its InvokeModel body: "Q2 report" is left out of the request',
    ]);
  });

  it("writes Nova's image blocks into its native body", () => {
    const nova = {
      id: 'nova',
      label: 'Nova Lite',
      modelId: 'amazon.nova-lite-v1:0',
      api: 'invoke' as const,
    };
    const { request } = compile(guide, 'describe', nova);
    expect(request.api === 'invoke' && request.body.messages).toMatchObject([
      {
        content: [
          { text: 'This is image 1:' },
          { image: { format: 'png' } },
          { text: 'Please describe the image.' },
        ],
      },
    ]);
  });

  it("refuses two documents of one name before sending, in Bedrock's words", () => {
    const doc = {
      kind: 'document' as const,
      file: 'attachments/a.txt',
      format: 'txt' as const,
      name: 'notes',
    };
    const nb = withPrompt({
      kind: 'prompt',
      id: 'p',
      text: 'Compare',
      parts: [doc, { ...doc, file: 'attachments/b.txt' }],
    });
    expect(() => compile(nb, 'p', haiku)).toThrow(CompileError);
    expect(() => compile(nb, 'p', haiku)).toThrow(DUPLICATE_DOCUMENT_NAMES);
  });

  it("refuses a sixth document and a name outside Bedrock's rule", () => {
    const docs = Array.from({ length: 6 }, (_, i) => ({
      kind: 'document' as const,
      file: `attachments/${i}.txt`,
      format: 'txt' as const,
      name: `doc ${i}`,
    }));
    expect(() =>
      compile(withPrompt({ kind: 'prompt', id: 'p', text: 'x', parts: docs }), 'p', haiku),
    ).toThrow(TOO_MANY_DOCUMENTS);
    const badName = withPrompt({
      kind: 'prompt',
      id: 'p',
      text: 'x',
      parts: [{ ...docs[0]!, name: 'report_v2.final' }],
    });
    expect(() => compile(badName, 'p', haiku)).toThrow(/can only contain alphanumeric characters/);
  });

  it('runs a prompt that is only an image, and refuses one with nothing in it', () => {
    const image = {
      kind: 'image' as const,
      file: 'attachments/a.png',
      format: 'png' as const,
      name: 'a.png',
    };
    const only = withPrompt({ kind: 'prompt', id: 'p', text: '', parts: [image] });
    expect(fileRefsIn(compile(only, 'p', haiku).request)).toHaveLength(1);
    const empty = withPrompt({
      kind: 'prompt',
      id: 'p',
      text: '',
      parts: [{ kind: 'text', text: ' ' }],
    });
    expect(() => compile(empty, 'p', haiku)).toThrow(/is empty/);
  });
});
