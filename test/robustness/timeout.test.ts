import { describe, expect, it } from 'vitest';
import { Matcher, MatcherError } from '../../src/node.js';
import { PORTRAITS } from './variants.js';

/*
 * limits.timeoutMs: a call that has answered TIMEOUT must not change the gallery afterwards.
 * The work started inside ONNX Runtime cannot be interrupted, so it finishes in the
 * background; what matters is that its result is dropped, not committed.
 */
describe('TIMEOUT', () => {
  it('a timed-out identify rejects with TIMEOUT and leaves no unhandled rejection behind', async () => {
    const unhandled: unknown[] = [];
    const on = (r: unknown) => unhandled.push(r);
    process.on('unhandledRejection', on);
    const m = await Matcher.create({ threshold: 0.5, limits: { timeoutMs: 20 } });
    try {
      await expect(m.identify(PORTRAITS.collins)).rejects.toMatchObject({ code: 'TIMEOUT' });
      await new Promise((r) => setTimeout(r, 3000));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', on);
      await m.dispose();
    }
  });

  // guarded() hands enroll a stillWanted() check that runs before and after the index
  // write, so the background work finishing late commits nothing.
  it('an enroll that answered TIMEOUT never adds its template later', async () => {
    const m = await Matcher.create({ threshold: 0.5, limits: { timeoutMs: 20 } });
    try {
      const e = await m.enroll('late', PORTRAITS.collins).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(MatcherError);
      expect((e as MatcherError).code).toBe('TIMEOUT');
      await new Promise((r) => setTimeout(r, 4000));
      expect(m.size).toEqual({ subjects: 0, templates: 0 });
    } finally {
      await m.dispose();
    }
  });
});
