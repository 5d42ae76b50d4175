import { describe, expect, it } from 'vitest';
import { code, join } from '../../../cells/export/template.ts';
import type { Layout, Place } from '../../../cells/export/template.ts';

/** A layout that writes down where it was placed. */
const where: Layout = ({ indent, column }: Place) => `<${indent.length},${column}>`;

describe('the code template tag', () => {
  it('drops the lines of its backticks and the indentation the lines share', () => {
    const text = code`
      def f():
          return 1
    `.render();
    expect(text).toBe('def f():\n    return 1');
  });

  it('keeps every backslash as written, except before a backtick or a dollar-brace', () => {
    const text = code`
      print("\n")
      console.log(\`\${x}\`);
      path = "C:\\temp"
    `.render();
    expect(text).toBe('print("\\n")\nconsole.log(`${x}`);\npath = "C:\\\\temp"');
  });

  it('indents every line of a block placeholder like the placeholder, blank lines left empty', () => {
    const body = code`
      a = 1

      b = 2
    `;
    const text = code`
      if x:
          ${body}
      done
    `.render();
    expect(text).toBe('if x:\n    a = 1\n\n    b = 2\ndone');
  });

  it('removes the line of an empty block, and keeps a blank line for an empty string', () => {
    for (const empty of [false, undefined, null, []] as const) {
      expect(
        code`
        a
        ${empty}
        b
      `.render(),
      ).toBe('a\nb');
    }
    expect(
      code`
      a
      ${''}
      b
    `.render(),
    ).toBe('a\n\nb');
  });

  it('puts lists of lines one after another at the placeholder, skipping empty items', () => {
    const text = code`
      call(
          ${['x,', false, code`y,`, ['z,']]}
      )
    `.render();
    expect(text).toBe('call(\n    x,\n    y,\n    z,\n)');
  });

  it('tells a layout the indentation of its line and the column it starts at', () => {
    expect(
      code`
      top = ${where}
          inner(${where})
    `.render(),
    ).toBe('top = <0,6>\n    inner(<4,10>)');
  });

  it('lays out a nested template at its final indentation', () => {
    const inner = code`
      value = ${where}
    `;
    const text = code`
      class A:
          def f(self):
              ${inner}
    `.render();
    expect(text).toBe('class A:\n    def f(self):\n        value = <8,16>');
    expect(inner.render('  ')).toBe('  value = <2,10>');
  });

  it('continues a multi-line template placed inside a line at that line’s indentation', () => {
    const chain = code`
      .a()
      .b()
    `;
    expect(
      code`
      x = builder
              ${chain}, done);
    `.render(),
    ).toBe('x = builder\n        .a()\n        .b(), done);');
  });

  it('joins parts with a separator after each but the last', () => {
    const two = code`
      two
          more
    `;
    const items = join([code`one`, two, 'three'], ',');
    expect(
      code`
      list(
          ${items});
    `.render(),
    ).toBe('list(\n    one,\n    two\n        more,\n    three);');
    expect(join([], ',').render()).toBe('');
  });

  it('refuses a list of lines inside a line', () => {
    expect(() => code`x = ${['a', 'b']}`.render()).toThrow(/stand alone on its line/);
  });

  it('renders numbers and strings inside a line as they are', () => {
    expect(code`n = ${3}; s = ${'a\nb'}`.render()).toBe('n = 3; s = a\nb');
    expect(String(code`a${false}b${undefined}c`)).toBe('abc');
  });
});
