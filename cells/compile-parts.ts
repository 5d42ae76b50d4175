import { ATTACHMENT_LIMITS, documentNamesProblem } from './attachments.ts';
import { adapterFamilyOf, findModel } from './models/catalog.ts';
import type { ConversationContext, Turn } from './models/types.ts';
import type { AttachmentPart, PromptPart } from './notebook.ts';
import type { ContentBlock, FileRef } from './request.ts';
import { unreachable } from './unreachable.ts';

/**
 * What happens to a prompt's images and documents on the way to a request: a model that cannot
 * take a part gets a warning and the part left out (never a silent drop), and what is sent is
 * checked against Bedrock's limits in Bedrock's own words before it is sent.
 */

/** The user turn of a prompt's parts: its text (the text parts joined) and, with more, its parts. */
export function userTurn(parts: readonly PromptPart[]): Turn {
  const text = parts
    .filter((part) => part.kind === 'text')
    .map((part) => part.text)
    .filter((part) => part.trim())
    .join('\n\n');
  const [only] = parts;
  if (parts.length === 1 && only?.kind === 'text') return { role: 'user', text: only.text };
  return { role: 'user', text, parts: [...parts] };
}

/** The reference a request holds where the part's bytes go. */
export function fileRef(part: AttachmentPart): FileRef {
  return { $file: part.file, name: part.name, format: part.format };
}

/** A turn's Converse content blocks: its parts in order (blank text left out), or its text. */
export function converseContent(turn: Turn): ContentBlock[] {
  if (!turn.parts) return [{ text: turn.text }];
  return turn.parts.flatMap((part): ContentBlock[] => {
    switch (part.kind) {
      case 'text':
        return part.text.trim() ? [{ text: part.text }] : [];
      case 'image':
        return [{ image: { format: part.format, source: { bytes: fileRef(part) } } }];
      case 'document':
        return [
          {
            document: { format: part.format, name: part.name, source: { bytes: fileRef(part) } },
          },
        ];
      default:
        return unreachable(part);
    }
  });
}

/**
 * Which parts a model takes through an API: Converse by the model's facts (image input,
 * document chat; a model the facts do not know is sent everything, and Bedrock judges); a native
 * body by what its family's body can hold (Claude's Messages images and, on the models that read
 * them, PDFs; Nova's images; Llama's and Mistral's text prompts nothing).
 */
export function accepts(
  api: 'converse' | 'invoke',
  modelId: string,
  part: AttachmentPart,
): boolean {
  const model = findModel(modelId);
  const images = model ? model.inputModalities.includes('IMAGE') : true;
  if (api === 'converse')
    return part.kind === 'image' ? images : (model?.features.documents ?? true);
  switch (adapterFamilyOf(modelId)) {
    case 'claude':
      return part.kind === 'image' ? images : part.format === 'pdf' && readsPdf(modelId);
    case 'nova':
      return part.kind === 'image' && images;
    default:
      return false;
  }
}

/**
 * Claude models whose Messages body takes PDF document blocks: 3.5 Sonnet v2 and the models with
 * extended thinking (3.7 and the Claude 4 family).
 */
function readsPdf(modelId: string): boolean {
  const model = findModel(modelId);
  if (!model) return true;
  return model.features.reasoning || model.id === 'anthropic.claude-3-5-sonnet-20241022-v2:0';
}

const plural = (kind: AttachmentPart['kind']) => (kind === 'image' ? 'images' : 'documents');

/**
 * The context with the parts the model cannot take left out, and a warning for each kind left
 * out, naming the parts.
 */
export function keepAccepted(
  ctx: ConversationContext,
  api: 'converse' | 'invoke',
  modelId: string,
): string[] {
  const dropped: AttachmentPart[] = [];
  ctx.messages = ctx.messages.map((turn) => {
    if (!turn.parts) return turn;
    const kept = turn.parts.filter((part) => {
      if (part.kind === 'text' || accepts(api, modelId, part)) return true;
      dropped.push(part);
      return false;
    });
    return kept.length === turn.parts.length ? turn : { ...turn, parts: kept };
  });
  const name = findModel(modelId)?.name ?? modelId;
  const how = api === 'converse' ? 'through Converse' : 'in its InvokeModel body';
  return (['image', 'document'] as const).flatMap((kind) => {
    const parts = dropped.filter((part) => part.kind === kind);
    if (!parts.length) return [];
    const names = parts.map((part) => `"${part.name}"`).join(', ');
    const what =
      kind === 'document' && api === 'invoke' && adapterFamilyOf(modelId) === 'claude'
        ? 'documents other than PDFs'
        : plural(kind);
    return [
      `${name} cannot take ${what} ${how}: ${names} ${parts.length === 1 ? 'is' : 'are'} left out of the request`,
    ];
  });
}

/**
 * Bedrock's limits on what one request sends, checked before it is sent: at most 20 images and
 * 5 documents, document names by its rule and each once. Returns Bedrock's own message for the
 * first one broken.
 */
export function limitProblem(ctx: ConversationContext): string | undefined {
  const parts = ctx.messages.flatMap((turn) => turn.parts ?? []);
  const images = parts.filter((part) => part.kind === 'image');
  const documents = parts.filter((part) => part.kind === 'document');
  if (images.length > ATTACHMENT_LIMITS.images) {
    return `The request contains ${images.length} images: you can include up to ${ATTACHMENT_LIMITS.images} images in a request.`;
  }
  return documentNamesProblem(documents.map((part) => part.name));
}
