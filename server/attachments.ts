import { createHash } from 'node:crypto';
import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  ATTACHMENT_LIMITS,
  ATTACHMENTS_DIR,
  attachmentPathProblem,
  documentNameFrom,
  documentNamesProblem,
  formatFromName,
  IMAGE_FORMAT_MISMATCH,
  isImageFormat,
  oversize,
  unsupportedFormat,
} from '../cells/attachments.ts';
import type { DocumentFormat, ImageFormat } from '../cells/attachments.ts';
import { fileRefsIn, mapFileRefs } from '../cells/request.ts';
import type { CompiledRequest } from '../cells/request.ts';
import type { RunRecord } from '../cells/run-record.ts';
import { kindOf, lstatOrNull, readRegularBytes, writeFileAtomic } from './atomic.ts';
import { readImageHeader } from './emulator/media.ts';
import { HttpError } from './http.ts';

/**
 * Attachments: the bytes of prompts' images and documents, as files in the workspace's
 * `attachments/` folder. An upload is stored under its content's digest
 * (`attachments/<first 16 hex digits of SHA-256>.<format>`), so the same file attached twice,
 * or by two notebooks, is one file, and renaming or copying a notebook needs no file moved.
 * Files are read when a run is sent, under the workspace's rules: never through a symbolic
 * link, regular files only, within Bedrock's size limits.
 */

/** The largest upload: Bedrock's largest attachment, a 4.5 MB document. */
export const MAX_UPLOAD_BYTES = ATTACHMENT_LIMITS.documentBytes;

/** What an upload or a look-up answers: the file and what the page shows of it. */
export interface AttachmentInfo {
  /** The path a prompt part names, relative to the workspace. */
  file: string;
  kind: 'image' | 'document';
  format: ImageFormat | DocumentFormat;
  /** For an upload: the image's file name, or a document name Bedrock takes. */
  name: string;
  size: number;
  sha256: string;
  /** An image's size in pixels, read from its header. */
  width?: number;
  height?: number;
}

/** One attachment of a sent request, for its run record (never the bytes). */
export type SentAttachment = NonNullable<RunRecord['attachments']>[number];

export class Attachments {
  constructor(
    /** The workspace folder. */
    private readonly workspace: string,
  ) {}

  private get dir(): string {
    return path.join(this.workspace, ATTACHMENTS_DIR);
  }

  /** The folder, created private on first use; a link or a file in its place is refused. */
  private async folder(create: boolean): Promise<string> {
    const info = await lstatOrNull(this.dir);
    if (!info && create) await mkdir(this.dir, { mode: 0o700 });
    const now = info ?? (await lstat(this.dir).catch(() => null));
    if (now && !now.isDirectory()) {
      throw new HttpError(
        `${ATTACHMENTS_DIR} in the workspace is ${kindOf(now)}: the playground keeps attachments only in a folder of that name.`,
        403,
      );
    }
    return this.dir;
  }

  /**
   * Stores an uploaded file, refusing what Bedrock would refuse (a format it does not take,
   * bytes that are not the image format their name says, a file over its size limit) before
   * anything is written. Writes atomically; a file already stored is not written again.
   */
  async upload(fileName: string, bytes: Buffer): Promise<AttachmentInfo> {
    const type = formatFromName(fileName);
    if (!type) throw new HttpError(`${unsupportedFormat(fileName)}.`, 415);
    const tooLarge = oversize(type.kind, fileName, bytes.length);
    if (tooLarge) throw new HttpError(`${tooLarge}.`, 413);
    const header = type.kind === 'image' ? readImageHeader(bytes) : undefined;
    if (type.kind === 'image' && header?.format !== type.format) {
      throw new HttpError(
        `${IMAGE_FORMAT_MISMATCH} "${fileName}" says ${type.format}, but its bytes are ${header ? header.format : 'not an image Bedrock takes'}.`,
        400,
      );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = `${ATTACHMENTS_DIR}/${sha256.slice(0, 16)}.${type.format}`;
    const target = path.join(await this.folder(true), path.basename(file));
    const existing = await lstatOrNull(target);
    if (!existing || !existing.isFile() || existing.size !== bytes.length) {
      await writeFileAtomic(target, bytes);
    }
    const name = type.kind === 'document' ? documentNameFrom(fileName) : path.basename(fileName);
    return {
      file,
      kind: type.kind,
      format: type.format,
      name,
      size: bytes.length,
      sha256,
      ...size(header),
    };
  }

  /** The bytes of an attachment file, under the workspace's rules; 404 when it is missing. */
  async read(file: string): Promise<Buffer> {
    const problem = attachmentPathProblem(file);
    if (problem) throw new HttpError(`${problem}.`, 400);
    await this.folder(false);
    const read = await readRegularBytes(
      path.join(this.dir, path.basename(file)),
      MAX_UPLOAD_BYTES,
      'an attachment (Bedrock takes documents of at most 4.5 MB)',
    );
    if (!read) {
      throw new HttpError(
        `The attachment ${file} is missing from the workspace: attach the file again.`,
        404,
      );
    }
    return read.bytes;
  }

  /** What the page shows of an attachment file: its size, digest and (an image's) pixels. */
  async info(file: string): Promise<Omit<AttachmentInfo, 'name' | 'kind' | 'format'>> {
    const bytes = await this.read(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { file, size: bytes.length, sha256, ...size(readImageHeader(bytes)) };
  }

  /**
   * The request as it is sent: each `FileRef` replaced by its file's bytes (a blob in a Converse
   * input, base64 text in a native JSON body), each checked against Bedrock's limit for its kind
   * before anything is sent; and the attachments' names, formats, sizes and digests for the run
   * record.
   */
  async resolve(
    request: CompiledRequest,
    /** Files already read for other requests of the same run (a grid's), read once for all. */
    files: FileCache = new Map(),
  ): Promise<{ send: CompiledRequest; sent: SentAttachment[] }> {
    const refs = fileRefsIn(request);
    if (!refs.length) return { send: request, sent: [] };
    // Converse sends each document's name, which Bedrock checks: a request edited by hand or on
    // disk is refused here, before anything is sent, as compiling it would have.
    const problem =
      request.api === 'converse'
        ? documentNamesProblem(refs.filter((ref) => !isImageFormat(ref.format)).map((r) => r.name))
        : undefined;
    if (problem) throw new HttpError(`${problem}: it was not sent.`, 400);
    const sent: SentAttachment[] = [];
    for (const ref of refs) {
      let file = files.get(ref.$file);
      if (!file) files.set(ref.$file, (file = this.cached(ref.$file)));
      const { data, sha256 } = await file;
      const kind = isImageFormat(ref.format) ? 'image' : 'document';
      const tooLarge = oversize(kind, ref.name, data.length);
      if (tooLarge) throw new HttpError(`${tooLarge}: it was not sent.`, 413);
      sent.push({ file: ref.$file, name: ref.name, format: ref.format, size: data.length, sha256 });
    }
    const read = new Map<string, CachedFile>();
    for (const ref of refs) read.set(ref.$file, await files.get(ref.$file)!);
    const send = mapFileRefs(request, (ref) => {
      const file = read.get(ref.$file)!;
      return request.api === 'converse'
        ? new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.byteLength)
        : (file.base64 ??= file.data.toString('base64'));
    });
    return { send: send as CompiledRequest, sent };
  }

  private async cached(file: string): Promise<CachedFile> {
    const data = await this.read(file);
    return { data, sha256: createHash('sha256').update(data).digest('hex') };
  }
}

/** A file read for sending: its bytes, their digest, and their base64 once a body needed it. */
interface CachedFile {
  data: Buffer;
  sha256: string;
  base64?: string;
}

/** The files of one run's requests by workspace path, each read (and hashed) once. */
export type FileCache = Map<string, Promise<CachedFile>>;

function size(header: { width?: number; height?: number } | undefined) {
  return header?.width !== undefined && header.height !== undefined
    ? { width: header.width, height: header.height }
    : {};
}
