import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PrintedEmulator } from './printed-env.ts';
import { findCurrentBoto3, repoRoot, runProgram, startPrintedEmulator } from './printed-env.ts';

// The seed documents' programs, as AWS publishes them (the Converse API examples of the Bedrock
// user guide, aws-doc-sdk-examples' Llama 2 and Claude InvokeModel programs), run unmodified
// with boto3: only the environment lines `npm run emulator` printed point them at the emulator.

const PROGRAMS = path.join(repoRoot, 'tests/emulator/programs');
// The smallest PNG signature and PDF header: the emulator reads sizes, not pixels.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489',
  'hex',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

let printed: PrintedEmulator;
let workdir: string;

beforeAll(async () => {
  printed = await startPrintedEmulator();
  workdir = mkdtempSync(path.join(tmpdir(), 'seed-programs-'));
  writeFileSync(path.join(workdir, 'image.png'), PNG);
  writeFileSync(path.join(workdir, 'document.pdf'), PDF);
});
afterAll(async () => {
  await printed.stop();
  rmSync(workdir, { recursive: true, force: true });
});

async function runSeed(name: string): Promise<string> {
  const outcome = await runProgram(findCurrentBoto3(), [path.join(PROGRAMS, name)], {
    env: printed.env,
    cwd: workdir,
  });
  expect(outcome.code, outcome.stderr).toBe(0);
  expect(outcome.stdout).not.toMatch(/client error|ERROR/);
  return outcome.stdout;
}

it('runs the Converse text example: Claude 3 Sonnet with top_k over two turns', async () => {
  const out = await runSeed('converse_text.py');
  expect(out).toContain('Text: Create a list of 3 pop songs.');
  expect(out).toContain('Text: Make sure the songs are by artists from the United Kingdom.');
  expect(out.match(/^Role: assistant$/gm)).toHaveLength(2);
  expect(out).toContain(
    'Finished generating text with model anthropic.claude-3-sonnet-20240229-v1:0.',
  );
});

it('runs the Converse image and document examples', async () => {
  const [image, document] = await Promise.all([
    runSeed('converse_image.py'),
    runSeed('converse_document.py'),
  ]);
  expect(image).toContain('Please describe the image.');
  expect(image).toContain('the 1 image you shared (png)');
  expect(image).toMatch(/Stop reason: end_turn/);
  expect(document).toContain('the document "MyDocument" (pdf)');
  expect(document).toContain(
    'Finished generating text with model anthropic.claude-3-sonnet-20240229-v1:0.',
  );
});

it('runs the ConverseStream example through its whole event loop', async () => {
  const out = await runSeed('converse_stream.py');
  expect(out).toContain('Role: assistant');
  expect(out).toContain('Create a list of 3 pop songs.');
  expect(out).toMatch(/Stop reason: end_turn\n/);
  expect(out).toMatch(
    /Input tokens: \d+\n:Output tokens: \d+\n:Total tokens: \d+\nLatency: \d+ milliseconds/,
  );
  expect(out).toContain('Finished streaming messages with model anthropic.claude-v2.');
});

it('runs the Llama 2 and Claude InvokeModel programs, streamed and not, with the same text', async () => {
  const [llama, llamaStream, claude, claudeStream] = await Promise.all([
    runSeed('llama2_invoke_model.py'),
    runSeed('llama2_invoke_model_with_response_stream.py'),
    runSeed('claude_invoke_model.py'),
    runSeed('claude_invoke_model_with_response_stream.py'),
  ]);
  expect(llama).toContain("Describe the purpose of a 'hello world' program in one line.");
  expect(llamaStream).toBe(llama.replace(/\n$/, ''));
  expect(claude).toContain("Describe the purpose of a 'hello world' program in one line.");
  expect(claudeStream).toBe(claude.replace(/\n$/, ''));
  expect(claude).not.toBe(llama);
});
