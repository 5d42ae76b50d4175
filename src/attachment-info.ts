import { formatSize } from '../cells/attachments.ts';
import { mapFileRefs } from '../cells/request.ts';
import type { CompiledRequest, FileRef } from '../cells/request.ts';
import { getAttachmentInfo } from './api-attachments.ts';
import type { AttachmentInfo } from './api-attachments.ts';

/**
 * What the page knows of attachment files (size, digest, pixels), asked of the server once per
 * file and shared by every view; views re-render on `attachment-info` events of `infoEvents`.
 */
const known = new Map<string, AttachmentInfo | { error: string }>();
const asked = new Set<string>();

/** Fires `attachment-info` when a file's info arrives. */
export const infoEvents = new EventTarget();

/** The info of an attachment file, or undefined while it is being asked for. */
export function attachmentInfo(file: string): AttachmentInfo | { error: string } | undefined {
  if (!asked.has(file)) {
    asked.add(file);
    getAttachmentInfo(file).then(
      (info) => remember(file, info),
      (error: unknown) =>
        remember(file, { error: error instanceof Error ? error.message : String(error) }),
    );
  }
  return known.get(file);
}

/** Records what an upload answered, so the page need not ask again. */
export function remember(file: string, info: AttachmentInfo | { error: string }): void {
  asked.add(file);
  known.set(file, info);
  infoEvents.dispatchEvent(new Event('attachment-info'));
}

/** "2.7 KB · sha256 5f3c0ad1…" or what is known so far. */
export function describeFile(file: string): string {
  const info = attachmentInfo(file);
  if (!info) return '…';
  if ('error' in info) return info.error;
  const pixels = info.width !== undefined ? ` · ${info.width}×${info.height}` : '';
  return `${formatSize(info.size)}${pixels} · sha256 ${info.sha256.slice(0, 12)}…`;
}

/** A reference as the request view shows it: name, format, size and digest, never the bytes. */
export function describeRef(ref: FileRef): string {
  return `‹${ref.name} · ${ref.format} · ${describeFile(ref.$file)} · ${ref.$file}›`;
}

/** The request with each file reference written as `describeRef` says, for display. */
export function requestForDisplay(request: CompiledRequest): CompiledRequest {
  return mapFileRefs(request, describeRef) as CompiledRequest;
}

/**
 * A pasted image under a name of its own: the browser often calls a pasted screenshot
 * "image.png", and every paste is its own attachment ("pasted 142503.png", "pasted 142503 2.png").
 */
export function namePasted(file: File, index: number): File {
  if (file.name && file.name !== 'image.png') return file;
  const time = new Date().toISOString().slice(11, 19).replace(/:/g, '');
  const name = `pasted ${time}${index ? ` ${index + 1}` : ''}.${file.type.slice(6)}`;
  return new File([file], name, { type: file.type });
}
