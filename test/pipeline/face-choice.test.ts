import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/node.js';
import { isMatcherError } from '../../src/core/errors.js';
import { hasData, PUBLIC_DOMAIN } from '../helpers/data.js';

const pd = (f: string) => join(PUBLIC_DOMAIN, f);

describe.runIf(hasData('public-domain'))('enroll: which face is the case', () => {
  let m: Matcher;
  beforeAll(async () => {
    m = await Matcher.create();
  });
  afterAll(() => m.dispose());

  it('refuses a photo of two similar-sized faces without a choice, with AMBIGUOUS_FACE', async () => {
    const faces = await m.detect(pd('two_people.jpg'));
    const areas = faces.map((f) => f.box.width * f.box.height);
    expect(Math.min(...areas) / Math.max(...areas)).toBeGreaterThanOrEqual(0.5);
    const err = await m.enroll('case', pd('two_people.jpg')).catch((e: unknown) => e);
    expect(isMatcherError(err, 'AMBIGUOUS_FACE')).toBe(true);
    expect(m.size.templates).toBe(0);
  });

  it('enrolls the face named by index, box or rule', async () => {
    const faces = await m.detect(pd('two_people.jpg'));
    const second = await m.enroll('by-index', pd('two_people.jpg'), { face: 1 });
    expect(second.face.box).toEqual(faces[1]!.box);
    const byBox = await m.enroll('by-box', pd('two_people.jpg'), { face: faces[1]!.box });
    expect(byBox.face.box).toEqual(faces[1]!.box);
    const largest = await m.enroll('largest', pd('two_people.jpg'), { face: 'largest' });
    expect(largest.face.box).toEqual(faces[0]!.box);
  });

  it('enrolls a one-face photo without a choice, and refuses a choice that names no face', async () => {
    await expect(m.enroll('one', pd('grace_hopper.jpg'))).resolves.toMatchObject({ subjectId: 'one' });
    const err = await m.enroll('none', pd('grace_hopper.jpg'), { face: 4 }).catch((e: unknown) => e);
    expect(isMatcherError(err, 'NO_FACE')).toBe(true);
    const bad = await m.enroll('bad', pd('grace_hopper.jpg'), { face: 'biggest' as never }).catch((e: unknown) => e);
    expect(isMatcherError(bad, 'INVALID_ARGUMENT')).toBe(true);
  });
});
