import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FlatIndex } from '../../src/indexes/flat.js';
import { Matcher, MatcherError, type IdentifyResult } from '../../src/node.js';
import { PORTRAITS, portraitVariants, type Variant } from './variants.js';

const CONCURRENT = 32;

/** Everything a caller sees, with scores as exact numbers: concurrency must not change a bit. */
function summary(r: IdentifyResult[]) {
  return r.map((f) => ({ box: f.face.box, landmarks: f.face.landmarks, candidates: f.candidates.map((c) => [c.subjectId, c.templateId, c.score, c.match]) }));
}

describe('concurrent calls on one Matcher', () => {
  let m: Matcher;
  let photos: Variant[];
  beforeAll(async () => {
    m = await Matcher.create({ threshold: 0.5 });
    photos = await portraitVariants(CONCURRENT, 160, 99);
    await m.enroll('collins', PORTRAITS.collins);
    await m.enroll('hopper', PORTRAITS.hopper);
  });
  afterAll(() => m.dispose());

  it(`${CONCURRENT} concurrent identify calls give exactly the sequential results`, async () => {
    const sequential: ReturnType<typeof summary>[] = [];
    for (const p of photos) sequential.push(summary(await m.identify(p.bytes)));
    const concurrent = (await Promise.all(photos.map((p) => m.identify(p.bytes)))).map(summary);
    expect(concurrent).toEqual(sequential);
    // The check is only meaningful if the photos were recognised.
    const right = photos.filter((p, i) => sequential[i]![0]?.candidates[0]?.[0] === p.who).length;
    console.log(`concurrency: ${CONCURRENT} concurrent identify calls identical to sequential; ${right}/${CONCURRENT} ranked the right portrait first`);
    expect(right).toBeGreaterThanOrEqual(CONCURRENT * 0.75);
  });

  it('interleaved enroll and identify keep the gallery consistent', async () => {
    const before = m.size;
    const kids = photos.slice(0, 16);
    const ops = kids.flatMap((p, i) => [
      m.enroll(`kid-${i}`, p.bytes, { metadata: { i } }).then((r) => ({ kind: 'enroll' as const, i, r })),
      m.identify(photos[(i + 7) % photos.length]!.bytes, { k: 50 }).then((r) => ({ kind: 'identify' as const, i, r })),
    ]);
    const done = await Promise.all(ops);
    const enrolls = done.flatMap((d) => (d.kind === 'enroll' ? [d] : []));
    expect(m.size).toEqual({ subjects: before.subjects + kids.length, templates: before.templates + kids.length });
    // Every identify answered with subjects that existed, each at most once.
    for (const d of done) {
      if (d.kind !== 'identify') continue;
      for (const f of d.r) expect(new Set(f.candidates.map((c) => c.subjectId)).size).toBe(f.candidates.length);
    }
    const gallery = await m.exportGallery();
    const ids = new Set(gallery.templates.map((t) => t.templateId));
    expect(ids.size).toBe(m.size.templates);
    for (const e of enrolls) expect(ids.has(e.r.templateId)).toBe(true);
    // Every enrolled template is findable: its own photo finds it with a score of ~1.
    for (const e of enrolls) {
      const res = await m.identify(kids[e.i]!.bytes, { k: m.size.subjects });
      const hit = res[0]!.candidates.find((c) => c.templateId === e.r.templateId);
      expect(hit?.score).toBeGreaterThan(0.999);
    }
  });

  it('the same gallery loaded twice at once is added once, the other load refused', async () => {
    const src = await Matcher.create({ threshold: 0.5 });
    await src.enroll('collins', PORTRAITS.collins);
    await src.enroll('hopper', PORTRAITS.hopper);
    const bytes = await src.save();
    await src.dispose();
    const m3 = await Matcher.create({ threshold: 0.5 });
    // The index itself, not the matcher's record map: a double add would show up only there.
    const adds = vi.spyOn(FlatIndex.prototype, 'add');
    const results = await Promise.allSettled([m3.loadGallery(bytes), m3.loadGallery(bytes)]);
    const index = adds.mock.contexts[0] as FlatIndex | undefined;
    adds.mockRestore();
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'loaded' : (r.reason as MatcherError).code));
    const templates = (await index?.entries())?.length;
    console.log(`two concurrent loadGallery of one 2-template file: ${codes.join(', ')}; gallery then holds ${m3.size.templates} templates (index ${templates})`);
    await m3.dispose();
    expect(codes.sort()).toEqual(['GALLERY_INVALID', 'loaded']);
    expect(templates).toBe(2);
  });

  it('disposing while calls are in flight: each call resolves or rejects with a MatcherError, no crash', async () => {
    const m2 = await Matcher.create({ threshold: 0.5 });
    await m2.enroll('collins', PORTRAITS.collins);
    const inflight = photos.slice(0, 8).map((p) =>
      m2.identify(p.bytes).then(
        () => 'ok',
        (e: unknown) => (e instanceof MatcherError ? e.code : `CRASH ${String(e)}`),
      ),
    );
    await new Promise((r) => setTimeout(r, 30));
    await m2.dispose();
    const outcomes = await Promise.all(inflight);
    console.log(`dispose during 8 in-flight identify calls: ${outcomes.join(', ')}`);
    for (const o of outcomes) expect(o).not.toMatch(/^CRASH/);
    await expect(m2.identify(photos[0]!.bytes)).rejects.toMatchObject({ code: 'DISPOSED' });
  });
});
