import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DUPLICATE_DOCUMENT_NAMES, IMAGE_FORMAT_MISMATCH } from '../../cells/attachments.ts';
import { compile } from '../../cells/compile.ts';
import { parseNotebook } from '../../cells/format.ts';
import type { CompiledRequest } from '../../cells/request.ts';
import { authorization } from '../support/http.ts';
import { guideImage, makePng } from '../support/example-attachments.ts';
import { useServer } from '../support/server.ts';

const context = useServer();

function upload(name: string, bytes: Uint8Array, auth = true) {
  return fetch(`${context.server.url}api/attachments?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...(auth ? authorization() : {}) },
    body: Buffer.from(bytes),
  });
}

/** The files in the workspace's attachments folder, temporary ones included. */
async function stored(): Promise<string[]> {
  return (await readdir(path.join(context.dir, 'attachments'))).sort();
}

async function run(
  request: CompiledRequest,
  record?: { notebook: string; cellId: string; targetId: string },
) {
  const res = await fetch(`${context.server.url}api/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization() },
    body: JSON.stringify({
      target: { modelId: request.modelId, api: request.api },
      request,
      record,
    }),
  });
  const body = await res.text();
  if (res.status !== 200)
    return { status: res.status, text: (JSON.parse(body) as { error: string }).error };
  // The answer's text events, joined.
  const events = body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; text?: string });
  return {
    status: res.status,
    text: events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join(''),
  };
}

const example = async () =>
  parseNotebook(await readFile(path.join(context.dir, 'images-and-documents.md'), 'utf8'));

describe('attachments in the workspace', () => {
  it('stores an upload once, under its digest, private to its user', async () => {
    const png = makePng(3, 2, (x) => [x * 80, 0, 0]);
    const res = await upload('tiny chart.png', png);
    expect(res.status).toBe(200);
    const info = (await res.json()) as Record<string, unknown>;
    const sha256 = createHash('sha256').update(png).digest('hex');
    expect(info).toEqual({
      file: `attachments/${sha256.slice(0, 16)}.png`,
      kind: 'image',
      format: 'png',
      name: 'tiny chart.png',
      size: png.length,
      sha256,
      width: 3,
      height: 2,
    });
    const again = (await (await upload('other name.png', png)).json()) as { file: string };
    expect(again.file).toBe(info.file);
    const file = path.join(context.dir, info.file as string);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file)).toEqual(Buffer.from(png));
  });

  it('names an uploaded document by Bedrock’s rule', async () => {
    const res = await upload('q2_report.final.txt', new TextEncoder().encode('Revenue grew.'));
    expect(((await res.json()) as { name: string }).name).toBe('q2 report final');
  });

  it('needs the token', async () => {
    expect((await upload('a.png', guideImage(), false)).status).toBe(401);
  });

  const refusals: [string, string, () => Uint8Array, number, RegExp][] = [
    [
      'a 4 MB PNG',
      'big.png',
      () => {
        const png = guideImage();
        const big = new Uint8Array(4 * 1024 * 1024);
        big.set(png);
        return big;
      },
      413,
      /"big.png" is 4 MB: Bedrock takes images of at most 3.75 MB each/,
    ],
    [
      'a bmp',
      'picture.bmp',
      () => new Uint8Array([0x42, 0x4d, 0, 0]),
      415,
      /not a format Bedrock takes: images must be png, jpeg, gif, webp/,
    ],
    [
      'bytes that are not a PNG but say png',
      'fake.png',
      () => new TextEncoder().encode('GIF89a but called png'),
      400,
      new RegExp(`${IMAGE_FORMAT_MISMATCH} "fake.png" says png, but its bytes are gif`),
    ],
    [
      'a document over 4.5 MB',
      'huge.txt',
      () => new Uint8Array(5 * 1024 * 1024).fill(65),
      413,
      /"huge.txt" is larger than 4.5 MB/,
    ],
  ];
  for (const [what, name, bytes, status, message] of refusals) {
    it(`refuses ${what} before writing anything`, async () => {
      const before = await stored();
      const res = await upload(name, bytes());
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
      expect(await stored()).toEqual(before);
    });
  }

  it('never reads an attachment through a symbolic link', async () => {
    await symlink('/etc/hostname', path.join(context.dir, 'attachments', 'linked.png'));
    const res = await fetch(`${context.server.url}api/attachments/linked.png`, {
      headers: authorization(),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /linked.png is a symbolic link/,
    );
  });

  it('serves an image inline and any other file only as a sandboxed download', async () => {
    const image = await fetch(`${context.server.url}api/attachments/guide-image.png`, {
      headers: authorization(),
    });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(guideImage());
    const pdf = await fetch(`${context.server.url}api/attachments/q2-report.pdf`, {
      headers: authorization(),
    });
    expect(pdf.headers.get('content-type')).toBe('application/octet-stream');
    expect(pdf.headers.get('content-disposition')).toBe('attachment');
    expect(pdf.headers.get('content-security-policy')).toContain('sandbox');
  });
});

describe('runs with attachments', () => {
  it('sends the files, and records each part by name, format, size and digest, never the bytes', async () => {
    const notebook = await example();
    const target = notebook.targets.find((t) => t.id === 'haiku')!;
    const { request } = compile(notebook, 'describe', target);
    const answer = await run(request, {
      notebook: 'images-and-documents',
      cellId: 'describe',
      targetId: 'haiku',
    });
    expect(answer.text).toContain('a 160×120 PNG');
    const log = await readFile(path.join(context.dir, 'images-and-documents.runs.jsonl'), 'utf8');
    const record = JSON.parse(log.trim().split('\n').at(-1)!) as Record<string, unknown>;
    const png = guideImage();
    expect(record.attachments).toEqual([
      {
        file: 'attachments/guide-image.png',
        name: 'guide-image.png',
        format: 'png',
        size: png.length,
        sha256: createHash('sha256').update(png).digest('hex'),
      },
    ]);
    expect(log).not.toContain(png.toString('base64').slice(0, 40));
  });

  it('sends the files of a grid’s prompt on every call, and records them by name and digest', async () => {
    const notebook = await example();
    const target = notebook.targets.find((t) => t.id === 'haiku')!;
    const { request } = compile(notebook, 'describe', target);
    const res = await fetch(`${context.server.url}api/grid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization() },
      body: JSON.stringify({
        notebook: 'images-and-documents',
        cellId: 'describe',
        rows: [{}],
        requests: [{ targetId: 'haiku', row: 0, request }],
        calls: [
          { request: 0, repeat: 0 },
          { request: 0, repeat: 1 },
        ],
      }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const log = await readFile(path.join(context.dir, 'images-and-documents.runs.jsonl'), 'utf8');
    const records = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string; attachments?: { name: string }[] })
      .slice(-2);
    for (const record of records) {
      expect(record.text).toContain('a 160×120 PNG');
      expect(record.attachments?.map((a) => a.name)).toEqual(['guide-image.png']);
    }
    expect(log).not.toContain(guideImage().toString('base64').slice(0, 40));
  });

  it('reads a PDF: its name, pages and first words reach the answer', async () => {
    const notebook = await example();
    const { request } = compile(notebook, 'report', notebook.targets[0]!);
    const answer = await run(request);
    expect(answer.text).toContain(
      '"Q2 report" is a PDF of 2 pages that begins "Q2 report: AnyCompany earnings',
    );
  });

  it('refuses a file over Bedrock’s limit before sending, and records nothing', async () => {
    await mkdir(path.join(context.dir, 'attachments'), { recursive: true });
    const big = new Uint8Array(4 * 1024 * 1024);
    big.set(guideImage());
    await writeFile(path.join(context.dir, 'attachments', 'placed.png'), big, { mode: 0o600 });
    const notebook = await example();
    const describeCell = notebook.cells.find((c) => c.id === 'describe')!;
    if (describeCell.kind !== 'prompt') throw new Error('expected a prompt');
    describeCell.parts = describeCell.parts.map((part) =>
      part.kind === 'image'
        ? { ...part, file: 'attachments/placed.png', name: 'placed.png' }
        : part,
    );
    const { request } = compile(notebook, 'describe', notebook.targets[0]!);
    const logFile = path.join(context.dir, 'images-and-documents.runs.jsonl');
    const before = await readFile(logFile, 'utf8').catch(() => '');
    const answer = await run(request, {
      notebook: 'images-and-documents',
      cellId: 'describe',
      targetId: 'haiku',
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toMatch(
      /"placed.png" is 4 MB: Bedrock takes images of at most 3.75 MB each: it was not sent/,
    );
    expect(await readFile(logFile, 'utf8').catch(() => '')).toBe(before);
  });
});

describe('a request edited by hand', () => {
  it('refuses two documents of one name before sending, in Bedrock’s words, and records nothing', async () => {
    const notebook = await example();
    const { request } = compile(notebook, 'report', notebook.targets[0]!);
    if (request.api !== 'converse') throw new Error('expected a Converse request');
    const [report, questions] = request.input.messages[0]!.content;
    // The same name twice, as a hand-edited notebook file or a page's stale copy could send it.
    request.input.messages[0]!.content = [report!, report!, questions!];
    const logFile = path.join(context.dir, 'images-and-documents.runs.jsonl');
    const before = await readFile(logFile, 'utf8').catch(() => '');
    const answer = await run(request, {
      notebook: 'images-and-documents',
      cellId: 'report',
      targetId: 'haiku',
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toBe(
      `${DUPLICATE_DOCUMENT_NAMES} (two documents are named "Q2 report"): it was not sent.`,
    );
    expect(await readFile(logFile, 'utf8').catch(() => '')).toBe(before);
  });
});
