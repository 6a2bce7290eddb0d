/**
 * A Matcher on pgvector (PGlite served over the wire protocol, so the `pg` client is what the
 * index talks to): templates enrolled by one run are adopted by the next one on the same
 * table, which can then save a gallery that loads anywhere.
 */
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher, type Embedder, type MatcherError } from '../../src/node.js';
import { FIXTURES } from '../helpers/data.js';
import { startPgliteWire, type PgliteWire } from '../helpers/pglite-wire.js';

const astro = join(FIXTURES, 'astronaut.png');
const grace = join(FIXTURES, 'grace_hopper.jpg');

let pglite: PgliteWire;
let db: PGlite;
let wire: pg.Client;

beforeAll(async () => {
  pglite = await startPgliteWire();
  ({ db, wire } = pglite);
}, 60_000);

afterAll(async () => {
  await pglite?.stop();
});

describe('Matcher on pgvector', () => {
  it('enrolls, reopens on the same table (adopting the rows), saves and loads', async () => {
    const index = { name: 'pgvector' as const, client: wire, table: 'cases' };
    const first = await Matcher.create({ index });
    const before = new Date().toISOString();
    await first.enroll('collins', astro, { metadata: { region: 'north' } });
    await first.enroll('hopper', grace);
    const expected = await first.identify(grace);
    await first.dispose();

    const second = await Matcher.create({ index });
    try {
      expect(second.size).toEqual({ subjects: 2, templates: 2 });
      const state = await second.exportGallery();
      expect(state.templates.map((t) => [t.subjectId, t.metadata]).sort()).toEqual([
        ['collins', { region: 'north' }],
        ['hopper', {}],
      ]);
      // The table keeps no enrolment time: adopted templates say when they were adopted.
      for (const t of state.templates) expect(t.enrolledAt >= before).toBe(true);

      const loaded = await Matcher.load(await second.save());
      try {
        expect(loaded.size).toEqual({ subjects: 2, templates: 2 });
        const got = await loaded.identify(grace);
        expect(got[0]!.candidates.map((c) => [c.subjectId, c.templateId])).toEqual(
          expected[0]!.candidates.map((c) => [c.subjectId, c.templateId]),
        );
        expect(got[0]!.candidates[0]!.score).toBeCloseTo(expected[0]!.candidates[0]!.score, 4);
      } finally {
        await loaded.dispose();
      }
    } finally {
      await second.dispose();
    }
  });

  it('refuses a table holding another embedder\'s vectors, of the same dimension', async () => {
    const index = { name: 'pgvector' as const, client: wire, table: 'cases_of_one_embedder' };
    const first = await Matcher.create({ index });
    const { id } = first.embedderId;
    await first.enroll('collins', astro);
    await first.dispose();
    const comment = await db.query<{ c: string }>(`SELECT obj_description('cases_of_one_embedder'::regclass, 'pg_class') AS c`);
    expect(comment.rows[0]!.c).toContain(id);

    const other: Embedder = {
      name: 'other',
      modelId: { id: 'other@1', sha256: 'cd'.repeat(32), dim: 512 },
      inputSize: 112,
      embed: async (faces) => faces.map(() => Float32Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0))),
      dispose: async () => undefined,
    };
    const err = await Matcher.create({ index, embedder: other, threshold: 0.5 }).catch((e: unknown) => e as MatcherError);
    expect((err as MatcherError).code).toBe('GALLERY_MODEL_MISMATCH');
    expect((err as MatcherError).message).toContain(id);
    // The same embedder still opens it.
    const again = await Matcher.create({ index });
    expect(again.size.templates).toBe(1);
    await again.dispose();
  });
});
