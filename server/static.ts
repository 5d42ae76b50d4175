import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';

/**
 * The page runs only its own scripts: model output is sanitized before it is rendered, and this
 * is the second wall. Monaco needs inline styles, data: fonts and workers from blob: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Bedrock Playground</title>
<p>The Bedrock Playground API is running, but the page has not been built yet. Run <code>npm start</code>
(it builds the page first) or <code>npm run build</code>.</p>`;

/** Serves the Vite build. Unknown paths without an extension get index.html (one-page app). */
export async function serveStatic(
  distDir: string,
  urlPath: string,
  res: ServerResponse,
): Promise<void> {
  const root = path.resolve(distDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    decoded = '/';
  }
  let file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (file !== root && !file.startsWith(root + path.sep)) file = path.join(root, 'index.html');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory() || (!info && path.extname(file) === '')) {
    file = path.join(root, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    if (path.basename(file) === 'index.html') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CONTENT_SECURITY_POLICY,
      });
      res.end(NOT_BUILT);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
    }
    return;
  }
  const hashed = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(path.extname(file) === '.html'
      ? { 'content-security-policy': CONTENT_SECURITY_POLICY }
      : {}),
  });
  // A read error after the headers (the build replaced mid-request, an I/O error) ends this
  // response only, never the server.
  pipeline(createReadStream(file), res, (error) => {
    if (error) res.destroy();
  });
}
