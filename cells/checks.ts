import { Validator } from '@cfworker/json-schema';
import { z } from 'zod';
import { estimateCost } from './models/catalog.ts';
import type { ConverseInput } from './request.ts';
import { unreachable } from './unreachable.ts';
import { describeNames, fillVariables } from './variables.ts';
import type { Variables } from './variables.ts';

/**
 * Checks on a prompt cell's answers, per test case, named as promptfoo names its assertions:
 * `contains`, `not-contains`, `equals`, `regex`, `is-json`, `json-schema`, `max-tokens`, `latency`
 * (at most N ms), `cost` (at most $N) and `llm-rubric` (a model grades the answer against a
 * rubric). Text values may use the row's `{{variables}}` (`equals {{expected}}`).
 */

const text = z.string().min(1).max(10_000);
const threshold = z.number().nonnegative();

export const CheckSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('contains'), value: text }),
  z.object({ type: z.literal('not-contains'), value: text }),
  z.object({ type: z.literal('equals'), value: z.string().max(10_000) }),
  z.object({ type: z.literal('regex'), value: text }),
  z.object({ type: z.literal('is-json') }),
  z.object({
    type: z.literal('json-schema'),
    value: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('max-tokens'), threshold: threshold.int() }),
  z.object({ type: z.literal('latency'), threshold }),
  z.object({ type: z.literal('cost'), threshold }),
  z.object({
    type: z.literal('llm-rubric'),
    value: text,
    /** The model that grades, called through Converse. */
    model: z.string().min(1).max(2048),
  }),
]);
/** One check of a prompt cell. */
export type Check = z.infer<typeof CheckSchema>;
export type CheckType = Check['type'];
export const CHECK_TYPES = CheckSchema.options.map((o) => o.shape.type.value);

/** The most checks a prompt cell may have. */
export const MAX_CHECKS = 20;

/** A model's verdict on an answer, kept in the run record of the answer it graded. */
export const GradeSchema = z.object({
  /** Which check, as `gradeKey` gives it: the grader and the rubric as sent. */
  key: z.string(),
  /** null: the grader's reply says neither pass nor fail. */
  pass: z.boolean().nullable(),
  reason: z.string(),
  /** The grader's whole reply. */
  reply: z.string(),
  usage: z
    .object({ inputTokens: z.number().int().nonnegative(), outputTokens: z.number().int() })
    .nullable(),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
});
export type Grade = z.infer<typeof GradeSchema>;

/** What a check looks at: one answer and its figures. */
export interface CheckInput {
  text: string;
  modelId: string;
  usage: { inputTokens: number; outputTokens: number } | null;
  totalMs: number | null;
  /** The verdicts recorded with the answer. */
  grades?: readonly Grade[];
}

/** One check's outcome; `pass` null means not decided (an answer not graded yet). */
export interface CheckResult {
  label: string;
  pass: boolean | null;
  reason: string;
}

const NAMES: Record<CheckType, string> = {
  contains: 'contains',
  'not-contains': 'does not contain',
  equals: 'equals',
  regex: 'matches',
  'is-json': 'is JSON',
  'json-schema': 'matches a JSON Schema',
  'max-tokens': 'at most N tokens',
  latency: 'at most N ms',
  cost: 'at most $N',
  'llm-rubric': 'graded by a model',
};

/** What a check type is called in a menu. */
export function checkTypeName(type: CheckType): string {
  return NAMES[type];
}

const quote = (value: string, width = 40) =>
  JSON.stringify(value.length > width ? `${value.slice(0, width - 1)}…` : value);

/** A check as a short phrase: `contains "Paris"`, `at most 200 tokens`. */
export function describeCheck(check: Check): string {
  switch (check.type) {
    case 'contains':
    case 'not-contains':
    case 'equals':
      return `${NAMES[check.type]} ${quote(check.value)}`;
    case 'regex':
      return `matches /${check.value.length > 40 ? `${check.value.slice(0, 39)}…` : check.value}/`;
    case 'is-json':
    case 'json-schema':
      return NAMES[check.type];
    case 'max-tokens':
      return `at most ${check.threshold} tokens`;
    case 'latency':
      return `at most ${check.threshold} ms`;
    case 'cost':
      return `at most $${check.threshold}`;
    case 'llm-rubric':
      return `graded by ${check.model}: ${quote(check.value)}`;
    default:
      return unreachable(check);
  }
}

/** The text of a check's value with the row's variables filled, or why it cannot be. */
function filled(value: string, variables: Variables): { text: string } | { problem: string } {
  const result = fillVariables(value, variables);
  if (result.missing.length) {
    return {
      problem: `uses ${describeNames(result.missing)}, which the test case has no column for`,
    };
  }
  return { text: result.text };
}

/** The key a model's verdict is kept under: the grader and the rubric as sent. */
export function gradeKey(model: string, rubric: string): string {
  return JSON.stringify([model, rubric]);
}

function parseJson(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text.trim()) as unknown };
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
}

/** Evaluates every check of a cell on one answer. */
export function evaluateChecks(
  checks: readonly Check[],
  input: CheckInput,
  variables: Variables = {},
): CheckResult[] {
  return checks.map((check) => ({
    label: describeCheck(check),
    ...evaluate(check, input, variables),
  }));
}

function evaluate(
  check: Check,
  input: CheckInput,
  variables: Variables,
): { pass: boolean | null; reason: string } {
  const fail = (reason: string) => ({ pass: false, reason });
  const verdict = (pass: boolean, yes: string, no: string) => ({ pass, reason: pass ? yes : no });
  switch (check.type) {
    case 'contains':
    case 'not-contains':
    case 'equals': {
      const value = filled(check.value, variables);
      if ('problem' in value) return fail(value.problem);
      if (check.type === 'equals') {
        const same = input.text.trim() === value.text.trim();
        return verdict(same, 'the answer is exactly that', 'the answer is something else');
      }
      const found = input.text.includes(value.text);
      return check.type === 'contains'
        ? verdict(found, 'found', `${quote(value.text)} is not in the answer`)
        : verdict(!found, 'not found', `the answer contains ${quote(value.text)}`);
    }
    case 'regex': {
      const value = filled(check.value, variables);
      if ('problem' in value) return fail(value.problem);
      let pattern: RegExp;
      try {
        pattern = new RegExp(value.text, 'u');
      } catch (error) {
        return fail(`not a valid regular expression: ${(error as Error).message}`);
      }
      return verdict(pattern.test(input.text), 'matches', 'no match in the answer');
    }
    case 'is-json': {
      const parsed = parseJson(input.text);
      return 'problem' in parsed ? fail(parsed.problem) : { pass: true, reason: 'valid JSON' };
    }
    case 'json-schema': {
      const parsed = parseJson(input.text);
      if ('problem' in parsed) return fail(parsed.problem);
      let result;
      try {
        result = new Validator(check.value, '2020-12', false).validate(parsed.value);
      } catch (error) {
        return fail(`the schema cannot be used: ${(error as Error).message}`);
      }
      if (result.valid) return { pass: true, reason: 'matches the schema' };
      // The deepest errors say what is wrong; the outer ones only that something below is.
      const errors = result.errors.filter(
        (e) => !/^(properties|items|allOf|\$ref)$/.test(e.keyword),
      );
      const first = errors[0] ?? result.errors[0];
      return fail(first ? `${first.instanceLocation || '#'}: ${first.error}` : 'does not match');
    }
    case 'max-tokens': {
      const tokens = input.usage?.outputTokens;
      if (tokens === undefined) return fail('no token count was reported');
      return verdict(tokens <= check.threshold, `${tokens} tokens`, `${tokens} tokens`);
    }
    case 'latency': {
      if (input.totalMs === null) return fail('no time was measured');
      const ms = Math.round(input.totalMs);
      return verdict(input.totalMs <= check.threshold, `${ms} ms`, `${ms} ms`);
    }
    case 'cost': {
      if (!input.usage) return fail('no token count was reported');
      const cost = estimateCost(input.modelId, input.usage.inputTokens, input.usage.outputTokens);
      if (cost === undefined) return fail(`no price is known for ${input.modelId}`);
      const usd = `$${cost.toPrecision(2)}`;
      return verdict(cost <= check.threshold, usd, usd);
    }
    case 'llm-rubric': {
      const rubric = filled(check.value, variables);
      if ('problem' in rubric) return fail(rubric.problem);
      const grade = input.grades?.find((g) => g.key === gradeKey(check.model, rubric.text));
      if (!grade) return { pass: null, reason: 'not graded yet' };
      if (grade.error)
        return fail(`the grader failed: ${grade.error.name}: ${grade.error.message}`);
      return { pass: grade.pass ?? false, reason: grade.reason };
    }
    default:
      return unreachable(check);
  }
}

/** The rubrics of a cell's model-graded checks, filled for one test case. */
export function rubricsOf(
  checks: readonly Check[],
  variables: Variables,
): { key: string; model: string; rubric: string }[] {
  return checks.flatMap((check) => {
    if (check.type !== 'llm-rubric') return [];
    const rubric = filled(check.value, variables);
    return 'text' in rubric
      ? [{ key: gradeKey(check.model, rubric.text), model: check.model, rubric: rubric.text }]
      : [];
  });
}

/**
 * The grader's instructions. Kept in the system prompt so that the user turn starts with the
 * rubric: what a model quotes first is then the rubric, never the words "PASS or FAIL".
 */
export const GRADER_SYSTEM = [
  'You grade an answer against a rubric.',
  'Reply with one word on the first line, PASS if the answer meets the rubric and FAIL if it does not,',
  'then give your reason in a sentence on the next line.',
].join(' ');

/** The Converse request that asks `model` to grade `answer` against `rubric`. */
export function gradingRequest(model: string, rubric: string, answer: string): ConverseInput {
  return {
    modelId: model,
    system: [{ text: GRADER_SYSTEM }],
    messages: [
      {
        role: 'user',
        content: [
          { text: `Rubric: ${rubric}\n\nThe answer to grade:\n<answer>\n${answer}\n</answer>` },
        ],
      },
    ],
    inferenceConfig: { maxTokens: 300, temperature: 0 },
  };
}

const VERDICT = /\b(PASS(?:ED|ES)?|FAIL(?:ED|S)?)\b/;

/**
 * Reads a grader's verdict, tolerantly: a JSON object with `pass` (boolean) or `verdict`, else
 * PASS or FAIL at the start of a line, else the first PASS or FAIL written in capitals anywhere.
 * The reason is what follows the verdict (or the whole reply). `pass` is null when the reply
 * says neither.
 */
export function readVerdict(reply: string): { pass: boolean | null; reason: string } {
  const trimmed = reply.trim();
  const json = /\{[\s\S]*\}/.exec(trimmed)?.[0];
  if (json) {
    try {
      const value = JSON.parse(json) as Record<string, unknown>;
      const reason = typeof value.reason === 'string' ? value.reason : trimmed;
      if (typeof value.pass === 'boolean') return { pass: value.pass, reason };
      if (typeof value.verdict === 'string' && VERDICT.test(value.verdict.toUpperCase())) {
        return { pass: value.verdict.toUpperCase().startsWith('PASS'), reason };
      }
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  const line = /^[\s*#>"'`_-]*(PASS|FAIL)\w*\b[\s:.,*—-]*(.*)$/im.exec(trimmed);
  const found = line ?? VERDICT.exec(trimmed);
  if (!found) return { pass: null, reason: trimmed || 'The grader gave no reply.' };
  const pass = (found[1] ?? '').startsWith('PASS');
  const rest = line ? trimmed.slice(line.index + line[0].length - (line[2]?.length ?? 0)) : '';
  const reason = rest.trim() || trimmed.slice(found.index + found[0].length).trim() || trimmed;
  return { pass, reason: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason };
}
