import { z } from 'zod';
import { errorFrom, getJson, whenSignedIn, xsrfHeader } from './api.ts';

export const AttachmentInfoSchema = z.object({
  file: z.string(),
  size: z.number(),
  sha256: z.string(),
  width: z.number().optional(),
  height: z.number().optional(),
});
/** What the server says of an attachment file: size, digest, an image's pixels. */
export type AttachmentInfo = z.infer<typeof AttachmentInfoSchema>;

const UploadedSchema = AttachmentInfoSchema.extend({
  kind: z.enum(['image', 'document']),
  format: z.string(),
  name: z.string(),
});
export type Uploaded = z.infer<typeof UploadedSchema>;

/** The URL of an attachment's bytes (for a thumbnail or a preview). */
export function attachmentUrl(file: string): string {
  return `/api/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/** Stores a file in the workspace's attachments; the server checks Bedrock's limits first. */
export async function uploadAttachment(file: File): Promise<Uploaded> {
  await whenSignedIn();
  const response = await fetch(`/api/attachments?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...xsrfHeader() },
    body: file,
  });
  if (!response.ok) throw await errorFrom(response);
  return UploadedSchema.parse(await response.json());
}

/** The size, digest and pixels of an attachment file. */
export function getAttachmentInfo(file: string): Promise<AttachmentInfo> {
  return getJson(`${attachmentUrl(file)}/info`, AttachmentInfoSchema);
}
