import { isMatcherError } from '../../src/core/errors.js';

/** The MatcherError code a call rejects with ('RESOLVED' if it does not), for one-line assertions. */
export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'RESOLVED';
  } catch (e) {
    return isMatcherError(e) ? e.code : `NOT_A_MATCHER_ERROR: ${String(e)}`;
  }
}
