import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Test seam: runs between the flushed temporary file and the rename that publishes it. */
export type BeforeRename = (tempFile: string) => Promise<void>;

/**
 * Replaces `file` with `text` so that a crash at any moment leaves the old or the new content,
 * never a mix: write a temporary file in the same folder, flush it to disk, rename it over the
 * old one (atomic within one file system), then flush the folder so the rename itself lasts.
 */
export async function writeFileAtomic(
  file: string,
  text: string,
  beforeRename?: BeforeRename,
): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(text, 'utf8');
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
 * Appends one whole line. If a crash tore the previous last line, the new line starts on a line
 * of its own, so the torn one is the only casualty.
 */
export async function appendLine(file: string, line: string): Promise<void> {
  const handle = await open(file, 'a+', 0o644);
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

async function syncDir(dir: string): Promise<void> {
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
