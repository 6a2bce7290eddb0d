/** Opening the gallery file a command names, with errors a case worker can act on. */
import { access } from 'node:fs/promises';
import { Matcher, MatcherError, type NodeMatcherOptions } from '../node.js';

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * The gallery at `path` in a Matcher. A missing file is an error unless `create` (enroll
 * starts a new gallery); a wrong or missing passphrase is reported as such.
 */
export async function openGallery(
  path: string,
  options: NodeMatcherOptions & { passphrase?: string; create?: boolean },
): Promise<{ matcher: Matcher; existed: boolean }> {
  const { passphrase, create, ...rest } = options;
  if (!(await exists(path))) {
    if (!create) throw new MatcherError('FILE_NOT_FOUND', `gallery ${path} does not exist; make one with: reunite-face enroll CASES_DIR --gallery ${path}`);
    return { matcher: await Matcher.create(rest), existed: false };
  }
  try {
    return { matcher: await Matcher.loadFromFile(path, { ...rest, ...(passphrase === undefined ? {} : { passphrase }) }), existed: true };
  } catch (e) {
    if (e instanceof MatcherError && e.code === 'GALLERY_PASSPHRASE_REQUIRED') {
      throw new MatcherError(e.code, `gallery ${path} is encrypted: give its passphrase with --passphrase-file F`);
    }
    if (e instanceof MatcherError && e.code === 'GALLERY_DECRYPT_FAILED') {
      throw new MatcherError(e.code, `cannot open gallery ${path}: ${e.message}`);
    }
    throw e;
  }
}
