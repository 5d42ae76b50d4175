import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI_OUTPUT_FILE,
  exportFileName,
  exportRequest,
  renderProgram,
} from '../../../cells/export/index.ts';
import { converseText, runtimeClient } from '../../emulator/helpers.ts';
import type { ExportLang } from '../../../cells/export/index.ts';
import type { PlaygroundServer } from '../../../server/app.ts';
import type { Emulator } from '../../../server/emulator/index.ts';
import {
  emulatorEnv,
  exampleCases,
  attachmentCase,
  debianPython,
  playgroundText,
  projectAwsCli,
  projectPython,
  startPlayground,
  removeScratch,
  run,
  scratchDir,
  writeFiles,
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

function write(lang: ExportLang, name: string, streaming: boolean) {
  const { request } = exampleCases().find((c) => c.name === name)!;
  const options = { lang, streaming, region: 'us-east-1' };
  const dir = scratchDir(`run/${name}/${streaming ? 'stream' : 'no-stream'}`);
  return {
    request,
    dir,
    file: writeScratch(
      join(dir, exportFileName(request, options)),
      exportRequest(request, options),
    ),
  };
}

/** The pinned boto3 of .venv, and Debian's older python3-boto3 as a second client. */
const PYTHONS = [
  ["the project's pinned boto3 (.venv)", projectPython],
  ["Debian's python3-boto3", debianPython],
] as const;

const CASES = exampleCases().flatMap(({ name, request }) =>
  [true, false].map((streaming) => ({ name, api: request.api, streaming })),
);

describe('exported programs print what the playground gets for the same request', () => {
  for (const { name, api, streaming } of CASES) {
    const how = `${name} (${api}${streaming ? ', streaming' : ''})`;

    it(`runs the JavaScript export of ${how} with node`, async () => {
      const { request, file } = write('javascript', name, streaming);
      const expected = await playgroundText(playground, request);
      const result = await run('node', [file], { env: emulatorEnv(emulator.url) });
      expect(result.code, result.stderr).toBe(0);
      expect(expected.length).toBeGreaterThan(20);
      expect(result.stdout).toContain(expected);
      expect(result.stdout).toMatch(/Input tokens: \d+, output tokens: \d+/);
    });

    for (const [client, find] of PYTHONS) {
      it(`runs the Python export of ${how} with ${client}`, async () => {
        const python = await find();
        const { request, file } = write('python', name, streaming);
        const expected = await playgroundText(playground, request);
        const result = await run(python.command, [file], {
          env: emulatorEnv(emulator.url, python.env),
        });
        expect(result.code, `${python.describe}: ${result.stdout}${result.stderr}`).toBe(0);
        expect(result.stdout, python.describe).toContain(expected);
        expect(result.stdout).toMatch(/Input tokens: \d+, output tokens: \d+/);
      });
    }
  }

  for (const { name, request } of exampleCases()) {
    it(`runs the AWS CLI export of ${name} (${request.api}) with the project's AWS CLI`, async () => {
      const { file, dir } = write('cli', name, true);
      const syntax = await run('bash', ['-n', file]);
      expect(syntax.code, syntax.stderr).toBe(0);
      const cli = await projectAwsCli();
      const expected = await playgroundText(playground, request);
      const env = emulatorEnv(emulator.url, {
        PATH: `${cli.pathPrefix}:${process.env.PATH}`,
      });
      const result = await run('bash', [file], { env, cwd: dir });
      expect(result.code, `${cli.version}: ${result.stderr}`).toBe(0);
      let text: string;
      if (request.api === 'converse') {
        const response = JSON.parse(result.stdout) as {
          output: { message: { content: { text: string }[] } };
        };
        text = response.output.message.content.map((b) => b.text).join('');
      } else {
        const body = JSON.parse(readFileSync(join(dir, CLI_OUTPUT_FILE), 'utf8')) as {
          generation?: string;
          content?: { text: string }[];
        };
        text = body.generation ?? (body.content ?? []).map((b) => b.text).join('');
      }
      expect(text).toBe(expected);
    });
  }
});

describe('exported programs read attached files when they run', () => {
  const runners = {
    python: async (file: string, dir: string) => {
      const python = await projectPython();
      return run(python.command, [file], { env: emulatorEnv(emulator.url, python.env), cwd: dir });
    },
    javascript: (file: string, dir: string) =>
      run('node', [file], { env: emulatorEnv(emulator.url), cwd: dir }),
  };
  for (const lang of ['python', 'javascript'] as const) {
    for (const streaming of [true, false]) {
      it(`sends the image and document beside a ${lang} export${streaming ? ' that streams' : ''}`, async () => {
        const { program, files, input } = attachmentCase(streaming);
        const dir = scratchDir(`attachments/${lang}-${streaming}`);
        writeFiles(dir, files);
        const file = writeScratch(
          join(dir, lang === 'python' ? 'converse.py' : 'converse.mjs'),
          renderProgram(program, lang),
        );
        const expected = await converseText(runtimeClient(emulator), input);
        expect(expected).toContain('Q2 report');
        const result = await runners[lang](file, dir);
        expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
        expect(result.stdout).toContain(expected);
      });
    }
  }
});
