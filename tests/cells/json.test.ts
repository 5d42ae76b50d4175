import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonErrorWhere } from '../../cells/json.ts';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('locating JSON errors', () => {
  it('agrees with JSON.parse on which texts are valid', () => {
    const texts = fc.oneof(
      fc.json(),
      fc
        .json()
        .chain((json) =>
          fc
            .tuple(fc.nat({ max: json.length }), fc.constantFrom('', ',', '}', '"', ' ', '1', '\\'))
            .map(([at, insert]) => json.slice(0, at) + insert + json.slice(at + 1)),
        ),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(jsonErrorOffset(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 500 },
    );
  });

  it('names the line and column of a trailing comma', () => {
    expect(jsonErrorWhere('{\n  "a": 1,\n}', 'Unexpected token')).toBe(
      'line 3, column 1: Unexpected token',
    );
  });
});
