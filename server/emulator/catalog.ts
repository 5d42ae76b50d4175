import { readFileSync } from 'node:fs';
import { z } from 'zod';

// The emulator's world is data (catalog.json): AWS's facts per model, dated and with their
// sources, plus the emulator's own behaviour under `emulator`. It is parsed here once, at start,
// so a broken edit of the file fails loudly with the field it got wrong.

const GEOGRAPHIES = ['us', 'eu', 'apac', 'global'] as const;
/** The prefix of a system-defined inference profile: `us.`, `eu.`, `apac.`, `global.`. */
export type Geography = (typeof GEOGRAPHIES)[number];

const FAMILIES = ['claude', 'llama2', 'llama3', 'llama4', 'nova', 'mistral'] as const;
/** How a model's native InvokeModel body looks and how Converse templates its prompt. */
export type Family = (typeof FAMILIES)[number];

const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/);
const modality = z.enum(['TEXT', 'IMAGE', 'VIDEO', 'EMBEDDING']);

const modelEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+\.[a-z0-9.:-]+$/),
  provider: z.string().min(1),
  name: z.string().min(1),
  lifecycle: z.enum(['ACTIVE', 'LEGACY']),
  inputModalities: z.array(modality).min(1),
  outputModalities: z.array(modality).min(1),
  streaming: z.boolean(),
  /** Regions where the base model id answers with on-demand throughput. */
  onDemandRegions: z.array(region),
  /** Destination Regions of each system-defined profile; "commercial" for every commercial Region. */
  profiles: z.partialRecord(
    z.enum(GEOGRAPHIES),
    z.union([z.array(region).min(1), z.literal('commercial')]),
  ),
  features: z.strictObject({
    systemPrompt: z.boolean(),
    toolUse: z.boolean(),
    reasoning: z.boolean(),
    documentChat: z.boolean(),
    imageInput: z.boolean(),
    countTokens: z.boolean(),
  }),
  maxOutputTokens: z.int().min(1),
  /** Keys of `sources` whose stored copies confirmed facts of this entry. */
  sources: z.array(z.string()),
  unconfirmed: z.string().optional(),
  emulator: z.strictObject({
    family: z.enum(FAMILIES),
    nativeName: z.string().min(1),
    defaultMaxTokens: z.int().min(1),
    textCompletions: z.boolean(),
    firstTokenMs: z.number().min(0),
    tokensPerSecond: z.number().positive(),
    answerTokens: z.tuple([z.int().min(1), z.int().min(1)]),
  }),
});

const catalogFile = z.strictObject({
  $comment: z.string(),
  readOn: z.iso.date(),
  account: z.string().regex(/^\d{12}$/),
  sources: z.record(z.string(), z.strictObject({ title: z.string(), url: z.url() })),
  commercialRegions: z.array(region).min(1),
  geographies: z.record(z.enum(GEOGRAPHIES), z.string()),
  models: z.array(modelEntry).min(1),
});

/** Which of the features AWS lists a model has. */
export type Features = z.infer<typeof modelEntry>['features'];

/** One foundation model the emulator serves. */
export interface ModelSpec {
  id: string;
  name: string;
  provider: string;
  lifecycle: 'ACTIVE' | 'LEGACY';
  inputModalities: readonly string[];
  outputModalities: readonly string[];
  streaming: boolean;
  onDemandRegions: readonly string[];
  /** Destination Regions of each system-defined profile of the model. */
  profiles: Partial<Record<Geography, readonly string[]>>;
  features: Features;
  /** Upper bound of maxTokens / max_tokens / max_gen_len. */
  maxOutputTokens: number;
  family: Family;
  /** The `model` field of Claude's native responses. */
  nativeName: string;
  /** Output budget when the request names none (Converse) or its native default. */
  defaultMaxTokens: number;
  /** Claude v2 / Instant also accept the legacy `prompt` / `completion` body. */
  textCompletions: boolean;
  /** Time to first token at speed 1, in milliseconds. */
  firstTokenMs: number;
  tokensPerSecond: number;
  /** Typical answer length in tokens, before any maxTokens truncation. */
  answerTokens: readonly [number, number];
}

function load(): z.infer<typeof catalogFile> {
  const text = readFileSync(new URL('./catalog.json', import.meta.url), 'utf8');
  const result = catalogFile.safeParse(JSON.parse(text));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `server/emulator/catalog.json: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
    );
  }
  return result.data;
}

const file = load();

/** The day AWS's pages were read, the sources, and the account that owns system profiles. */
export const CATALOG = {
  readOn: file.readOn,
  account: file.account,
  sources: file.sources,
  commercialRegions: file.commercialRegions,
  geographies: file.geographies,
} as const;

export const MODELS: readonly ModelSpec[] = file.models.map(({ emulator, profiles, ...entry }) => ({
  ...entry,
  ...emulator,
  profiles: Object.fromEntries(
    Object.entries(profiles).map(([geography, regions]) => [
      geography,
      regions === 'commercial' ? file.commercialRegions : regions,
    ]),
  ),
}));
