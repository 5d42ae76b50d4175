import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../cells/compile.ts';
import {
  CLI_OUTPUT_FILE,
  exportFileName,
  exportNotebook,
  exportRequest,
} from '../../../cells/export/index.ts';
import type { ExportLang } from '../../../cells/export/index.ts';
import type { Target } from '../../../cells/notebook.ts';
import type { CompiledRequest } from '../../../cells/request.ts';
import { startServer, type PlaygroundServer } from '../../../server/app.ts';
import type { ReceivedRequest } from '../../../server/emulator/index.ts';
import {
  debianAwsCliV2,
  emulatorEnv,
  ipynbScript,
  loadNotebook,
  playgroundText,
  projectPython,
  removeScratch,
  ROOT,
  run,
  scratchDir,
  writeScratch,
} from './support.ts';

/** What the emulator received, in order: the playground's requests and the programs'. */
const received: ReceivedRequest[] = [];
let playground: PlaygroundServer;
beforeAll(async () => {
  playground = await startServer({
    port: 0,
    offline: true,
    speed: 0,
    dir: scratchDir('workspace'),
    onEmulatorRequest: (request) => received.push(request),
  });
});
afterAll(async () => {
  await playground.close();
  removeScratch();
});

const notebook = loadNotebook('images-and-documents');
const haiku = notebook.targets.find((t) => t.id === 'haiku')!;
const haikuNative: Target = { ...haiku, id: 'haiku-native', api: 'invoke' };

/** A folder laid out like the workspace: the program saved beside the notebook's attachments. */
function workspaceLike(name: string): string {
  const dir = scratchDir(`attachments-run/${name}`);
  cpSync(join(ROOT, 'notebooks', 'attachments'), join(dir, 'attachments'), { recursive: true });
  return dir;
}

function exported(request: CompiledRequest, lang: ExportLang, streaming: boolean, name: string) {
  const options = { lang, streaming, region: 'us-east-1' };
  const dir = workspaceLike(`${name}-${lang}-${streaming}`);
  const file = writeScratch(
    join(dir, exportFileName(request, options)),
    exportRequest(request, options),
  );
  return { dir, file };
}

const CASES = [
  { name: 'the image prompt (Converse)', cell: 'describe', target: haiku },
  { name: 'the Q2 report prompt (Converse)', cell: 'report', target: haiku },
  { name: 'the image prompt (native Claude body)', cell: 'describe', target: haikuNative },
];

describe('exports of prompts with attachments read the files when they run', () => {
  for (const { name, cell, target } of CASES) {
    for (const streaming of [true, false]) {
      const how = `${name}${streaming ? ', streaming' : ''}`;
      const { request } = compile(notebook, cell, target);

      it(`runs the Python export of ${how} and prints what the playground showed`, async () => {
        const python = await projectPython();
        const { dir, file } = exported(request, 'python', streaming, `${cell}-${target.id}`);
        const expected = await playgroundText(playground, request);
        expect(expected).toMatch(/160×120 PNG|"Q2 report" is a PDF of 2 pages/);
        const url = playground.backend.emulator!.url;
        const result = await run(python.command, [file], {
          env: emulatorEnv(url, python.env),
          cwd: dir,
        });
        expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
        expect(result.stdout).toContain(expected);
      });

      it(`runs the JavaScript export of ${how} and prints what the playground showed`, async () => {
        const { dir, file } = exported(request, 'javascript', streaming, `${cell}-${target.id}`);
        const expected = await playgroundText(playground, request);
        const url = playground.backend.emulator!.url;
        const result = await run('node', [file], { env: emulatorEnv(url), cwd: dir });
        expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
        expect(result.stdout).toContain(expected);
      });
    }
  }

  for (const { name, cell, target } of CASES) {
    it(`runs the AWS CLI export of ${name} with AWS CLI v2`, async () => {
      const cli = await debianAwsCliV2();
      const { request } = compile(notebook, cell, target);
      const { dir, file } = exported(request, 'cli', false, `${cell}-${target.id}`);
      const expected = await playgroundText(playground, request);
      const env = emulatorEnv(playground.backend.emulator!.url, {
        PATH: `${cli.pathPrefix}:${process.env.PATH}`,
      });
      const result = await run('bash', [file], { env, cwd: dir });
      expect(result.code, `${cli.version}: ${result.stderr}`).toBe(0);
      const text =
        request.api === 'converse'
          ? (
              JSON.parse(result.stdout) as { output: { message: { content: { text: string }[] } } }
            ).output.message.content
              .map((b) => b.text)
              .join('')
          : (
              JSON.parse(readFileSync(join(dir, CLI_OUTPUT_FILE), 'utf8')) as {
                content: { text: string }[];
              }
            ).content
              .map((b) => b.text)
              .join('');
      expect(text).toBe(expected);
      // Generous: each run starts Debian's CLI v2, a large Python program, on a shared machine.
    }, 90_000);
  }
});

/** The guide's boto3 program, in its shape: the bytes straight from the files, no base64. */
const GUIDE_PROGRAM = `
import boto3

client = boto3.client("bedrock-runtime", region_name="us-east-1")
model_id = "anthropic.claude-3-haiku-20240307-v1:0"

with open("attachments/guide-image.png", "rb") as f:
    image = f.read()
with open("attachments/q2-report.pdf", "rb") as f:
    document = f.read()

image_message = {
    "role": "user",
    "content": [
        {"text": "This is image 1:"},
        {"image": {"format": "png", "source": {"bytes": image}}},
        {"text": "Please describe the image."},
    ],
}
client.converse(modelId=model_id, messages=[image_message])

document_message = {
    "role": "user",
    "content": [
        {"document": {"name": "Q2 report", "format": "pdf", "source": {"bytes": document}}},
        {"text": QUESTIONS},
    ],
}
client.converse(modelId=model_id, messages=[document_message])
`;

describe("the compiled Converse request is the guide's", () => {
  it('sends the same blocks, bytes and order as the guide’s boto3 program for the same files', async () => {
    const python = await projectPython();
    const report = notebook.cells.find((c) => c.id === 'report')!;
    const questions =
      report.kind === 'prompt' && report.parts[1]?.kind === 'text' ? report.parts[1].text : '';
    expect(questions).toContain('1. What was the revenue in Q2');

    received.length = 0;
    for (const cell of ['describe', 'report']) {
      await playgroundText(playground, compile(notebook, cell, haiku).request);
    }
    const fromPlayground = received.splice(0);

    const dir = workspaceLike('guide-boto3');
    const file = writeScratch(
      join(dir, 'guide.py'),
      `QUESTIONS = ${JSON.stringify(questions)}\n${GUIDE_PROGRAM}`,
    );
    const result = await run(python.command, [file], {
      env: emulatorEnv(playground.backend.emulator!.url, python.env),
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const fromGuide = received.splice(0);

    const messages = (list: ReceivedRequest[]) =>
      list.map(
        (r) => (JSON.parse(Buffer.from(r.body).toString('utf8')) as { messages: unknown }).messages,
      );
    expect(fromPlayground.map((r) => r.operation)).toEqual(['converse-stream', 'converse-stream']);
    expect(fromGuide.map((r) => r.operation)).toEqual(['converse', 'converse']);
    const [playgroundImage, playgroundReport] = messages(fromPlayground);
    const [guideImage, guideReport] = messages(fromGuide);
    // Block by block: the same kinds in the same order, the same text, the same bytes (base64
    // on the wire, so equal strings are equal bytes).
    expect(playgroundImage).toEqual(guideImage);
    expect(playgroundReport).toEqual(guideReport);
    const image = (guideImage as { content: { image?: { source: { bytes: string } } }[] }[])[0]!
      .content[1]!;
    expect(Buffer.from(image.image!.source.bytes, 'base64')).toEqual(
      readFileSync(join(ROOT, 'notebooks', 'attachments', 'guide-image.png')),
    );
  });
});

describe('whole-notebook exports send the attachments too', () => {
  for (const lang of ['python', 'ipynb', 'javascript'] as const) {
    it(`runs the ${lang} export of the example notebook and prints what the playground showed for every prompt and target`, async () => {
      const dir = workspaceLike(`notebook-${lang}`);
      const text = exportNotebook(notebook, { lang, streaming: true, region: 'us-east-1' });
      // An .ipynb runs as its code cells in order would.
      const file = writeScratch(
        join(dir, lang === 'javascript' ? 'notebook.mjs' : 'notebook.py'),
        lang === 'ipynb' ? ipynbScript(text) : text,
      );
      expect(text).toMatch(
        /GUIDE_IMAGE = \\?"attachments\/guide-image.png\\?"|const GUIDE_IMAGE = "attachments\/guide-image.png"/,
      );
      const url = playground.backend.emulator!.url;
      const python = lang === 'javascript' ? undefined : await projectPython();
      const result = python
        ? await run(python.command, [file], { env: emulatorEnv(url, python.env), cwd: dir })
        : await run('node', [file], { env: emulatorEnv(url), cwd: dir });
      expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
      for (const cell of ['describe', 'report']) {
        for (const target of notebook.targets) {
          const expected = await playgroundText(
            playground,
            compile(notebook, cell, target).request,
          );
          expect(result.stdout, `${cell} for ${target.label}`).toContain(expected);
        }
      }
    });
  }
});

describe('C# exports with attachments', () => {
  it('base64-encodes a native body’s image and reads Converse blocks’ files, and mcs parses both', async () => {
    for (const target of [haikuNative, haiku]) {
      const { request } = compile(notebook, 'describe', target);
      const text = exportRequest(request, {
        lang: 'csharp',
        streaming: false,
        region: 'us-east-1',
      });
      expect(text).toContain(
        target.api === 'invoke'
          ? 'Convert.ToBase64String(File.ReadAllBytes(GUIDE_IMAGE))'
          : 'File.ReadAllBytes(GUIDE_IMAGE)',
      );
      const file = writeScratch(join(scratchDir('csharp-attachments'), `${target.id}.cs`), text);
      const result = await run('mcs', ['--parse', file]);
      expect(result.stdout + result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
  });
});
