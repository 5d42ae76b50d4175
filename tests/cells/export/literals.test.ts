import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  csharpString,
  csharpVerbatimJson,
  javaString,
  javaTextBlock,
  jsString,
  pythonString,
  readableJson,
  shellQuote,
} from '../../../cells/export/literals.ts';
import { projectPython, removeScratch, run, scratchDir, writeScratch } from './support.ts';

afterAll(removeScratch);

/** Pieces that have broken string literals somewhere. */
const HARD = [
  '"',
  "'",
  '\\',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '${x}',
  '{y}',
  '{{',
  '"""',
  "'''",
  '`id`',
  '$(ls)',
  '*/',
  '/*',
  '%s',
  '%n',
  '%d',
  'é',
  'ß',
  '日本',
  '😀',
  '👩‍💻',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\\u0041',
  '\\u000a',
  '\\\\u0022',
  '\\u',
  '\\n',
  '\\x41',
  '\\U0001F600',
  '\\0',
  '\uE000',
  '\u{10FFFF}',
  '#',
  '//',
  '--',
];

const hardString = fc.string({
  unit: fc.oneof(fc.constantFrom(...HARD), fc.string({ unit: 'binary', maxLength: 2 })),
  maxLength: 12,
});

/** The examples every batch checks, then random ones from the hard set. */
function samples(count: number, seed: number): string[] {
  return [
    '',
    HARD.join(''),
    'He said "hi" \\ and left.\nNew line\ttab ${template} {format} """ \'\'\' */ %s $(rm) `cmd`',
    '\\u0022 must stay six characters, and \\\\u0041 seven',
    ...fc.sample(hardString, { numRuns: count, seed }),
  ];
}

function codePoints(value: string): string {
  return [...value].map((c) => c.codePointAt(0)!).join(' ');
}

/** Code points per line of a tool's output, back to strings. */
function decode(stdout: string): string[] {
  return stdout
    .split('\n')
    .slice(0, -1)
    .map((line) => (line ? String.fromCodePoint(...line.split(' ').map(Number)) : ''));
}

const VALUES = samples(80, 20_240_611);

describe('string literals keep every code point in every language', () => {
  it('Python reads back each literal with the same code points', async () => {
    const python = await projectPython();
    const file = writeScratch(
      join(scratchDir('literals'), 'literals.py'),
      [
        'values = [',
        ...VALUES.map((v) => `    ${pythonString(v)},`),
        ']',
        'for v in values:',
        '    print(" ".join(str(ord(c)) for c in v))',
        '',
      ].join('\n'),
    );
    const result = await run(python.command, [file], { env: { ...process.env, ...python.env } });
    expect(result.stderr, python.describe).toBe('');
    expect(decode(result.stdout).map(codePoints)).toEqual(VALUES.map(codePoints));
  });

  it('JavaScript reads back each literal with the same code points', async () => {
    const file = writeScratch(
      join(scratchDir('literals'), 'literals.mjs'),
      [
        'const values = [',
        ...VALUES.map((v) => `  ${jsString(v)},`),
        '];',
        'for (const v of values) console.log([...v].map((c) => c.codePointAt(0)).join(" "));',
        '',
      ].join('\n'),
    );
    const result = await run('node', [file]);
    expect(result.stderr).toBe('');
    expect(decode(result.stdout).map(codePoints)).toEqual(VALUES.map(codePoints));
  });

  it('Java reads back each string literal and JSON text block with the same code points', async () => {
    const dir = scratchDir('literals/java');
    const blocks = VALUES.map((v) => javaTextBlock(readableJson({ v }, 2), '            '));
    writeScratch(
      join(dir, 'Literals.java'),
      [
        'public class Literals {',
        '    static void print(String v) {',
        '        var sb = new StringBuilder();',
        '        v.codePoints().forEach(cp -> sb.append(sb.length() > 0 ? " " : "").append(cp));',
        '        System.out.println(sb);',
        '    }',
        '    public static void main(String[] args) {',
        '        String[] values = {',
        ...VALUES.map((v) => `            ${javaString(v)},`),
        '        };',
        '        String[] blocks = {',
        ...blocks.map((b) => `            ${b},`),
        '        };',
        '        for (var v : values) print(v);',
        '        for (var b : blocks) print(b);',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    const javac = await run('javac', ['-encoding', 'UTF-8', '-d', dir, join(dir, 'Literals.java')]);
    expect(javac.stderr).toBe('');
    const result = await run('java', ['-cp', dir, 'Literals']);
    const lines = decode(result.stdout);
    expect(lines.slice(0, VALUES.length).map(codePoints)).toEqual(VALUES.map(codePoints));
    const parsed = lines.slice(VALUES.length).map((text) => (JSON.parse(text) as { v: string }).v);
    expect(parsed.map(codePoints)).toEqual(VALUES.map(codePoints));
  });

  it('C# reads back each literal and verbatim JSON string with the same code points', async () => {
    const dir = scratchDir('literals/csharp');
    const source = writeScratch(
      join(dir, 'Literals.cs'),
      [
        'using System;',
        'using System.Collections.Generic;',
        'class Literals {',
        '    static void Print(string v) {',
        '        var parts = new List<string>();',
        '        for (var i = 0; i < v.Length; i++) {',
        '            if (char.IsSurrogatePair(v, i)) { parts.Add(char.ConvertToUtf32(v, i).ToString()); i++; }',
        '            else parts.Add(((int)v[i]).ToString());',
        '        }',
        '        Console.Out.Write(string.Join(" ", parts) + "\\n");',
        '    }',
        '    static void Main() {',
        '        string[] values = {',
        ...VALUES.map((v) => `            ${csharpString(v)},`),
        '        };',
        '        string[] json = {',
        ...VALUES.map((v) => `            ${csharpVerbatimJson(readableJson({ v }, 2))},`),
        '        };',
        '        foreach (var v in values) Print(v);',
        '        foreach (var j in json) Print(j);',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    const mcs = await run('mcs', ['-out:' + join(dir, 'Literals.exe'), source]);
    expect(mcs.code, mcs.stdout + mcs.stderr).toBe(0);
    const result = await run('mono', [join(dir, 'Literals.exe')]);
    const lines = decode(result.stdout);
    expect(lines.slice(0, VALUES.length).map(codePoints)).toEqual(VALUES.map(codePoints));
    const parsed = lines.slice(VALUES.length).map((text) => (JSON.parse(text) as { v: string }).v);
    expect(parsed.map(codePoints)).toEqual(VALUES.map(codePoints));
  });

  it('bash passes each single-quoted JSON argument through unchanged', async () => {
    const script = VALUES.map((v) => `printf '%s\\n' ${shellQuote(readableJson(v))}`).join('\n');
    const result = await run('bash', ['-c', script]);
    expect(result.stderr).toBe('');
    const parsed = result.stdout
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line) as string);
    expect(parsed.map(codePoints)).toEqual(VALUES.map(codePoints));
  });
});

describe('literals are plain, readable source', () => {
  it('keeps Java and C# source pure ASCII and escapes what a reader could not see', () => {
    const tricky = 'café 😀 \u202e \u2028 \u0000';
    expect(javaString(tricky)).toMatch(/^[\x20-\x7e]+$/);
    expect(csharpString(tricky)).toMatch(/^[\x20-\x7e]+$/);
    expect(pythonString(tricky)).toBe('"café 😀 \\u202E \\u2028 \\x00"');
    expect(jsString(tricky)).toBe('"café 😀 \\u202e \\u2028 \\u0000"');
  });

  it('never writes a Unicode escape javac would decode before reading the literal', () => {
    // \u000a and \u0022 would end the line or the string before javac lexes it.
    for (const value of ['\n', '"', '\\', '\r', '\u0000', '\\u0022', '\\\\u000a']) {
      expect(javaString(value)).not.toMatch(/(^|[^\\])(\\\\)*\\u00(0a|0d|22|5c)/i);
    }
    expect(javaString('\\u0041')).toBe('"\\\\u0041"');
  });
});
