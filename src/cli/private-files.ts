/**
 * Files that hold children's faces or what is known about them (reports, exports, crops) are
 * written owner-only: folders 0700, files 0600, replaced atomically so a crash or a Ctrl-C
 * never leaves half a report, and a file that existed with wider permissions is not reused.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and missing parents) owner-only; an existing folder keeps its mode. */
export async function privateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== undefined) await chmod(dir, PRIVATE_DIR_MODE);
}

/** Writes `path` owner-only through a temp file in the same folder and a rename. */
export async function writePrivateFile(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await privateDir(dir);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', PRIVATE_FILE_MODE);
    try {
      await fh.writeFile(data);
      // The umask may have removed bits, never added them; chmod makes the mode exact.
      await fh.chmod(PRIVATE_FILE_MODE);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
