import { z } from 'zod';

/**
 * The exact request a cell compiles to for one target. The UI shows it, the server sends it,
 * the exporters turn it into code: one source of truth.
 */

const TextBlockSchema = z.object({ text: z.string() });

export const ConverseMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.array(TextBlockSchema).min(1),
});
export type ConverseMessage = z.infer<typeof ConverseMessageSchema>;

/** The input of Converse / ConverseStream (text content; attachments come later). */
export const ConverseInputSchema = z.object({
  modelId: z.string().min(1).max(2048),
  messages: z.array(ConverseMessageSchema).min(1),
  system: z.array(TextBlockSchema).optional(),
  inferenceConfig: z
    .object({
      maxTokens: z.number().int().min(1).optional(),
      temperature: z.number().min(0).max(1).optional(),
      topP: z.number().min(0).max(1).optional(),
      stopSequences: z.array(z.string()).optional(),
    })
    .optional(),
  additionalModelRequestFields: z.record(z.string(), z.unknown()).optional(),
});
export type ConverseInput = z.infer<typeof ConverseInputSchema>;

export const CompiledRequestSchema = z.discriminatedUnion('api', [
  z.object({ api: z.literal('converse'), modelId: z.string().min(1), input: ConverseInputSchema }),
  z.object({
    api: z.literal('invoke'),
    modelId: z.string().min(1).max(2048),
    /** The native JSON body, sent as is. */
    body: z.record(z.string(), z.unknown()),
  }),
]);
/** A request ready to send: ConverseStream input, or a model id and native InvokeModel body. */
export type CompiledRequest = z.infer<typeof CompiledRequestSchema>;

/** What `compile` returns: the request plus what the adapter could not honour. */
export interface Compiled {
  request: CompiledRequest;
  /** Parameters the model ignores or cannot express, said plainly instead of dropped silently. */
  warnings: string[];
}
