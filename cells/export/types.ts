import { familyOf, findModel } from '../models/catalog.ts';
import type { ModelFamily } from '../models/catalog.ts';
import type { CompiledRequest } from '../request.ts';
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

/** What the exporters say about the model in comments and how they read its native answers. */
export interface ModelFacts {
  /** "Claude 3 Haiku", or the model id when the catalog does not know it (comment-safe). */
  name: string;
  /** The native family, needed to read InvokeModel answers; undefined for an unknown model. */
  family: ModelFamily | undefined;
}

export function modelFacts(modelId: string): ModelFacts {
  return {
    name: commentText(findModel(modelId)?.name ?? modelId),
    family: familyOf(modelId),
  };
}

/** The native family of an InvokeModel request, or an ExportError naming the model. */
export function nativeFamily(request: Extract<CompiledRequest, { api: 'invoke' }>): ModelFamily {
  const family = familyOf(request.modelId);
  if (family === undefined) {
    throw new ExportError(
      `Cannot export InvokeModel for "${request.modelId}": the exporters read the native answers of Claude, Llama 2 and Llama 3 only. Use the Converse API for this model.`,
    );
  }
  return family;
}

/** The API operation a request and option pair calls. */
export function operationOf(request: CompiledRequest, streaming: boolean): string {
  if (request.api === 'converse') return streaming ? 'ConverseStream' : 'Converse';
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

/** The opening comment of every export, so a reader knows what it does and where it came from. */
export function headline(request: CompiledRequest, streaming: boolean, prefix: string): string[] {
  return wrapComment(
    `${headlineText(request, streaming)} Exported from Bedrock Playground.`,
    prefix,
  );
}

function headlineText(request: CompiledRequest, streaming: boolean): string {
  const { name } = modelFacts(request.modelId);
  const how =
    request.api === 'converse'
      ? streaming
        ? 'the Converse API, printing the answer as it streams'
        : 'the Converse API'
      : streaming
        ? "the model's native InvokeModel API, printing the answer as it streams"
        : "the model's native InvokeModel API";
  return `Send a prompt to ${name} through ${how}.`;
}
