import { z } from 'zod';
import { attachmentPathProblem, DOCUMENT_FORMATS, IMAGE_FORMATS } from './attachments.ts';
import { CheckSchema, MAX_CHECKS } from './checks.ts';

/**
 * The notebook model. Schemas are written once; `z.input` is the spec type (what is stored,
 * optional fields) and `z.output` the normalized type code works with (defaults filled in).
 */

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'may contain only letters, digits, "-" and "_"');

export const ApiSchema = z.enum(['converse', 'invoke']);
/** Which Bedrock Runtime API a target is called through. */
export type Api = z.infer<typeof ApiSchema>;

export const InferenceConfigSchema = z.object({
  maxTokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  stopSequences: z.array(z.string().min(1)).max(2500).optional(),
});
export type InferenceConfig = z.infer<typeof InferenceConfigSchema>;

/**
 * What makes a target a variant of its model: a system prompt of its own (an empty one means
 * none) and inference settings that win over the config cells' (Haiku at temperature 0 and at 1).
 */
export const TargetOverridesSchema = z.object({
  system: z.string().max(8000).optional(),
  ...InferenceConfigSchema.shape,
});
export type TargetOverrides = z.infer<typeof TargetOverridesSchema>;

export const TargetSchema = z.object({
  /** Stable id, referenced by config extras and run records. */
  id,
  /** What the column is called in the UI. */
  label: z.string().min(1).max(100),
  /** A Bedrock model id or foundation-model ARN. */
  modelId: z.string().min(1).max(2048),
  api: ApiSchema,
  overrides: TargetOverridesSchema.optional(),
});
export type Target = z.infer<typeof TargetSchema>;

const markdownCell = z.object({ kind: z.literal('markdown'), id, text: z.string().default('') });
const systemCell = z.object({ kind: z.literal('system'), id, text: z.string().default('') });
const configCell = z.object({
  kind: z.literal('config'),
  id,
  ...InferenceConfigSchema.shape,
  /** Per-target model fields (Converse `additionalModelRequestFields`), keyed by target id. */
  extras: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
/** A file in the workspace's `attachments/` folder, named relative to the workspace. */
const attachmentFile = z.string().superRefine((path, ctx) => {
  const problem = attachmentPathProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const textPart = z.object({ kind: z.literal('text'), text: z.string() });
const imagePart = z.object({
  kind: z.literal('image'),
  file: attachmentFile,
  format: z.enum(IMAGE_FORMATS),
  /** What the page shows (the file's name when it was attached). */
  name: z.string().min(1).max(200),
});
const documentPart = z.object({
  kind: z.literal('document'),
  file: attachmentFile,
  format: z.enum(DOCUMENT_FORMATS),
  /** The name Bedrock is given (its rule is checked when the prompt compiles). */
  name: z.string().min(1).max(200),
});
export const PromptPartSchema = z.discriminatedUnion('kind', [textPart, imagePart, documentPart]);
/** One part of a prompt: text, an image or a document. */
export type PromptPart = z.infer<typeof PromptPartSchema>;
/** An image or document part. */
export type AttachmentPart = Exclude<PromptPart, { kind: 'text' }>;

/** The most parts after a prompt's text: far more than Bedrock's 20 images and 5 documents. */
export const MAX_PROMPT_PARTS = 100;

/** The most times a prompt cell may run each test case. */
export const MAX_REPEAT = 100;

const promptCell = z.object({
  kind: z.literal('prompt'),
  id,
  text: z.string().default(''),
  /** Starts a new conversation thread instead of continuing the one above. */
  newThread: z.boolean().default(false),
  /**
   * What follows `text` in the user message, in order: images, documents and more text. The
   * prompt's parts are `text` then these (see `promptParts`).
   */
  parts: z.array(PromptPartSchema).max(MAX_PROMPT_PARTS).default([]),
  /** How many times each test case runs, to see how much the answers vary. */
  repeat: z.number().int().min(1).max(MAX_REPEAT).default(1),
  /** What every answer is checked for, per test case. */
  checks: z.array(CheckSchema).max(MAX_CHECKS).default([]),
});
/**
 * Test cases: a table (CSV or JSON lines, in the cell or in a workspace file) whose columns fill
 * the `{{variables}}` of the cells below it, until the next data cell.
 */
const dataCell = z.object({
  kind: z.literal('data'),
  id,
  format: z.enum(['csv', 'jsonl']).default('csv'),
  /** The table as written (empty when `file` holds it). */
  text: z.string().default(''),
  /** A CSV or JSON-lines file in the workspace that holds the table instead. */
  file: z.string().min(1).max(200).optional(),
});
const assistantCell = z.object({ kind: z.literal('assistant'), id, text: z.string().default('') });
const nativeCell = z.object({
  kind: z.literal('native'),
  id,
  /** The model this body is for; a native cell runs against this model only. */
  modelId: z.string().min(1).max(2048),
  /** The InvokeModel body exactly as written (kept as text so hand edits survive). */
  body: z.string().default('{}'),
});

/**
 * A config cell's fields as pretty JSON, in schema order, unset fields left out: its content in
 * the notebook file, and what its editor shows when the keyboard is not in it.
 */
export function configText(cell: InferenceConfig & { extras: Record<string, unknown> }): string {
  const fields: Record<string, unknown> = {};
  if (cell.maxTokens !== undefined) fields.maxTokens = cell.maxTokens;
  if (cell.temperature !== undefined) fields.temperature = cell.temperature;
  if (cell.topP !== undefined) fields.topP = cell.topP;
  if (cell.stopSequences !== undefined) fields.stopSequences = cell.stopSequences;
  if (Object.keys(cell.extras).length) fields.extras = cell.extras;
  return JSON.stringify(fields, null, 2);
}

/**
 * A prompt cell's parts in the order they are sent: its text (left out when empty and other
 * parts follow), then `parts`.
 */
export function promptParts(cell: { text: string; parts: readonly PromptPart[] }): PromptPart[] {
  const lead: PromptPart[] =
    cell.text || !cell.parts.length ? [{ kind: 'text', text: cell.text }] : [];
  return [...lead, ...cell.parts];
}

/** The prompt cell fields for an ordered list of parts: the first text part becomes `text`. */
export function withPromptParts(parts: readonly PromptPart[]): {
  text: string;
  parts: PromptPart[];
} {
  const [first, ...rest] = parts;
  if (first?.kind === 'text') return { text: first.text, parts: rest };
  return { text: '', parts: [...parts] };
}

export const CellSchema = z.discriminatedUnion('kind', [
  markdownCell,
  systemCell,
  configCell,
  promptCell,
  assistantCell,
  nativeCell,
  dataCell,
]);
/** A cell as code uses it: every field present. */
export type Cell = z.output<typeof CellSchema>;
/** A cell as it may be stored or sent: defaults may be left out. */
export type CellSpec = z.input<typeof CellSchema>;
export type CellKind = Cell['kind'];
export const CELL_KINDS = CellSchema.options.map((o) => o.shape.kind.value);

/** The most cells a notebook may have: far more than a page of editors stays usable with. */
export const MAX_CELLS = 1000;

export const NotebookSchema = z
  .object({
    version: z.literal(1).default(1),
    title: z.string().max(200).default('Untitled'),
    targets: z.array(TargetSchema).max(8).default([]),
    cells: z.array(CellSchema).max(MAX_CELLS).default([]),
  })
  .superRefine((nb, ctx) => {
    for (const [field, ids] of [
      ['targets', nb.targets.map((t) => t.id)],
      ['cells', nb.cells.map((c) => c.id)],
    ] as const) {
      const seen = new Set<string>();
      ids.forEach((value, index) => {
        if (seen.has(value)) {
          ctx.addIssue({
            code: 'custom',
            path: [field, index, 'id'],
            message: `duplicate id "${value}"`,
          });
        }
        seen.add(value);
      });
    }
  });
export type Notebook = z.output<typeof NotebookSchema>;
export type NotebookSpec = z.input<typeof NotebookSchema>;

/** Fills in defaults; throws a ZodError naming the field when the spec is invalid. */
export function toNotebook(spec: unknown): Notebook {
  return NotebookSchema.parse(spec);
}

/** Formats a zod error as one line per problem, each naming the field ("cells.2.text: …"). */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
