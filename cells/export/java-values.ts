/** Java expressions for prompt text and for JSON values (Converse's additionalModelRequestFields). */
import { isRecord } from './layout.ts';
import { javaString } from './literals.ts';

/** A string expression: one literal, or one per line joined with `+` when the text has lines. */
export function javaText(value: string, indent: string): string {
  const lines = value.split(/(?<=\n)(?!\n)/);
  if (lines.length < 2 || value.length < 40) return javaString(value);
  return lines.map(javaString).join(`\n${indent}+ `);
}

function javaNumber(value: number): string {
  if (Number.isInteger(value)) {
    return Math.abs(value) <= 2 ** 31 - 1 ? String(value) : `${value}L`;
  }
  return String(value);
}

/** A `Document` expression for a JSON value (Converse's additionalModelRequestFields). */
export function javaDocument(value: unknown, indent: string): string {
  const inner = `${indent}        `;
  if (value === null || value === undefined) return 'Document.fromNull()';
  if (typeof value === 'boolean') return `Document.fromBoolean(${value})`;
  if (typeof value === 'number') return `Document.fromNumber(${javaNumber(value)})`;
  if (typeof value === 'string') return `Document.fromString(${javaText(value, inner)})`;
  if (Array.isArray(value)) {
    if (value.length === 0) return 'Document.fromList(List.of())';
    const items = value.map((item) => `${inner}.addDocument(${javaDocument(item, inner)})`);
    return `Document.listBuilder()\n${items.join('\n')}\n${inner}.build()`;
  }
  if (isRecord(value)) {
    const items = Object.entries(value).map(
      ([key, item]) => `${inner}.putDocument(${javaString(key)}, ${javaDocument(item, inner)})`,
    );
    return `Document.mapBuilder()\n${items.join('\n')}\n${inner}.build()`;
  }
  return 'Document.fromNull()';
}
