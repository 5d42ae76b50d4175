import { z } from 'zod';
import { DOCUMENT_FORMATS, IMAGE_FORMATS } from './attachments.ts';

/**
 * The exact request a cell compiles to for one target. The UI shows it, the server sends it,
 * the exporters turn it into code: one source of truth.
 */

const TextBlockSchema = z.object({ text: z.string() });

/**
 * Where a request holds an attachment's bytes, it holds this reference instead: the file in the
 * workspace (`attachments/…`), with the part's name and format. The server reads the file when
 * it sends (a Converse blob, or base64 in a native JSON body); the page shows the reference as
 * name, format, size and digest; run records keep it, never the bytes.
 */
export const FileRefSchema = z.strictObject({
  $file: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  format: z.string().min(1).max(10),
});
export type FileRef = z.infer<typeof FileRefSchema>;

/** True for a `FileRef` anywhere in a request. */
export function isFileRef(value: unknown): value is FileRef {
  return FileRefSchema.safeParse(value).success;
}

const ImageBlockSchema = z.object({
  image: z.object({ format: z.enum(IMAGE_FORMATS), source: z.object({ bytes: FileRefSchema }) }),
});
const DocumentBlockSchema = z.object({
  document: z.object({
    format: z.enum(DOCUMENT_FORMATS),
    name: z.string().min(1).max(200),
    source: z.object({ bytes: FileRefSchema }),
  }),
});
/** A Converse content block: text, or an image or document whose bytes are a `FileRef`. */
export const ContentBlockSchema = z.union([TextBlockSchema, ImageBlockSchema, DocumentBlockSchema]);
export type ContentBlock = z.infer<typeof ContentBlockSchema>;

export const ConverseMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.array(ContentBlockSchema).min(1),
});
export type ConverseMessage = z.infer<typeof ConverseMessageSchema>;

/** The input of Converse / ConverseStream (attachments as `FileRef`s, read when sent). */
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

/** Every `FileRef` in a value, in document order (a request's attachments as they are sent). */
export function fileRefsIn(value: unknown): FileRef[] {
  if (isFileRef(value)) return [value];
  if (Array.isArray(value)) return (value as unknown[]).flatMap(fileRefsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(fileRefsIn);
  return [];
}

/** `value` with every `FileRef` in it replaced by what `replace` makes of it. */
export function mapFileRefs(value: unknown, replace: (ref: FileRef) => unknown): unknown {
  if (isFileRef(value)) return replace(value);
  if (Array.isArray(value)) return (value as unknown[]).map((item) => mapFileRefs(item, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapFileRefs(item, replace)]),
    );
  }
  return value;
}
