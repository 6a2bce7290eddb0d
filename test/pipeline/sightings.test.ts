import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/node.js';
import { codeOf } from '../helpers/code-of.js';
import { PORTRAITS, portraitVariants, type Variant } from '../robustness/variants.js';

/** Street photos: degraded copies of the two public-domain demo portraits, 4 of each. */
let variants: Variant[];
let m: Matcher;
/** Sightings whose largest face `identify` puts with its own portrait at a match (a degraded copy can lose the face). */
const recognised = new Set<string>();

beforeAll(async () => {
  variants = await portraitVariants(8, 200, 1207);
  m = await Matcher.create();
  await m.enroll('collins', PORTRAITS.collins, { metadata: { status: 'open' } });
  await m.enroll('hopper', PORTRAITS.hopper, { metadata: { status: 'open' } });
  for (const [i, v] of variants.entries()) {
    await m.addSighting(v.bytes, { sightingId: `street-${i}`, metadata: { place: `corner ${i}`, takenAt: `2026-10-0${i + 1}T09:00:00Z`, source: 'test' } });
    const top = (await m.identify(v.bytes))[0]?.candidates[0];
    if (top?.subjectId === v.who && top.match) recognised.add(`street-${i}`);
  }
});
afterAll(() => m.dispose());

const who = (sightingId: string) => variants[Number(sightingId.split('-')[1])]!.who;

describe('Matcher sightings', () => {
  it('adds every face of a photo, groups the photos of each person, and ranks the right case first', async () => {
    expect(m.sightings.size).toBe(8);
    // The detector may also report a small spurious face in a degraded copy: the portrait is
    // the largest face (faceIndex 0) of each photo.
    expect(m.sightings.faces).toBeGreaterThanOrEqual(8);
    const portrait = (f: { sightingId: string; faceIndex: number }) => f.faceIndex === 0 && recognised.has(f.sightingId);
    for (const person of ['collins', 'hopper']) expect([...recognised].filter((s) => who(s) === person).length).toBeGreaterThanOrEqual(3);
    const groups = (await m.groupSightings()).filter((g) => g.faces.some(portrait));
    expect(groups).toHaveLength(2);
    for (const g of groups) {
      const people = new Set(g.faces.map((f) => who(f.sightingId)));
      expect(people.size).toBe(1);
      expect(g.faces.filter(portrait)).toHaveLength([...recognised].filter((s) => who(s) === [...people][0]).length);
      expect(g.faces[0]!.metadata).toMatchObject({ place: expect.stringMatching(/^corner/), source: 'test' });
      expect(g.faces[0]!.quality).toBeDefined();
      const [best] = await m.identifyGroup(g.groupId, { k: 2 });
      expect(best!.subjectId).toBe([...people][0]);
      expect(best).toMatchObject({ match: true, metadata: { status: 'open' }, falseMatchRate: { adult: expect.any(Number) } });
      for (const combine of ['best', 'mean-embedding', 'top2-mean', 'quality-weighted'] as const) {
        expect((await m.identifyGroup(g.groupId, { k: 1, combine }))[0]!.subjectId).toBe(best!.subjectId);
      }
    }
  });

  it('a photo with two faces adds both, largest first', async () => {
    const [a, b] = await Promise.all([PORTRAITS.collins, PORTRAITS.hopper].map((p) => sharp(p).resize(300, 300, { fit: 'cover' }).toBuffer()));
    const canvas = await sharp({ create: { width: 760, height: 400, channels: 3, background: '#808080' } })
      .composite([
        { input: a!, left: 20, top: 50 },
        { input: await sharp(b!).resize(260, 260).toBuffer(), left: 460, top: 70 },
      ])
      .jpeg()
      .toBuffer();
    const added = await m.addSighting(canvas, { sightingId: 'pair' });
    expect(added.faces.length).toBe(2);
    expect(added.faces[0]!.box.width * added.faces[0]!.box.height).toBeGreaterThanOrEqual(added.faces[1]!.box.width * added.faces[1]!.box.height);
    const groups = await m.groupSightings();
    for (const [i, face] of added.faces.entries()) {
      // Collins is on the left half of the canvas, Hopper on the right.
      const person = face.box.x + face.box.width / 2 < 380 ? 'collins' : 'hopper';
      const g = groups.find((x) => x.faces.some((f) => f.sightingId === 'pair' && f.faceIndex === i))!;
      expect(new Set(g.faces.filter((f) => f.sightingId !== 'pair' && f.faceIndex === 0).map((f) => who(f.sightingId)))).toEqual(new Set([person]));
    }
    expect(await m.removeSighting('pair')).toBe(2);
    expect(m.sightings.size).toBe(8);
  });

  it('save/load keeps sightings, groups, ids and a reviewer’s split and merge', async () => {
    const groups = (await m.groupSightings()).filter((x) => x.faces.length >= 3);
    const g = groups[0]!;
    const splitId = await m.splitGroup(g.groupId, [g.faces[3]!]);
    const before = await m.groupSightings();
    const bytes = await m.save({ passphrase: 'pw' });
    const back = await Matcher.load(bytes, { passphrase: 'pw' });
    try {
      expect([back.sightings.size, back.sightings.faces]).toEqual([m.sightings.size, m.sightings.faces]);
      expect(back.sightings.has('street-0')).toBe(true);
      expect(back.size).toEqual(m.size);
      expect(await back.groupSightings()).toEqual(before);
      // The split outlives a merge of everything else and a regroup with other options.
      const other = groups[1]!;
      const merged = await back.mergeGroups(other.groupId, g.groupId);
      const after = await back.groupSightings({ pairThreshold: 0.5, groupThreshold: 0.3 });
      const groupOf = (sid: string) => after.find((x) => x.faces.some((f) => f.sightingId === sid))!.groupId;
      expect(groupOf(g.faces[3]!.sightingId)).toBe(splitId);
      expect(groupOf(g.faces[0]!.sightingId)).toBe(merged);
      expect(groupOf(other.faces[0]!.sightingId)).toBe(merged);
    } finally {
      await back.dispose();
    }
    // Undo the split on the original for the next tests.
    await m.mergeGroups(g.groupId, splitId);
  });

  it('loads a gallery file written by 0.1.0 (no sightings), plain and encrypted', async () => {
    for (const [file, passphrase] of [
      ['gallery-0.1.0.rfgal', undefined],
      ['gallery-0.1.0-encrypted.rfgal', 'written by 0.1.0'],
    ] as const) {
      const old = await Matcher.load(new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'gallery', 'fixtures', file))), passphrase ? { passphrase } : {});
      try {
        expect(old.size).toEqual({ subjects: 2, templates: 2 });
        expect(old.sightings.size).toBe(0);
        const [r] = await old.identify(variants[1]!.bytes);
        expect(r!.candidates[0]!.subjectId).toBe('hopper');
        expect((await old.save())[5]).toBe(1);
        await old.addSighting(variants[0]!.bytes);
        expect((await old.save())[5]).toBe(2);
      } finally {
        await old.dispose();
      }
    }
  });

  it('bad input: typed errors, nothing changed', async () => {
    const empty = await Matcher.create();
    try {
      expect(await empty.groupSightings()).toEqual([]);
      expect(await codeOf(empty.identifyGroup('g1'))).toBe('GROUP_NOT_FOUND');
      expect(await codeOf(empty.removeSighting('nope'))).toBe('SIGHTING_NOT_FOUND');
      expect(await codeOf(empty.splitGroup('g1', [{ sightingId: 'x', faceIndex: 0 }]))).toBe('GROUP_NOT_FOUND');
      expect(await codeOf(empty.mergeGroups('g1', 'g2'))).toBe('GROUP_NOT_FOUND');
      const grey = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#777' } }).png().toBuffer();
      expect(await codeOf(empty.addSighting(grey))).toBe('NO_FACE');
      expect(await codeOf(empty.addSighting(new Uint8Array([1, 2, 3])))).toBe('IMAGE_DECODE_FAILED');
      expect(await codeOf(empty.addSighting(variants[0]!.bytes, { metadata: { nested: { a: 1 } } as never }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(empty.addSighting(variants[0]!.bytes, { sightingId: '' }))).toBe('INVALID_ARGUMENT');
      expect(empty.sightings.size).toBe(0);
      const { sightingId } = await empty.addSighting(variants[0]!.bytes);
      expect(await codeOf(empty.addSighting(variants[2]!.bytes, { sightingId }))).toBe('INVALID_ARGUMENT');
      const [g] = await empty.groupSightings();
      // No cases enrolled: an empty ranking, as identify gives.
      expect(await empty.identifyGroup(g!.groupId)).toEqual([]);
      expect(await codeOf(empty.identifyGroup(g!.groupId, { k: 0 }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(empty.identifyGroup(g!.groupId, { combine: 'max' as never }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(empty.groupSightings({ k: -1 }))).toBe('INVALID_OPTIONS');
      expect(await codeOf(empty.splitGroup(g!.groupId, [{ sightingId, faceIndex: 7 }]))).toBe('FACE_NOT_FOUND');
      expect(await codeOf(empty.splitGroup(g!.groupId, [{ sightingId, faceIndex: 0 }]))).toBe('INVALID_ARGUMENT');
      await empty.removeSighting(sightingId);
      expect(await codeOf(empty.identifyGroup(g!.groupId))).toBe('GROUP_NOT_FOUND');
      // A gallery with sightings cannot be loaded on top of other sightings.
      await empty.addSighting(variants[0]!.bytes);
      expect(await codeOf(empty.loadGallery(await m.save()))).toBe('GALLERY_INVALID');
      expect(empty.size.templates).toBe(0);
    } finally {
      await empty.dispose();
    }
    expect(await codeOf(empty.groupSightings())).toBe('DISPOSED');
    expect(await codeOf(empty.addSighting(variants[0]!.bytes))).toBe('DISPOSED');
  });
});
