/**
 * `{{name}}` variables, as the Bedrock console's Prompt Management writes them: a data cell's
 * columns fill them in the system, prompt, assistant and native cells below it, and in the values
 * of a prompt's checks. Spaces inside the braces are allowed (`{{ city }}`); a name is any text
 * without braces or line breaks, so a CSV header such as "customer name" is a variable too.
 */

const PLACEHOLDER = /\{\{[ \t]*([^{}\r\n]+?)[ \t]*\}\}/g;

/** The values of one test case, by column name. */
export type Variables = Readonly<Record<string, string>>;

/** The names used in a text, in order of first use, each once. */
export function variablesIn(text: string): string[] {
  const names = new Set<string>();
  for (const [, name] of text.matchAll(PLACEHOLDER)) names.add(name!);
  return [...names];
}

/**
 * The text with each `{{name}}` replaced by its value. A name without a value is left as written
 * and listed in `missing`, so the caller can say which cell uses it.
 */
export function fillVariables(
  text: string,
  values: Variables,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (whole, name: string) => {
    if (Object.hasOwn(values, name)) return values[name]!;
    missing.add(name);
    return whole;
  });
  return { text: filled, missing: [...missing] };
}

/**
 * A JSON value with the variables of every string in it (keys too) filled: a native body is
 * parsed first and filled after, so a value with quotes or line breaks cannot break its JSON.
 */
export function fillJsonVariables(
  value: unknown,
  values: Variables,
): { value: unknown; missing: string[] } {
  const missing = new Set<string>();
  const fill = (text: string): string => {
    const filled = fillVariables(text, values);
    for (const name of filled.missing) missing.add(name);
    return filled.text;
  };
  // Bodies nest at most 64 levels (checked before parsing), so recursion stays shallow.
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return fill(node);
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [fill(k), walk(v)]));
    }
    return node;
  };
  return { value: walk(value), missing: [...missing] };
}

/** "{{a}}, {{b}}": names as the person wrote them, for messages. */
export function describeNames(names: readonly string[]): string {
  return names.map((name) => `{{${name}}}`).join(', ');
}
