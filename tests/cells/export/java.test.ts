import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../cells/compile.ts';
import { exportRequest, renderProgram } from '../../../cells/export/index.ts';
import { converseText, runtimeClient } from '../../emulator/helpers.ts';
import { operationOf } from '../../../cells/export/types.ts';
import type { CompiledRequest } from '../../../cells/request.ts';
import type { PlaygroundServer } from '../../../server/app.ts';
import { startEmulator } from '../../../server/emulator/index.ts';
import type { Emulator } from '../../../server/emulator/index.ts';
import { compileJava, javaClasspath, runJava } from './java.ts';
import type { JavaSource } from './java.ts';
import {
  attachmentCase,
  emulatorEnv,
  exampleCases,
  loadNotebook,
  NASTY,
  nasty,
  playgroundText,
  removeScratch,
  ROOT,
  scratchDir,
  startPlayground,
  writeFiles,
} from './support.ts';

/**
 * Every Java export, and the source document's own Java Llama 2 programs, compiled against the
 * AWS SDK for Java 2.x in one javac run, then run against the emulator: each prints what the
 * playground shows for the same request.
 */

/** One Java program of the suite: where its class is, and the request it sends. */
interface Program {
  name: string;
  source: JavaSource;
  request: CompiledRequest;
}

/** The package a case's class goes in: a Java identifier made of its name. */
function pkg(name: string): string {
  return `exports.${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** A request's Java export, streaming and not, each in a package of its own. */
function javaExports(name: string, request: CompiledRequest): Program[] {
  return [true, false].map((streaming) => {
    const label = `${name}${streaming ? ', streaming' : ''}`;
    return {
      name: label,
      request,
      source: {
        pkg: pkg(label),
        className: operationOf(request.api, streaming),
        text: exportRequest(request, { lang: 'java', streaming, region: 'us-east-1' }),
      },
    };
  });
}

function exportedPrograms(): Program[] {
  return exampleCases().flatMap(({ name, request }) => javaExports(name, request));
}

/** The hard-string requests, with a hard profile name too: compiled, not run. */
function hardSources(): JavaSource[] {
  return nasty.flatMap((request, i) =>
    [true, false].map((streaming) => ({
      pkg: pkg(`hard ${i} ${streaming}`),
      className: operationOf(request.api, streaming),
      text: exportRequest(request, {
        lang: 'java',
        streaming,
        region: 'us-east-1',
        profile: NASTY,
      }),
    })),
  );
}

/** The prompt of the guide's Llama 2 programs, as their instruction template builds it. */
const GUIDE_REQUEST: CompiledRequest = {
  api: 'invoke',
  modelId: 'meta.llama2-13b-chat-v1',
  body: {
    prompt: "<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]\n",
  },
};

function guidePrograms(): Program[] {
  return ['Llama2InvokeModel', 'Llama2InvokeModelWithResponseStream'].map((className) => ({
    name: className,
    request: GUIDE_REQUEST,
    source: {
      pkg: 'guide',
      className,
      text: readFileSync(join(ROOT, 'tests', 'java', 'guide', `${className}.java`), 'utf8'),
    },
  }));
}

/** The guide's image and document prompt, exported both ways: it reads its files when it runs. */
function attachmentPrograms() {
  return [true, false].map((streaming) => {
    const { program, files, input } = attachmentCase(streaming);
    const source: JavaSource = {
      pkg: pkg(`attachments ${streaming}`),
      className: program.operation,
      text: renderProgram(program, 'java'),
    };
    return { name: `attachments${streaming ? ', streaming' : ''}`, source, files, input };
  });
}

/**
 * The example notebook's prompts as the playground exports them: the image and the Q2 report
 * prompts through Converse (the program reads each file), and the image prompt as a native Claude
 * body (the program base64-encodes the file).
 */
function exampleAttachmentPrograms(): Program[] {
  const notebook = loadNotebook('images-and-documents');
  const haiku = notebook.targets.find((t) => t.id === 'haiku')!;
  const native = { ...haiku, api: 'invoke' as const };
  return [
    ...javaExports('image prompt', compile(notebook, 'describe', haiku).request),
    ...javaExports('Q2 report prompt', compile(notebook, 'report', haiku).request),
    ...javaExports('native attachments', compile(notebook, 'describe', native).request),
  ];
}

const exported = exportedPrograms();
const exampleAttachments = exampleAttachmentPrograms();
const guide = guidePrograms();
const attachments = attachmentPrograms();
let jar: string;
let playground: PlaygroundServer;
let emulator: Emulator;

beforeAll(async () => {
  [jar, playground, emulator] = await Promise.all([
    compileJava(
      [...exported, ...guide, ...attachments, ...exampleAttachments]
        .map((p) => p.source)
        .concat(hardSources()),
    ),
    startPlayground(),
    startEmulator({ speed: 0 }),
  ]);
  // Resolving the SDK with Maven the first time can take minutes; later runs reuse .cache/.
}, 300_000);

afterAll(async () => {
  await Promise.all([playground?.close(), emulator?.close()]);
  removeScratch();
});

async function expectPrintsPlaygroundText(program: Program, cwd?: string): Promise<string> {
  const expected = await playgroundText(playground, program.request);
  const { pkg: p, className } = program.source;
  const result = await runJava(jar, `${p}.${className}`, emulatorEnv(emulator.url), cwd);
  expect(result.code, `${program.name}: ${result.stdout}${result.stderr}`).toBe(0);
  expect(expected.length).toBeGreaterThan(20);
  expect(result.stdout).toContain(expected);
  return result.stdout;
}

describe('Java exports compile against the AWS SDK for Java 2.x and print what the playground shows', () => {
  it('resolves the SDK under its BOM, with org.json, from tests/java/pom.xml', async () => {
    const classpath = await javaClasspath();
    expect(classpath).toMatch(/bedrockruntime-2\.\d+\.\d+\.jar/);
    expect(classpath).toMatch(/json-\d+\.jar/);
  });

  for (const program of exported) {
    it(`runs the Java export of ${program.name} (${program.source.className})`, async () => {
      const stdout = await expectPrintsPlaygroundText(program);
      expect(stdout).toMatch(/Input tokens: \d+, output tokens: \d+/);
    });
  }
});

describe("the source document's Java Llama 2 programs", () => {
  for (const program of guide) {
    it(`compiles and runs ${program.name} against the emulator`, async () => {
      await expectPrintsPlaygroundText(program);
    });
  }
});

describe('Java exports with attachments', () => {
  for (const program of attachments) {
    it(`reads the image and document beside the program when it runs (${program.name})`, async () => {
      const dir = scratchDir(`java-attachments/${program.source.pkg}`);
      writeFiles(dir, program.files);
      const expected = await converseText(runtimeClient(emulator), program.input);
      expect(expected).toContain('Q2 report');
      const { pkg: p, className } = program.source;
      const result = await runJava(jar, `${p}.${className}`, emulatorEnv(emulator.url), dir);
      expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(expected);
    });
  }

  for (const program of exampleAttachments) {
    it(`runs the Java export of the example's ${program.name}, reading the files beside it, and prints what the playground showed`, async () => {
      // Saved in a folder laid out like the workspace, beside the notebook's attachments.
      const dir = scratchDir(`java-attachments/${program.source.pkg}`);
      cpSync(join(ROOT, 'notebooks', 'attachments'), join(dir, 'attachments'), { recursive: true });
      const stdout = await expectPrintsPlaygroundText(program, dir);
      expect(stdout).toMatch(/a 160×120 PNG|"Q2 report" is a PDF of 2 pages/);
    });
  }
});
