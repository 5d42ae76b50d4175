/** The blocks a grid adds to a notebook file: a prompt's checks and a variant's system prompt. */
import { CheckSchema } from './checks.ts';
import type { Check } from './checks.ts';
import { CellProblem, NotebookParseError } from './format-lines.ts';
import { jsonErrorWhere } from './json.ts';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.ts';
import type { CellSpec } from './notebook.ts';

/** The info string of the block that holds the checks of the prompt cell above it. */
export const CHECKS_INFO = 'checks';

/** The header's targets with the system prompts of their variant blocks put in their overrides. */
export function withVariants(
  targets: unknown,
  variants: ReadonlyMap<string, { line: number; text: string }>,
): unknown[] | undefined {
  if (!variants.size) return undefined;
  const list = Array.isArray(targets) ? targets : [];
  for (const [id, { line }] of variants) {
    if (!list.some((t) => (t as { id?: unknown } | null)?.id === id)) {
      throw new NotebookParseError(
        line,
        `there is no target "${id}" in the header for this system prompt`,
      );
    }
  }
  return list.map((t: unknown) => {
    const target = t as { id?: unknown; overrides?: unknown };
    const variant = typeof target?.id === 'string' ? variants.get(target.id) : undefined;
    if (!variant) return t;
    const overrides =
      typeof target.overrides === 'object' && target.overrides ? target.overrides : {};
    return { ...target, overrides: { ...overrides, system: variant.text } };
  });
}

/**
 * Reads a checks block (one JSON object per line) into the prompt cell it follows; problems are
 * `CellProblem`s on their line.
 */
export function attachChecks(cell: CellSpec | undefined, info: string, content: string): void {
  if (info.trim() !== CHECKS_INFO) {
    throw new CellProblem(0, 'a checks block takes no attributes: write ```checks alone');
  }
  if (cell?.kind !== 'prompt') {
    throw new CellProblem(0, 'a checks block must follow the prompt cell it checks');
  }
  if (cell.checks?.length) throw new CellProblem(0, 'this prompt cell already has a checks block');
  const checks: Check[] = [];
  content.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const deep = tooDeepAt(line);
    if (deep !== null) {
      throw new CellProblem(
        i + 1,
        `the check nests more than ${MAX_JSON_DEPTH} levels deep, at ${deep}`,
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new CellProblem(
        i + 1,
        `a check is one JSON object per line, e.g. {"type": "contains", "value": "Paris"}: ${jsonErrorWhere(line, (error as Error).message)}`,
      );
    }
    const parsed = CheckSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      throw new CellProblem(i + 1, `not a check (${where}${issue.message})`);
    }
    checks.push(parsed.data);
  });
  cell.checks = checks;
}
