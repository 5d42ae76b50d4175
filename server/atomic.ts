import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../cells/format.ts';
import { HttpError } from './http.ts';

/** Test seam: runs between the flushed temporary file and the rename that publishes it. */
export type BeforeRename = (tempFile: string) => Promise<void>;

/** Files the server creates are its user's alone. */
export const FILE_MODE = 0o600;

/**
 * Opened files never follow a symbolic link (a cloned folder of notebooks may carry one pointing
 * anywhere) and never wait for a writer (a FIFO would hang the request, and then the listing).
 */
const SAFE = constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** A temporary file: hidden, named after its file and the process writing it. */
const TEMP = /^\.(.+?)\.(?:(\d+)\.)?[0-9a-f]{12}\.tmp$/;

/**
 * Replaces `file` with `text` so that a crash at any moment leaves the old or the new content,
 * never a mix: write a temporary file in the same folder, flush it to disk, rename it over the
 * old one (atomic within one file system), then flush the folder so the rename itself lasts.
 * A crash leaves the temporary file behind; `removeStrayTemps` clears it at the next start.
 */
export async function writeFileAtomic(
  file: string,
  text: string | Uint8Array,
  beforeRename?: BeforeRename,
): Promise<void> {
  const dir = path.dirname(file);
  const name = `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const temp = path.join(dir, name);
  // O_EXCL: a name that exists, a symbolic link included, is refused rather than followed.
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await beforeRename?.(temp);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/**
 * Appends one whole line to a regular file (created if missing). If a crash tore the previous
 * last line, the new line starts on a line of its own, so the torn one is the only casualty.
 */
export async function appendLine(file: string, line: string): Promise<void> {
  const flags = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | SAFE;
  const handle = await openRegular(file, flags);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    // One write call: the line goes to the end in one piece or, on a crash, as a torn tail.
    await handle.write(`${prefix}${line.endsWith('\n') ? line : `${line}\n`}`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A regular file's text and stats; null when there is no such file. */
export interface Read {
  text: string;
  stats: Stats;
  /** Bytes left unread at the start of a file larger than the limit (see `readRegular`). */
  skipped: number;
}

/**
 * Reads a regular file directly in the workspace. Anything else under that name (a symbolic
 * link, a directory, a FIFO, a device) is refused with a 403 naming it, and a file larger than
 * `limit` with a 413, unless `tail` asks for its last `limit` bytes instead.
 */
export async function readRegular(
  file: string,
  limit: number,
  { tail = false } = {},
): Promise<Read | null> {
  const handle = await openForReading(file);
  if (!handle) return null;
  try {
    const stats = await handle.stat();
    if (stats.size > limit && !tail) {
      throw new HttpError(
        `${path.basename(file)} is larger than ${formatBytes(limit)}, the limit for a notebook file.`,
        413,
      );
    }
    const skipped = Math.max(0, stats.size - limit);
    const buffer = Buffer.alloc(stats.size - skipped);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, skipped);
    return { text: buffer.toString('utf8', 0, bytesRead), stats, skipped };
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of a regular file (never through a symbolic link, never a FIFO), or null when there
 * is none; larger than `limit` is a 413 saying `what` the limit is for.
 */
export async function readRegularBytes(
  file: string,
  limit: number,
  what: string,
): Promise<{ bytes: Buffer; stats: Stats } | null> {
  const handle = await openForReading(file);
  if (!handle) return null;
  try {
    const stats = await handle.stat();
    if (stats.size > limit) {
      throw new HttpError(
        `${path.basename(file)} is larger than ${formatBytes(limit)}, the limit for ${what}.`,
        413,
      );
    }
    const bytes = Buffer.alloc(stats.size);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return { bytes: bytes.subarray(0, bytesRead), stats };
  } finally {
    await handle.close();
  }
}

/** Opens a regular file for reading, never through a link; null when there is no such file. */
export async function openForReading(file: string): Promise<FileHandle | null> {
  try {
    return await openRegular(file, constants.O_RDONLY | SAFE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Opens `file` with `flags` (which hold O_NOFOLLOW), refusing what is not a regular file. */
async function openRegular(file: string, flags: number): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, flags, FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: a symbolic link under O_NOFOLLOW; ENXIO: a FIFO without a reader; EISDIR: a folder.
    if (code === 'ELOOP') throw notRegular(file, 'a symbolic link');
    if (code === 'ENXIO') throw notRegular(file, 'a FIFO');
    if (code === 'EISDIR') throw notRegular(file, 'a directory');
    throw error;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw notRegular(file, kindOf(stats));
  }
  return handle;
}

/** What a directory entry is, said in words, for the ones that are not notebooks. */
export function kindOf(stats: {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
}): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  return 'a device or socket';
}

/** The refusal of a path that is not a regular file. */
export function notRegular(file: string, kind: string): HttpError {
  return new HttpError(
    `${path.basename(file)} is ${kind}: the playground reads and writes only regular files directly in its workspace.`,
    403,
  );
}

/**
 * Removes the temporary files that a killed process left in `dir`: those of a process that is
 * no longer running (or of no recorded process). A running server's are left alone.
 */
export async function removeStrayTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const pid = TEMP.exec(name)?.[2];
    if (TEMP.test(name) && (pid === undefined || !running(Number(pid)))) {
      await rm(path.join(dir, name), { force: true });
      removed.push(name);
    }
  }
  if (removed.length) await syncDir(dir);
  return removed;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Flushes a folder, so that renames and removals in it last through a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/** A path's own stats (a link's, not its target's), or null when nothing has that name. */
export async function lstatOrNull(file: string) {
  return lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}
