import { describe, expect, it } from 'vitest';
import { tooDeepAt } from '../../cells/json-depth.ts';

describe('tooDeepAt', () => {
  it('names the path to the first value nested deeper than the limit, through objects and arrays', () => {
    expect(tooDeepAt('{"a": [1, {"b": [[[]]]}]}', 4)).toBe('a.1.b.0');
    expect(tooDeepAt('[[[]]]', 2)).toBe('0.0');
    expect(tooDeepAt('[[]]', 0)).toBe('(root)');
  });

  it('answers null for text within the limit, valid or not', () => {
    expect(tooDeepAt('{"a": [1, {"b": [[[]]]}]}', 6)).toBeNull();
    expect(tooDeepAt('{"a": [', 5)).toBeNull();
    expect(tooDeepAt('', 5)).toBeNull();
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(tooDeepAt('{"a\\"[[[[": "]]]][[[[\\\\"}', 1)).toBeNull();
    expect(tooDeepAt('["[", ["\\"", [[]]]]', 3)).toBe('1.1.0');
  });

  it('shortens a long path and a long key', () => {
    expect(tooDeepAt(`{"${'k'.repeat(100)}": ${'['.repeat(10)}`, 8)).toBe(
      `${'k'.repeat(40)}….0.0.0.0.0.…`,
    );
  });
});
