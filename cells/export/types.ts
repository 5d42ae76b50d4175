import { familyOf, findModel } from '../models/catalog.ts';
import type { ModelFamily } from '../models/catalog.ts';
import { mapFileRefs } from '../request.ts';
import type { CompiledRequest, ConverseInput, FileRef } from '../request.ts';
import { FileBytes } from './layout.ts';
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

export type { DocumentFormat, ImageFormat } from '../attachments.ts';
import type { DocumentFormat, ImageFormat } from '../attachments.ts';

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
  /** Files read at run time, declared as constants at the top (attachments). */
  files: ProgramFile[];
  call: ConverseCall | InvokeCall;
}

/** The typed description of the program that sends `request` (see RequestProgram). */
export function describeRequest(request: CompiledRequest, options: ExportOptions): RequestProgram {
  let call: ConverseCall | InvokeCall;
  const files = new ProgramFiles();
  if (request.api === 'converse') {
    const { system, messages, inferenceConfig, additionalModelRequestFields } = request.input;
    call = {
      api: 'converse',
      system,
      messages: files.read(messages, 'bytes') as ProgramMessage[],
      inferenceConfig,
      additionalModelRequestFields,
    };
  } else {
    call = {
      api: 'invoke',
      family: nativeFamily(request.modelId),
      body: files.read(request.body, 'base64') as Record<string, unknown>,
    };
  }
  return {
    modelId: request.modelId,
    modelName: modelName(request.modelId),
    operation: operationOf(request.api, options.streaming),
    streaming: options.streaming,
    region: options.region,
    profile: options.profile,
    files: files.list,
    call,
  };
}

/**
 * The files a program reads: each `FileRef` of a request becomes a `FileBytes` naming a constant
 * (one per file, named after the part: `CHART`, `Q2_REPORT`), its path the file's path in the
 * workspace, so a program saved in the workspace beside the notebook finds it.
 */
export class ProgramFiles {
  readonly list: ProgramFile[] = [];
  private readonly byPath = new Map<string, string>();

  /** `value` with every `FileRef` replaced by a read of its file (raw, or base64 in JSON). */
  read(value: unknown, encoding: 'bytes' | 'base64'): unknown {
    return mapFileRefs(value, (ref) => new FileBytes(this.constantFor(ref), encoding));
  }

  private constantFor(ref: FileRef): string {
    const known = this.byPath.get(ref.$file);
    if (known) return known;
    const base =
      ref.name
        .replace(/\.[A-Za-z0-9]{1,5}$/, '')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .toUpperCase() || 'FILE';
    const stem = /^[A-Z]/.test(base) ? base : `FILE_${base}`;
    const taken = new Set(this.list.map((f) => f.constant));
    let constant = stem;
    for (let n = 2; taken.has(constant); n++) constant = `${stem}_${n}`;
    this.list.push({ constant, path: ref.$file });
    this.byPath.set(ref.$file, constant);
    return constant;
  }
}

/** Where a value holds files: the path of keys and indexes to each, and the file it reads. */
export function filePlaces(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; file: FileBytes }[] {
  if (value instanceof FileBytes) return [{ path, file: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => filePlaces(item, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => filePlaces(item, [...path, key]));
  }
  return [];
}

/** A native body's JSON with an empty string where each file goes (filled in when it runs). */
export function withoutFiles(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_, item: unknown) => (item instanceof FileBytes ? '' : item)),
  ) as unknown;
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
