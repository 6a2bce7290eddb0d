// Node only: file helpers for gallery persistence.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readRegularFile } from '../platform/node-files.js';
import { decodeOwnedGallery, type DecodeOptions, type GalleryState } from './format.js';

/**
 * Replaces `path` with `bytes` so that a crash at any moment leaves either the old file or
 * the new one: write a temp file in the same directory, fsync it, rename it over the target
 * (atomic on POSIX), then fsync the directory so the rename itself survives a power cut.
 * The file is created owner-only (0600): galleries hold biometric data. Errors are Node's own
 * (ENOSPC, EACCES...); the temp file is removed when the rename did not happen.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    renamed = true;
    await syncDirectory(dir);
  } catch (cause) {
    if (!renamed) await unlink(tmp).catch(() => undefined);
    // Node's own error (ENOSPC, EACCES...): Matcher.saveToFile wraps it as FILE_WRITE_FAILED.
    throw cause;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch {
    return; // Windows cannot open directories; its rename is already durable enough for NTFS.
  }
  try {
    await fh.sync();
  } catch (e) {
    // Some filesystems refuse fsync on directories; the data file itself was synced.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await fh.close();
  }
}

/** Reads and fully validates a gallery file (see `decodeGallery`); the vectors are views into the file's bytes. */
export async function readGalleryFile(path: string, options: DecodeOptions = {}): Promise<GalleryState> {
  return decodeOwnedGallery(await readRegularFile(path, 'gallery'), options);
}
