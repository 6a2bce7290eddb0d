// Node only: reading a file a user named, with the library's error codes.
import { readFile, stat } from 'node:fs/promises';
import { MatcherError } from '../core/errors.js';

/**
 * The bytes of a regular file. `what` names it in messages ('gallery', 'photo'...). Refuses
 * a FIFO or device before reading (the read would block forever) and, with `maxBytes`, a file
 * above the limit before reading it (INPUT_TOO_LARGE). ENOENT -> FILE_NOT_FOUND, any other
 * failure -> FILE_READ_FAILED, with Node's message.
 */
export async function readRegularFile(path: string, what: string, maxBytes = Infinity): Promise<Uint8Array> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new MatcherError('FILE_READ_FAILED', `${what} ${path} is not a regular file`);
    if (st.size > maxBytes) {
      throw new MatcherError('INPUT_TOO_LARGE', `${path} is ${st.size} bytes, above the limit of ${maxBytes} (option limits.maxBytes)`);
    }
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof MatcherError) throw e;
    const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_READ_FAILED';
    throw new MatcherError(code, `cannot read ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
}
