import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher, MatcherError, type MatcherErrorCode } from '../../src/node.js';
import { FIXTURES } from '../helpers/data.js';

async function code(p: Promise<unknown>): Promise<MatcherErrorCode> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MatcherError);
    return (e as MatcherError).code;
  }
  throw new Error('expected a MatcherError, the call succeeded');
}

describe('bad input gets a MatcherError with a stable code', () => {
  let m: Matcher;
  const dir = mkdtempSync(join(tmpdir(), 'rf-bad-'));
  beforeAll(async () => {
    m = await Matcher.create();
  });
  afterAll(() => m.dispose());

  it('unreadable bytes', async () => {
    expect(await code(m.detect(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])))).toBe('IMAGE_DECODE_FAILED');
  });
  it('an empty file and empty bytes', async () => {
    writeFileSync(join(dir, 'empty.jpg'), '');
    expect(await code(m.detect(join(dir, 'empty.jpg')))).toBe('IMAGE_EMPTY');
    expect(await code(m.detect(new Uint8Array(0)))).toBe('IMAGE_EMPTY');
  });
  it('a path that does not exist', async () => {
    expect(await code(m.detect(join(dir, 'nope.jpg')))).toBe('FILE_NOT_FOUND');
  });
  it('a directory instead of a file', async () => {
    expect(await code(m.detect(dir))).toBe('FILE_READ_FAILED');
  });
  it('a non-image file', async () => {
    writeFileSync(join(dir, 'notes.jpg'), 'these are meeting notes, not a photo\n'.repeat(20));
    expect(await code(m.detect(join(dir, 'notes.jpg')))).toBe('IMAGE_DECODE_FAILED');
  });
  it('a subjectId that is not a non-empty string', async () => {
    const img = join(FIXTURES, 'astronaut.png');
    for (const bad of ['', '   ', 42, null, undefined, {}]) {
      expect(await code(m.enroll(bad as string, img))).toBe('INVALID_ARGUMENT');
    }
    expect(m.size).toEqual({ subjects: 0, templates: 0 });
  });
  it('a photo with no face, on enroll', async () => {
    const grey = { data: new Uint8Array(64 * 64 * 3).fill(128), width: 64, height: 64, channels: 3 as const };
    expect(await code(m.enroll('x', grey))).toBe('NO_FACE');
    expect(await m.detect(grey)).toEqual([]);
  });
  it('a malformed RawImage', async () => {
    expect(await code(m.detect({ data: new Uint8Array(10), width: 64, height: 64, channels: 3 }))).toBe('INVALID_IMAGE');
    expect(await code(m.detect(123 as unknown as string))).toBe('INVALID_IMAGE');
  });
  it('options that do not validate, with a message naming the option', async () => {
    const e = await Matcher.create({ threads: -1 } as never).catch((x: unknown) => x as MatcherError);
    expect((e as MatcherError).code).toBe('INVALID_OPTIONS');
    expect((e as MatcherError).message).toMatch(/threads/);
    // The option types already refuse an unknown name; JavaScript callers get UNKNOWN_MODULE.
    expect(await code(Matcher.create({ detector: 'nope' as never }))).toBe('UNKNOWN_MODULE');
    expect(await code(Matcher.create({ detector: { name: 'ultraface', threshold: 2 } }))).toBe('INVALID_OPTIONS');
    expect(await code(Matcher.create({ bogus: 1 } as never))).toBe('INVALID_OPTIONS');
  });
  it('a disposed matcher', async () => {
    const m2 = await Matcher.create();
    await m2.dispose();
    expect(await code(m2.detect(join(FIXTURES, 'astronaut.png')))).toBe('DISPOSED');
  });
});
