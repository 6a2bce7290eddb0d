import { describe, expect, it } from 'vitest';
import { stableGroupIds } from '../../src/sightings/group-ids.js';
import { ReviewerDecisions } from '../../src/sightings/decisions.js';
import { SightingGrouper, type GrouperOptions } from '../../src/sightings/grouper.js';
import { indexed, syntheticFaces, type Face } from './synthetic.js';

const OPTIONS: GrouperOptions = { pairThreshold: 0.6, groupThreshold: 0.45, k: 10, outlierMargin: 0.05 };

async function grouped(faces: Face[], state?: ConstructorParameters<typeof SightingGrouper>[1]) {
  const g = new SightingGrouper(OPTIONS, state);
  const { index, search } = await indexed(faces);
  await g.add(faces, search);
  return { g, index, search };
}

const person = (id: string) => id.split('-')[0];

describe('stable group ids', () => {
  it('a group keeps the id most of its faces had; contested ids go to the larger share', () => {
    const held = new Set(['g1']);
    const r = stableGroupIds([['g2', 'g2', 'g3'], ['g2', ''], ['', ''], ['g1']], 10, (id) => held.has(id));
    expect(r.ids).toEqual(['g2', 'g10', 'g11', 'g12']);
    expect(r.next).toBe(13);
  });
});

describe('reviewer decisions', () => {
  it('the latest decision wins: a merge lifts the split between the merged faces only', () => {
    const d = new ReviewerDecisions();
    d.split(['a', 'b'], ['c', 'd']);
    expect(d.toJSON()).toEqual({ together: [['a', 'b']], apart: [[['a', 'b'], ['c', 'd']]] });
    d.merge(['a', 'b', 'c']);
    expect(d.toJSON()).toEqual({ together: [['a', 'b', 'c']], apart: [] });
    d.split(['c'], ['a', 'b']);
    expect(d.toJSON()).toEqual({ together: [['a', 'b']], apart: [[['c'], ['a', 'b']]] });
    d.forget(['c']);
    expect(d.toJSON()).toEqual({ together: [['a', 'b']], apart: [] });
  });
});

describe('SightingGrouper', () => {
  it('groups people, flags nobody in clean groups, and picks a member as representative', async () => {
    const faces = syntheticFaces(12, 4, 0.5, 2, 64);
    const { g } = await grouped(faces);
    const groups = g.groups();
    expect(groups).toHaveLength(12);
    for (const grp of groups) {
      expect(new Set(grp.faces.map((f) => person(f.faceId))).size).toBe(1);
      expect(grp.faces.some((f) => f.outlier)).toBe(false);
      expect(grp.faces.map((f) => f.faceId)).toContain(grp.representative);
    }
    expect(new Set(groups.map((x) => x.groupId)).size).toBe(12);
  });

  it('keeps group ids when photos are added', async () => {
    const all = syntheticFaces(8, 6, 0.5, 4, 64);
    const faces = all.filter((f) => Number(f.id.split('-')[1]) < 4);
    const { g, index, search } = await grouped(faces);
    const before = new Map(faces.map((f) => [f.id, g.groupOfFace(f.id)]));
    const more = all.filter((f) => Number(f.id.split('-')[1]) >= 4);
    await index.add(more.map((f) => ({ id: f.id, vector: f.vector })));
    await g.add(more, search);
    for (const f of faces) expect(g.groupOfFace(f.id)).toBe(before.get(f.id));
    for (const f of more) expect(g.groupOfFace(f.id)).toBe(before.get(`${person(f.id)}-0`));
  });

  it('flags a face far from the rest of its group', async () => {
    const faces = syntheticFaces(2, 5, 0.5, 12, 64);
    const { g } = await grouped([...faces.slice(0, 5), faces[5]!]);
    const id = g.merge(g.groupOfFace('p0-0')!, g.groupOfFace('p1-0')!);
    const grp = g.groups().find((x) => x.groupId === id)!;
    expect(grp.faces.filter((f) => f.outlier).map((f) => f.faceId)).toEqual(['p1-0']);
    expect(grp.representative).not.toBe('p1-0');
  });

  it('a split is kept by later grouping and regrouping; a merge too; unknown ids give undefined', async () => {
    const all = syntheticFaces(6, 8, 0.5, 9, 64);
    const faces = all.filter((f) => Number(f.id.split('-')[1]) < 5);
    const { g, index, search } = await grouped(faces);
    const id = g.groupOfFace('p1-0')!;
    const newId = g.split(id, ['p1-3', 'p1-4']);
    expect(newId).not.toBe(id);
    expect(g.facesOf(id)).toEqual(['p1-0', 'p1-1', 'p1-2']);
    expect(g.facesOf(newId)).toEqual(['p1-3', 'p1-4']);
    // New photos of person 1 and a full regroup do not undo the split.
    const more = all.filter((f) => f.id.startsWith('p1-') && Number(f.id.split('-')[1]) >= 5);
    await index.add(more);
    await g.add(more, search);
    await g.regroup(search);
    expect(g.groupOfFace('p1-0')).not.toBe(g.groupOfFace('p1-3'));
    expect(g.groupOfFace('p1-3')).toBe(g.groupOfFace('p1-4'));
    // A merge of two different people is kept as well.
    const merged = g.merge(g.groupOfFace('p2-0')!, g.groupOfFace('p3-0')!);
    await g.regroup(search);
    expect(g.groupOfFace('p2-0')).toBe(g.groupOfFace('p3-4'));
    expect([merged]).toContain(g.groupOfFace('p2-0'));
    expect(g.facesOf('g999')).toBeUndefined();
    expect(g.groupOfFace('nobody')).toBeUndefined();
  });

  it('removing faces regroups the rest; a group whose faces are all gone has no id any more', async () => {
    const faces = syntheticFaces(5, 3, 0.5, 6, 64);
    const { g } = await grouped(faces);
    const id = g.groupOfFace('p0-0')!;
    g.remove(['p0-0']);
    expect(g.groupOfFace('p0-1')).toBe(id);
    g.remove(['p0-1', 'p0-2']);
    expect(g.facesOf(id)).toBeUndefined();
    expect(g.groups()).toHaveLength(4);
  });

  it('round trip: ids and decisions come back, and new ids never reuse retired ones', async () => {
    const faces = syntheticFaces(6, 4, 0.5, 8, 64);
    const { g } = await grouped(faces);
    g.split(g.groupOfFace('p0-0')!, ['p0-3']);
    g.merge(g.groupOfFace('p4-0')!, g.groupOfFace('p5-0')!);
    const state = JSON.parse(JSON.stringify(g.toJSON()));
    const { g: back } = await grouped(faces, state);
    for (const f of faces) expect(back.groupOfFace(f.id)).toBe(g.groupOfFace(f.id));
    expect(back.toJSON()).toEqual(g.toJSON());
    const maxId = Math.max(...g.groups().map((x) => Number(x.groupId.slice(1))));
    const extra = syntheticFaces(7, 1, 0.5, 99, 64).slice(6).map((f) => ({ ...f, id: 'new' }));
    const { search } = await indexed([...faces, ...extra]);
    await back.add(extra, search);
    expect(Number(back.groupOfFace('new')!.slice(1))).toBeGreaterThan(maxId);
  });
});
