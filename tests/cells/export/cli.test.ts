import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toNotebook } from '../../../cells/notebook.ts';
import { serializeNotebook } from '../../../cells/format.ts';
import { removeScratch, ROOT, run, scratchDir, writeScratch } from './support.ts';

afterAll(removeScratch);

/** `npm run export -- …`, without npm's own start-up. */
function exportCli(...args: string[]) {
  return run('node', ['--import', 'tsx', join(ROOT, 'server', 'export-cli.ts'), ...args]);
}

const PIRATE = join(ROOT, 'notebooks', 'pirate-email.md');

describe('npm run export', () => {
  it('prints the code for one cell and target', async () => {
    const result = await exportCli(
      PIRATE,
      '--cell',
      'email',
      '--target',
      'llama2',
      '--lang',
      'python',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('model_id = "meta.llama2-13b-chat-v1"');
    expect(result.stdout).toContain('invoke_model_with_response_stream');
  });

  it('takes a 1-based cell number, --no-stream, a region and a profile', async () => {
    const result = await exportCli(
      PIRATE,
      '--cell',
      '4',
      '--target',
      'haiku',
      '--lang',
      'javascript',
      '--no-stream',
      '--region',
      'eu-central-1',
      '--profile',
      'work',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('new ConverseCommand(');
    expect(result.stdout).toContain('region: "eu-central-1"');
    expect(result.stdout).toContain('fromIni({ profile: "work" })');
  });

  it('exports the whole notebook without --cell', async () => {
    const result = await exportCli(PIRATE, '--lang', 'ipynb');
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { nbformat: number }).nbformat).toBe(4);
  });

  it('refuses bad requests with a clear message and a non-zero status', async () => {
    const cases: [string[], RegExp][] = [
      [[PIRATE, '--cell', 'nope', '--target', 'haiku', '--lang', 'python'], /no cell "nope"/],
      [
        [PIRATE, '--cell', 'email', '--target', 'gpt', '--lang', 'python'],
        /no target "gpt".*haiku, llama2/,
      ],
      [[PIRATE, '--cell', 'pirate', '--lang', 'python'], /system cell, which does not run/],
      [
        [PIRATE, '--cell', 'email', '--lang', 'python'],
        /runs against 2 targets: pick one with --target/,
      ],
      [[PIRATE, '--lang', 'java'], /--lang java exports one request: add --cell/],
      [[PIRATE, '--cell', 'email'], /--lang is required/],
      [[PIRATE, '--lang', 'rust'], /Unknown --lang "rust"/],
      [[join(ROOT, 'notebooks', 'missing.md'), '--lang', 'python'], /Cannot read/],
    ];
    const results = await Promise.all(cases.map(([args]) => exportCli(...args)));
    results.forEach((result, i) => {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(cases[i]![1]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('refuses a malformed notebook, and a later thread turn it has no answers for', async () => {
    const dir = scratchDir('cli');
    const malformed = writeScratch(join(dir, 'malformed.md'), '---\ntitle: [unclosed\n---\n');
    const thread = writeScratch(
      join(dir, 'thread.md'),
      serializeNotebook(
        toNotebook({
          targets: [
            {
              id: 'haiku',
              label: 'Haiku',
              modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
              api: 'converse',
            },
          ],
          cells: [
            { kind: 'prompt', id: 'one', text: 'First' },
            { kind: 'prompt', id: 'two', text: 'Second' },
          ],
        }),
      ),
    );
    const [bad, later] = await Promise.all([
      exportCli(malformed, '--lang', 'python'),
      exportCli(thread, '--cell', 'two', '--lang', 'python'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^export: /);
    expect(later.code).toBe(1);
    expect(later.stderr).toMatch(/no answer.*Export the whole notebook instead/s);
  });
});
