import { afterAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/node.js';
import { PORTRAITS } from './variants.js';
import { MatcherError } from '../../src/core/errors.js';
import { blockDigest } from '../../src/gallery/bytes.js';
import { GalleryKeyCache } from '../../src/gallery/crypto.js';
import { decodeGallery, encodeGallery, type GalleryState } from '../../src/gallery/format.js';
import { galleryWithSightings, smallGallery } from '../gallery/fixtures.js';
import { bump, countTable } from './outcome.js';
import { MUTATIONS, mutate, seededRandom } from './seeded.js';

/*
 * Damaged gallery files must be refused whole with a GALLERY_* code, or load as a complete,
 * valid gallery: never throw anything else, never return something half-read.
 * Three populations: raw damage of plain files (almost all caught by the SHA-256), damage
 * followed by recomputing the checksum (so it reaches the header/record/vector parsing: a
 * buggy or hostile writer), and damage of encrypted files (caught by AES-GCM or the header).
 */

const PLAIN = Number(process.env['REUNITE_FUZZ_COUNT'] ?? 150);
/** Each damaged salt/iteration count costs one PBKDF2 run (>= 600,000 rounds), so fewer. */
const ENCRYPTED = Math.max(10, Math.round(PLAIN / 3));
const SEED = 77031;
const PASSPHRASE = 'correct horse battery staple';
const GALLERY_CODES = new Set([
  'GALLERY_INVALID',
  'GALLERY_CORRUPT',
  'GALLERY_VERSION',
  'GALLERY_DECRYPT_FAILED',
  'GALLERY_PASSPHRASE_REQUIRED',
  'GALLERY_MODEL_MISMATCH',
]);

/** A loaded gallery is only acceptable if it is whole: re-encoding validates every field. */
async function checkComplete(g: GalleryState): Promise<void> {
  expect(Array.isArray(g.templates)).toBe(true);
  for (const t of g.templates) {
    expect(t.vector.length).toBe(g.embedder.dim);
    let sum = 0;
    for (const x of t.vector) sum += x * x;
    expect(Math.abs(Math.sqrt(sum) - 1)).toBeLessThan(1e-3);
  }
  await encodeGallery(g);
}

async function outcome(bytes: Uint8Array, passphrase: string | undefined, keyCache: GalleryKeyCache): Promise<string> {
  try {
    const g = await decodeGallery(bytes, passphrase === undefined ? {} : { passphrase, keyCache });
    await checkComplete(g);
    return 'loaded';
  } catch (e) {
    if (e instanceof MatcherError) return e.code;
    return `CRASH ${(e as Error)?.name}: ${(e as Error)?.message ?? String(e)}`;
  }
}

async function reseal(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes.length < 32) return bytes;
  const out = bytes.slice();
  out.set(await blockDigest(out.subarray(0, out.length - 32)), out.length - 32);
  return out;
}

describe('gallery file fuzzing', () => {
  const counts = new Map<string, number>();
  const keyCache = new GalleryKeyCache();
  afterAll(() => {
    keyCache.clear();
    console.log(`\ngallery fuzzing (seed ${SEED}): ${PLAIN} plain, ${PLAIN} resealed plain, ${ENCRYPTED} encrypted\n${countTable('population: outcome', counts)}`);
  });

  it('the unmutated files load (the fuzz starts from valid galleries)', async () => {
    const g = smallGallery(5);
    expect(await outcome(await encodeGallery(g), undefined, keyCache)).toBe('loaded');
    expect(await outcome(await encodeGallery(galleryWithSightings()), undefined, keyCache)).toBe('loaded');
    expect(await outcome(await encodeGallery(g, { passphrase: PASSPHRASE }), PASSPHRASE, keyCache)).toBe('loaded');
    // Resealing must recompute the format's checksum, or the 'resealed' population never gets past it.
    const plain = await encodeGallery(g);
    const brokenHeader = plain.slice();
    brokenHeader[12] = 0x5b; // '{' -> '[': the header JSON no longer parses as the schema
    expect(await outcome(await reseal(brokenHeader), undefined, keyCache)).toBe('GALLERY_INVALID');
  });

  // 'sightings': a version 2 file (templates and sightings), damaged then resealed, so the
  // damage reaches the sightings section's parser.
  for (const population of ['plain', 'resealed', 'encrypted', 'sightings'] as const) {
    it(`${population}: every damaged file is refused with a GALLERY_* code or loads whole`, async () => {
      const rand = seededRandom(SEED + population.length);
      const encrypted = population === 'encrypted';
      const count = encrypted ? ENCRYPTED : PLAIN;
      const sightings = population === 'sightings';
      const src = await encodeGallery(sightings ? galleryWithSightings() : smallGallery(5), encrypted ? { passphrase: PASSPHRASE } : {});
      const donor = await encodeGallery(sightings ? galleryWithSightings(9) : smallGallery(3, 9), encrypted ? { passphrase: 'other' } : {});
      const bad: string[] = [];
      for (let i = 0; i < count; i++) {
        const kind = MUTATIONS[i % MUTATIONS.length]!;
        let bytes = mutate(rand, src, kind, donor);
        if (population === 'resealed' || sightings) bytes = await reseal(bytes);
        const got = await outcome(bytes, encrypted ? PASSPHRASE : undefined, keyCache);
        bump(counts, `${population}: ${got}`);
        if (got !== 'loaded' && !GALLERY_CODES.has(got)) bad.push(`#${i} ${kind}: ${got}`);
      }
      expect(bad).toEqual([]);
    }, Math.max(600_000, PLAIN * 4000));
  }

  it('Matcher.loadGallery: a refused file leaves the gallery exactly as it was', async () => {
    const src = await Matcher.create({ threshold: 0.5 });
    await src.enroll('collins', PORTRAITS.collins, { metadata: { region: 'north' } });
    await src.enroll('hopper', PORTRAITS.hopper);
    const good = await src.save();
    await src.dispose();
    const m = await Matcher.create({ threshold: 0.5 });
    await m.enroll('resident', PORTRAITS.hopper);
    const before = { size: m.size, ids: (await m.exportGallery()).templates.map((t) => t.templateId).sort() };
    const rand = seededRandom(SEED ^ 0xbeef);
    const n = Math.max(20, Math.round(PLAIN / 2));
    const seen = new Map<string, number>();
    const bad: string[] = [];
    for (let i = 0; i < 2 * n; i++) {
      const kind = MUTATIONS[i % MUTATIONS.length]!;
      let bytes = mutate(rand, good, kind, good);
      if (i >= n) bytes = await reseal(bytes);
      let got: string;
      try {
        const r = await m.loadGallery(bytes);
        got = 'loaded';
        // A damaged file that still validates must have been added whole: take it out again.
        expect(m.size.templates).toBe(before.size.templates + r.templates);
        for (const t of (await decodeGallery(bytes)).templates) await m.remove(t.subjectId);
      } catch (e) {
        got = e instanceof MatcherError ? e.code : `CRASH ${String(e)}`;
        if (!GALLERY_CODES.has(got)) bad.push(`#${i} ${kind}: ${got}`);
      }
      bump(seen, got);
      const now = { size: m.size, ids: (await m.exportGallery()).templates.map((t) => t.templateId).sort() };
      if (got !== 'loaded') expect(now).toEqual(before);
    }
    await m.dispose();
    for (const [k, v] of seen) counts.set(`Matcher.loadGallery: ${k}`, v);
    expect(bad).toEqual([]);
  }, Math.max(300_000, PLAIN * 2000));
});
