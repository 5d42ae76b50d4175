import { familyOf, findModel } from '../models/catalog.ts';
import type { ModelFamily } from '../models/catalog.ts';
import type { CompiledRequest, ConverseInput } from '../request.ts';
import type { FileBytes } from './layout.ts';
import { commentText } from './literals.ts';

/** The languages one request can be exported to. */
export const EXPORT_LANGS = ['python', 'javascript', 'java', 'csharp', 'cli'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

/** How to export one compiled request. */
export interface ExportOptions {
  lang: ExportLang;
  /** ConverseStream / InvokeModelWithResponseStream and a loop that prints text as it arrives. */
  streaming: boolean;
  /** The AWS Region the client is created in. */
  region: string;
  /** A named profile from ~/.aws/config; without it the SDK's default credential chain is used. */
  profile?: string;
}

/** Why a request or notebook cannot be exported, said so a person can act on it. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** The four Bedrock Runtime operations an export calls. */
export type Operation =
  'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream';

/**
 * A file the program reads when it runs (an attachment), named by a constant at the top of the
 * program, its path relative to where the program is saved.
 */
export interface ProgramFile {
  /** The constant's name, e.g. `IMAGE_1` (each language's phrases spell it their way). */
  constant: string;
  path: string;
}

/** The image formats Converse takes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

/** The document formats Converse takes. */
export type DocumentFormat =
  'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

/** Bytes the program reads when it runs, from the file a constant at its top names. */
export interface FileSource {
  bytes: FileBytes;
}

/**
 * One content block of a Converse message, in Converse's own shape, except that an attachment's
 * bytes are a `FileBytes`: the program reads them from its file when it runs.
 */
export type ContentPart =
  | { text: string }
  | { image: { format: ImageFormat; source: FileSource } }
  | { document: { format: DocumentFormat; name: string; source: FileSource } };

/** One message of the conversation the program sends. */
export interface ProgramMessage {
  role: 'user' | 'assistant';
  content: ContentPart[];
}

/** One block of a Converse system prompt. */
export type SystemPart = NonNullable<ConverseInput['system']>[number];

/** A Converse call: the input without its model id, which the program keeps in a constant. */
export type ConverseCall = { api: 'converse'; messages: ProgramMessage[] } & Omit<
  ConverseInput,
  'modelId' | 'messages'
>;

/** An InvokeModel call: the native body, and the family that says how to read the answer. */
export interface InvokeCall {
  api: 'invoke';
  family: ModelFamily;
  body: Record<string, unknown>;
}

/**
 * What one exported program says, whatever its language: the typed description every per-cell
 * template is filled from.
 */
export interface RequestProgram {
  modelId: string;
  /** "Claude 3 Haiku", or the model id when the catalog does not know it (comment-safe). */
  modelName: string;
  operation: Operation;
  streaming: boolean;
  region: string;
  /** A named profile; the default credential chain when undefined. */
  profile: string | undefined;
  /** Files read at run time, declared as constants at the top (attachments; none yet). */
  files: ProgramFile[];
  call: ConverseCall | InvokeCall;
}

/** The typed description of the program that sends `request` (see RequestProgram). */
export function describeRequest(request: CompiledRequest, options: ExportOptions): RequestProgram {
  let call: ConverseCall | InvokeCall;
  if (request.api === 'converse') {
    const { system, messages, inferenceConfig, additionalModelRequestFields } = request.input;
    call = { api: 'converse', system, messages, inferenceConfig, additionalModelRequestFields };
  } else {
    call = { api: 'invoke', family: nativeFamily(request.modelId), body: request.body };
  }
  return {
    modelId: request.modelId,
    modelName: modelName(request.modelId),
    operation: operationOf(request.api, options.streaming),
    streaming: options.streaming,
    region: options.region,
    profile: options.profile,
    files: [],
    call,
  };
}

/** "Claude 3 Haiku", or the model id when the catalog does not know it (comment-safe). */
export function modelName(modelId: string): string {
  return commentText(findModel(modelId)?.name ?? modelId);
}

/** The native family of a model called through InvokeModel, or an ExportError naming it. */
export function nativeFamily(modelId: string): ModelFamily {
  const family = familyOf(modelId);
  if (family === undefined) {
    throw new ExportError(
      `Cannot export InvokeModel for "${modelId}": the exporters read the native answers of Claude, Llama 2 and Llama 3 only. Use the Converse API for this model.`,
    );
  }
  return family;
}

/** The API operation an API and streaming choice call. */
export function operationOf(api: CompiledRequest['api'], streaming: boolean): Operation {
  if (api === 'converse') return streaming ? 'ConverseStream' : 'Converse';
  return streaming ? 'InvokeModelWithResponseStream' : 'InvokeModel';
}

/** Words wrapped into comment lines no wider than `width`, each starting with `prefix`. */
export function wrapComment(text: string, prefix: string, width = 96): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line !== prefix) {
      lines.push(line);
      line = prefix;
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The opening sentence of every export, so a reader knows what it does and where it came from. */
export function headline(program: RequestProgram, streaming = program.streaming): string {
  const how =
    program.call.api === 'converse'
      ? streaming
        ? 'the Converse API, printing the answer as it streams'
        : 'the Converse API'
      : streaming
        ? "the model's native InvokeModel API, printing the answer as it streams"
        : "the model's native InvokeModel API";
  return `Send a prompt to ${program.modelName} through ${how}. Exported from Bedrock Playground.`;
}
