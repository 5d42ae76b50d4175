import { describe, expect, it } from 'vitest';
import { evaluateChecks, gradeKey, readVerdict } from '../../cells/checks.ts';
import type { Check, CheckInput } from '../../cells/checks.ts';
import { DataError, parseData } from '../../cells/data.ts';
import { percentile, variation } from '../../cells/grid.ts';
import { fillVariables, variablesIn } from '../../cells/variables.ts';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

describe('{{variables}}', () => {
  it('fills names with spaces inside the braces and leaves unknown ones as written, listing them', () => {
    const text = 'Hello {{ name }}, from {{customer city}} and {{nowhere}}.';
    expect(variablesIn(text)).toEqual(['name', 'customer city', 'nowhere']);
    expect(fillVariables(text, { name: 'Ada', 'customer city': 'Leeds' })).toEqual({
      text: 'Hello Ada, from Leeds and {{nowhere}}.',
      missing: ['nowhere'],
    });
  });
});

describe('test cases', () => {
  it('reads CSV with quoted commas and JSON lines whose numbers and objects become text', () => {
    expect(parseData('product,audience\n"Boots, waterproof",hikers\n', 'csv')).toEqual({
      columns: ['product', 'audience'],
      rows: [{ product: 'Boots, waterproof', audience: 'hikers' }],
    });
    const jsonl = parseData('{"n": 3, "spec": {"a": 1}}\n\n{"n": 4, "spec": null}\n', 'jsonl');
    expect(jsonl.columns).toEqual(['n', 'spec']);
    expect(jsonl.rows).toEqual([
      { n: '3', spec: '{"a":1}' },
      { n: '4', spec: 'null' },
    ]);
  });

  it('names the problem: a column without a name, one named twice, a line that is not JSON', () => {
    expect(() => parseData('a,\n1,2\n', 'csv')).toThrow(/column 2 has no name/);
    expect(() => parseData('a,a\n1,2\n', 'csv')).toThrow(/the column "a" is named twice/);
    expect(() => parseData('{"a": 1}\nnot json\n', 'jsonl')).toThrow(DataError);
    expect(() => parseData('{"a": 1}\nnot json\n', 'jsonl')).toThrow(/line 2/);
  });
});

describe('checks', () => {
  const answer = (text: string, more: Partial<CheckInput> = {}): CheckInput => ({
    text,
    modelId: HAIKU,
    usage: { inputTokens: 20, outputTokens: 12 },
    totalMs: 850,
    ...more,
  });
  const passes = (checks: Check[], input: CheckInput, variables = {}) =>
    evaluateChecks(checks, input, variables).map((r) => r.pass);

  it('judges text checks with the test case’s values filled in', () => {
    const checks: Check[] = [
      { type: 'contains', value: '{{product}}' },
      { type: 'not-contains', value: 'sorry' },
      { type: 'regex', value: 'Trail\\w+:' },
      { type: 'equals', value: 'Trailblazer: go further' },
    ];
    const variables = { product: 'Trailblazer' };
    expect(passes(checks, answer(' Trailblazer: go further\n'), variables)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(passes(checks, answer('Sorry, Nimbus it is'), variables)).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it('judges JSON, a JSON Schema, tokens, time and cost, saying why one fails', () => {
    const checks: Check[] = [
      { type: 'is-json' },
      {
        type: 'json-schema',
        value: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      },
      { type: 'max-tokens', threshold: 10 },
      { type: 'latency', threshold: 1000 },
      { type: 'cost', threshold: 0.01 },
    ];
    const results = evaluateChecks(checks, answer('{"name": 7}'));
    expect(results.map((r) => r.pass)).toEqual([true, false, false, true, true]);
    expect(results[1]!.reason).toMatch(/^#\/name: Instance type "number"/);
    expect(results[2]!.reason).toBe('12 tokens');
    expect(evaluateChecks([{ type: 'is-json' }], answer('{oops'))[0]!.reason).toMatch(
      /^not JSON: /,
    );
  });

  it('shows a model’s recorded verdict on its filled rubric, and "not graded yet" before one', () => {
    const check: Check = {
      type: 'llm-rubric',
      value: 'PASS if it names {{product}}',
      model: HAIKU,
    };
    const key = gradeKey(HAIKU, 'PASS if it names Kite');
    const grade = { key, pass: false, reason: 'It never says Kite.', reply: '', usage: null };
    expect(evaluateChecks([check], answer('A toy'), { product: 'Kite' })[0]).toMatchObject({
      pass: null,
      reason: 'not graded yet',
    });
    expect(
      evaluateChecks([check], answer('A toy', { grades: [grade] }), { product: 'Kite' })[0],
    ).toMatchObject({ pass: false, reason: 'It never says Kite.' });
  });

  it('reads a grader’s verdict from its first line, from JSON, or says it found none', () => {
    expect(readVerdict('PASS\nIt names the product.')).toEqual({
      pass: true,
      reason: 'It names the product.',
    });
    expect(readVerdict('{"pass": false, "reason": "Too long."}')).toEqual({
      pass: false,
      reason: 'Too long.',
    });
    expect(readVerdict('I cannot tell.')).toEqual({ pass: null, reason: 'I cannot tell.' });
  });
});

describe('figures of a grid', () => {
  it('says repeated answers are identical, or how alike their words are', () => {
    expect(variation(['a b', 'a b'])).toEqual({ identical: true, similarity: 1 });
    const v = variation(['red green blue', 'red green yellow'])!;
    expect(v.identical).toBe(false);
    expect(v.similarity).toBeCloseTo(2 / 3);
    expect(variation(['only one'])).toBeNull();
  });

  it('takes p50 and p95 of the times measured, none of none', () => {
    const times = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(percentile(times, 0.5)).toBe(105);
    expect(percentile(times, 0.95)).toBeCloseTo(190.5);
    expect(percentile([], 0.5)).toBeNull();
  });
});
