import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitEmbeddingMap, Matcher } from '../../src/node.js';
import { isMatcherError } from '../../src/core/errors.js';
import { hasData, PUBLIC_DOMAIN } from '../helpers/data.js';

const pd = (f: string) => join(PUBLIC_DOMAIN, f);
const PHOTOS = ['obama.jpg', 'obama2.jpg', 'biden.jpg', 'astronaut.png', 'grace_hopper.jpg'];

describe.runIf(hasData('public-domain'))('the embedder’s map', () => {
  let mapped: Matcher;
  let bare: Matcher;
  beforeAll(async () => {
    mapped = await Matcher.create();
    bare = await Matcher.create({ embedder: { name: 'mobilefacenet', map: 'none' } });
  });
  afterAll(async () => {
    await mapped.dispose();
    await bare.dispose();
  });

  it('is on by default, named in the embedder id, with a calibrated threshold of its own', () => {
    expect(mapped.embedderId.id).toMatch(/^mobilefacenet@fp32\+lag-dev-nap\d+-wccn\d+-[0-9a-f]{8}$/);
    expect(bare.embedderId.id).toBe('mobilefacenet@fp32');
    expect(mapped.threshold).not.toBe(bare.threshold);
  });

  it('changes the embedding but keeps it unit length', async () => {
    const [a] = await mapped.embed(pd('obama.jpg'));
    const [b] = await bare.embed(pd('obama.jpg'));
    const dot = a!.embedding.reduce((s, x, i) => s + x * b!.embedding[i]!, 0);
    expect(Math.hypot(...a!.embedding)).toBeCloseTo(1, 5);
    expect(dot).toBeLessThan(0.9999);
  });

  it('re-projects a gallery made without the map; refuses the other way round', async () => {
    await bare.enroll('obama', pd('obama.jpg'));
    await mapped.enroll('obama', pd('obama.jpg'));
    const fresh = await mapped.identify(pd('obama2.jpg'));
    const m2 = await Matcher.create();
    try {
      await m2.loadGallery(await bare.save());
      const loaded = await m2.identify(pd('obama2.jpg'));
      expect(loaded[0]!.candidates[0]!.subjectId).toBe('obama');
      expect(loaded[0]!.candidates[0]!.score).toBeCloseTo(fresh[0]!.candidates[0]!.score, 4);
    } finally {
      await m2.dispose();
    }
    const err = await bare.loadGallery(await mapped.save()).catch((e: unknown) => e);
    expect(isMatcherError(err, 'GALLERY_MODEL_MISMATCH')).toBe(true);
  });

  it('takes a map fitted by fitEmbeddingMap, and refuses galleries of another map', async () => {
    const vectors = await Promise.all(PHOTOS.map(async (p) => (await bare.embed(pd(p)))[0]!.embedding));
    const pairs = vectors.slice(1).map((b, i) => ({ a: vectors[i]!, b }));
    const own = fitEmbeddingMap(pairs, { napRank: 1, wccnRank: 1, name: 'own' });
    const m3 = await Matcher.create({ embedder: { name: 'mobilefacenet', map: own }, threshold: 0.3 });
    try {
      expect(m3.embedderId.id).toBe(`mobilefacenet@fp32+${own.id}`);
      const err = await m3.loadGallery(await mapped.save()).catch((e: unknown) => e);
      expect(isMatcherError(err, 'GALLERY_MODEL_MISMATCH')).toBe(true);
    } finally {
      await m3.dispose();
    }
    const bad = await Matcher.create({ embedder: { name: 'mobilefacenet', map: { ...own, scales: [3, 3] } } }).catch((e: unknown) => e);
    expect(isMatcherError(bad, 'INVALID_OPTIONS')).toBe(true);
  });
});
