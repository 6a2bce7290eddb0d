import { describe, expect, it } from 'vitest';
import { decodeGallery, encodeGallery } from '../../src/gallery/format.js';
import type { SightingRecord } from '../../src/gallery/sightings-section.js';
import { FlatIndex } from '../../src/indexes/flat.js';
import { DEFAULT_GROUPING } from '../../src/sightings/options.js';
import { SightingStore } from '../../src/sightings/store.js';
import { syntheticFaces } from './synthetic.js';
import { codeOf } from '../helpers/code-of.js';

const DIM = 64;
const faces = syntheticFaces(6, 4, 0.5, 31, DIM);
const record = (i: number): SightingRecord => ({
  sightingId: `photo-${i}`,
  metadata: { place: `street ${i % 3}`, takenAt: `2026-10-0${1 + (i % 9)}T10:00:00Z` },
  addedAt: '2026-11-30T10:00:00.000Z',
  faces: [{ box: { x: i, y: 0, width: 30, height: 30 }, score: 0.9, landmarks: [], vector: faces[i]!.vector }],
});
const person = (sightingId: string) => faces[Number(sightingId.split('-')[1])]!.person;
const ok = () => undefined;

async function filled(n = faces.length): Promise<SightingStore> {
  const store = new SightingStore(new FlatIndex(DIM), DEFAULT_GROUPING);
  for (let i = 0; i < n; i++) await store.add(record(i), ok);
  return store;
}

describe('SightingStore', () => {
  it('groups the photos of each person, with their metadata, box and a representative', async () => {
    const store = await filled();
    expect(store.size).toBe(24);
    const groups = await store.groups();
    expect(groups).toHaveLength(6);
    for (const g of groups) {
      expect(new Set(g.faces.map((f) => person(f.sightingId))).size).toBe(1);
      expect(g.faces).toHaveLength(4);
      expect(g.faces[0]).toMatchObject({ faceIndex: 0, metadata: { place: expect.any(String) }, box: { width: 30 }, outlier: false });
      expect(g.faces.map((f) => f.sightingId)).toContain(g.representative.sightingId);
    }
  });

  it('concurrent adds give the groups of sequential adds', async () => {
    const store = new SightingStore(new FlatIndex(DIM), DEFAULT_GROUPING);
    await Promise.all(faces.map((_, i) => store.add(record(i), ok)));
    const seq = await filled();
    expect(await store.groups()).toEqual(await seq.groups());
  });

  it('a caller that gave up leaves nothing behind', async () => {
    const index = new FlatIndex(DIM);
    const store = new SightingStore(index, DEFAULT_GROUPING);
    let calls = 0;
    const late = () => {
      if (++calls === 2) throw new Error('timed out');
    };
    await expect(store.add(record(0), late)).rejects.toThrow('timed out');
    expect(store.size).toBe(0);
    expect(await index.size()).toBe(0);
    expect(await store.groups()).toEqual([]);
  });

  it('typed errors for unknown ids, a group whose faces are gone, bad faces, an empty store', async () => {
    const empty = new SightingStore(new FlatIndex(DIM), DEFAULT_GROUPING);
    expect(await empty.groups()).toEqual([]);
    expect(await codeOf(empty.remove('nope'))).toBe('SIGHTING_NOT_FOUND');
    expect(await codeOf(empty.merge('g1', 'g2'))).toBe('GROUP_NOT_FOUND');
    expect(await codeOf(() => empty.groupFaces('g1'))).toBe('GROUP_NOT_FOUND');
    expect(await codeOf(empty.groups({ pairThreshold: 2 }))).toBe('INVALID_OPTIONS');
    expect(await codeOf(empty.groups({ pairThreshold: 0.4, groupThreshold: 0.5 }))).toBe('INVALID_OPTIONS');

    const store = await filled(8);
    expect(await codeOf(store.add(record(0), ok))).toBe('INVALID_ARGUMENT');
    const g = (await store.groups()).find((x) => x.faces.length === 4)!;
    expect(await codeOf(store.split(g.groupId, []))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(store.split(g.groupId, [{ sightingId: 'photo-0', faceIndex: 3 }]))).toBe('FACE_NOT_FOUND');
    expect(await codeOf(store.split(g.groupId, g.faces))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(store.split(g.groupId, [{ sightingId: 'photo-0' } as never]))).toBe('INVALID_ARGUMENT');
    const other = (await store.groups()).find((x) => x.groupId !== g.groupId)!;
    expect(await codeOf(store.split(g.groupId, [other.faces[0]!]))).toBe('FACE_NOT_FOUND');
    for (const f of g.faces) await store.remove(f.sightingId);
    expect(await codeOf(() => store.groupFaces(g.groupId))).toBe('GROUP_NOT_FOUND');
    expect(await codeOf(store.remove(g.faces[0]!.sightingId))).toBe('SIGHTING_NOT_FOUND');
    expect(await codeOf(store.remove(42 as never))).toBe('INVALID_ARGUMENT');
  });

  it('save/load keeps sightings, groups, ids and the reviewer’s split and merge, and they outlive new photos', async () => {
    const store = await filled(20);
    const groups = await store.groups();
    const a = groups[0]!;
    const splitId = await store.split(a.groupId, [a.faces[3]!]);
    const mergedId = await store.merge(groups[1]!.groupId, groups[2]!.groupId);
    const before = await store.groups();
    const bytes = await encodeGallery({ embedder: { id: 'test', sha256: '0'.repeat(64), dim: DIM }, templates: [], sightings: store.export() });
    const state = await decodeGallery(bytes);
    const back = new SightingStore(new FlatIndex(DIM), DEFAULT_GROUPING);
    await back.import(state.sightings!);
    expect(await back.groups()).toEqual(before);
    // New photos of the split-off face's person and of the merged people do not undo the decisions.
    for (let i = 20; i < 24; i++) await back.add(record(i), ok);
    const after = await back.groups();
    const find = (sid: string) => after.find((g) => g.faces.some((f) => f.sightingId === sid))!;
    expect(find(a.faces[3]!.sightingId).groupId).toBe(splitId);
    expect(find(a.faces[0]!.sightingId).groupId).toBe(a.groupId);
    expect(find(groups[1]!.faces[0]!.sightingId).groupId).toBe(mergedId);
    expect(find(groups[2]!.faces[0]!.sightingId).groupId).toBe(mergedId);
    // Regrouping with other options keeps them too.
    const regrouped = await back.groups({ pairThreshold: 0.7, groupThreshold: 0.5 });
    const find2 = (sid: string) => regrouped.find((g) => g.faces.some((f) => f.sightingId === sid))!.groupId;
    expect(find2(a.faces[3]!.sightingId)).not.toBe(find2(a.faces[0]!.sightingId));
    expect(find2(groups[1]!.faces[0]!.sightingId)).toBe(find2(groups[2]!.faces[0]!.sightingId));
    expect(await codeOf(back.import(state.sightings!))).toBe('GALLERY_INVALID');
  });
});
