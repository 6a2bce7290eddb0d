import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher, MatcherError } from '../../src/node.js';
import { FIXTURES } from '../helpers/data.js';

const astro = join(FIXTURES, 'astronaut.png');
const grace = join(FIXTURES, 'grace_hopper.jpg');

describe('Matcher gallery save / load', () => {
  let m: Matcher;
  let query: Uint8Array;
  beforeAll(async () => {
    m = await Matcher.create();
    await m.enroll('collins', astro, { metadata: { region: 'north' } });
    await m.enroll('hopper', grace, { metadata: { region: 'south', open: true } });
    query = await sharp(grace).resize(300).jpeg({ quality: 40 }).toBuffer();
  });
  afterAll(() => m.dispose());

  it('round-trips through bytes and gives the same identify results', async () => {
    const before = await m.identify(query);
    const m2 = await Matcher.load(await m.save());
    try {
      expect(m2.size).toEqual(m.size);
      const after = await m2.identify(query);
      expect(after[0]!.candidates.map((c) => [c.subjectId, c.templateId, c.metadata])).toEqual(
        before[0]!.candidates.map((c) => [c.subjectId, c.templateId, c.metadata]),
      );
      after[0]!.candidates.forEach((c, i) => expect(c.score).toBeCloseTo(before[0]!.candidates[i]!.score, 6));
    } finally {
      await m2.dispose();
    }
  });

  it('encrypts with a passphrase, refuses a wrong one and a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rf-gal-'));
    const file = join(dir, 'gallery.rfg');
    await m.saveToFile(file, { passphrase: 'correct horse battery staple' });
    const ok = await Matcher.loadFromFile(file, { passphrase: 'correct horse battery staple' });
    expect(ok.size).toEqual(m.size);
    await ok.dispose();
    const wrong = await Matcher.loadFromFile(file, { passphrase: 'wrong' }).catch((e: unknown) => e);
    expect((wrong as MatcherError).code).toBe('GALLERY_DECRYPT_FAILED');
    const none = await Matcher.loadFromFile(file).catch((e: unknown) => e);
    expect((none as MatcherError).code).toBe('GALLERY_PASSPHRASE_REQUIRED');
  });

  it('refuses a gallery made with another embedder, naming both', async () => {
    // Same architecture, other weights: the int8 variant must not share a gallery with fp32.
    const other = await Matcher.create({ precision: m.options.precision === 'int8' ? 'fp32' : 'int8', threshold: 0.3 });
    try {
      const e = await other.loadGallery(await m.save()).catch((x: unknown) => x as MatcherError);
      expect((e as MatcherError).code).toBe('GALLERY_MODEL_MISMATCH');
      expect(other.size.templates).toBe(0);
    } finally {
      await other.dispose();
    }
  });
});
