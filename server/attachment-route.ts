import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_UPLOAD_BYTES } from './attachments.ts';
import type { Attachments } from './attachments.ts';
import { decodeName, HttpError, readBytes, sendJson } from './http.ts';

/**
 * `POST /api/attachments?name=FILE` stores an upload; `GET /api/attachments/NAME` answers its
 * bytes (images inline, anything else a sandboxed download) and `…/NAME/info` its size, digest
 * and pixels.
 */
export async function attachmentRoute(
  attachments: Attachments,
  url: URL,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (url.pathname === '/api/attachments' && method === 'POST') {
    const name = url.searchParams.get('name') ?? '';
    if (!name) throw new HttpError('Name the file: POST /api/attachments?name=chart.png', 400);
    const bytes = await readBytes(
      req,
      MAX_UPLOAD_BYTES,
      () =>
        new HttpError(
          `"${name}" is larger than 4.5 MB: Bedrock takes documents of at most 4.5 MB and images of at most 3.75 MB each.`,
          413,
        ),
    );
    return sendJson(res, 200, await attachments.upload(name, bytes));
  }
  const [, file, info] = /^\/api\/attachments\/([^/]+)(\/info)?$/.exec(url.pathname) ?? [];
  if (file === undefined || method !== 'GET') {
    throw new HttpError(`No route for ${method} ${url.pathname}.`, 404);
  }
  const relative = `attachments/${decodeName(file)}`;
  if (info) return sendJson(res, 200, await attachments.info(relative));
  const bytes = await attachments.read(relative);
  const image = /\.(png|jpeg|gif|webp)$/.exec(relative)?.[1];
  res.writeHead(200, {
    // Only images are shown inline; anything else is a download, never a page of this origin.
    'content-type': image ? `image/${image}` : 'application/octet-stream',
    ...(image ? {} : { 'content-disposition': 'attachment' }),
    'content-security-policy': "default-src 'none'; sandbox",
    'content-length': bytes.length,
    'cache-control': 'private, no-cache',
  });
  res.end(bytes);
}
