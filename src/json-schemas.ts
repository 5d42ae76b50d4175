import { z } from 'zod';
import { InferenceConfigSchema } from '../cells/notebook.ts';
import { adapterFamilyOf } from '../cells/models/catalog.ts';

/**
 * JSON schemas for the JSON editors (validation and completion as you type), derived from zod.
 * The config cell's schema comes from the notebook's own; the native bodies follow the models'
 * documented InvokeModel request fields.
 */

/** What a config cell's editor holds: its fields without `kind` and `id`. */
export const ConfigEditorSchema = InferenceConfigSchema.extend({
  extras: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .describe('Per-target model fields (additionalModelRequestFields), keyed by target id'),
}).strict();

const LlamaBodySchema = z
  .object({
    prompt: z.string().describe('The prompt, in the model’s chat template'),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_gen_len: z.number().int().min(1).max(2048).optional(),
  })
  .strict();

const ClaudeBodySchema = z
  .object({
    anthropic_version: z.literal('bedrock-2023-05-31'),
    max_tokens: z.number().int().min(1),
    system: z.string().optional(),
    messages: z
      .array(
        z.object({
          role: z.enum(['user', 'assistant']),
          content: z.union([
            z.string(),
            z.array(z.object({ type: z.literal('text'), text: z.string() })),
          ]),
        }),
      )
      .min(1),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    stop_sequences: z.array(z.string()).optional(),
  })
  .strict();

const configSchemas = new Map<string, object>();
const llamaSchema = z.toJSONSchema(LlamaBodySchema, { io: 'input' });
const claudeSchema = z.toJSONSchema(ClaudeBodySchema, { io: 'input' });

/** The config cell editor's schema, with the notebook's target ids offered as `extras` keys. */
export function configJsonSchema(targetIds: readonly string[]): object {
  const key = targetIds.join('\n');
  const cached = configSchemas.get(key);
  if (cached) return cached;
  const schema = z.toJSONSchema(ConfigEditorSchema, { io: 'input' }) as Record<string, unknown>;
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  const extras = properties?.extras;
  if (extras && targetIds.length) {
    extras.properties = Object.fromEntries(
      targetIds.map((id) => [id, { type: 'object', description: `Extra fields for ${id}` }]),
    );
  }
  configSchemas.set(key, schema);
  return schema;
}

/** The native body schema for a model, or undefined for a family without one. */
export function nativeBodyJsonSchema(modelId: string): object | undefined {
  switch (adapterFamilyOf(modelId)) {
    case 'llama2':
    case 'llama3':
    case 'llama4':
      return llamaSchema;
    case 'claude':
      return claudeSchema;
    default:
      return undefined;
  }
}
