import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMatcherError } from '../../src/core/errors.js';
import { PgvectorIndex, pgvectorIndexFactory, type SqlClient } from '../../src/indexes/pgvector.js';
import { startPgliteWire, type PgliteWire } from '../helpers/pglite-wire.js';
import { indexContract } from './contract.js';
import { seededRandom, unitVector } from './random.js';

// One database serves every test (PGlite boots in seconds); each index gets its own table.
let pglite: PgliteWire;
let db: PGlite;
let wire: pg.Client;
let tables = 0;

beforeAll(async () => {
  pglite = await startPgliteWire();
  ({ db, wire } = pglite);
}, 60_000);

afterAll(async () => {
  await pglite?.stop();
});

const makeWith = (client: () => SqlClient) => (dim: number) =>
  pgvectorIndexFactory.create(dim, pgvectorIndexFactory.schema.parse({ client: client(), table: `t${++tables}` }));

indexContract('pgvector (PGlite)', {
  make: makeWith(() => db),
  minRecall: 0.95,
  scoreTolerance: 1e-5,
  vectorTolerance: 0,
});

indexContract('pgvector (pg client over PGlite socket)', {
  make: makeWith(() => wire),
  minRecall: 0.95,
  scoreTolerance: 1e-5,
  vectorTolerance: 0,
});

describe('pgvector index', () => {
  it('creates the table, extension and HNSW cosine index', async () => {
    await PgvectorIndex.create(8, { client: db, table: 'schema_check' });
    const idx = await db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'schema_check'`);
    expect(idx.rows.some((r) => /USING hnsw \(vector vector_cosine_ops\)/.test(r.indexdef))).toBe(true);
  });

  it('refuses an existing table of another dimension', async () => {
    await PgvectorIndex.create(8, { client: db, table: 'dim_check' });
    const err = await PgvectorIndex.create(16, { client: db, table: 'dim_check' }).catch((e: unknown) => e);
    expect(isMatcherError(err, 'INDEX_ERROR')).toBe(true);
    expect(String((err as Error).message)).toMatch(/vector\(8\)/);
  });

  it('refuses table names that are not plain identifiers', async () => {
    for (const table of ['x; DROP TABLE y', 'Upper', '"q"', 'a.b.c', '']) {
      const err = await PgvectorIndex.create(8, { client: db, table }).catch((e: unknown) => e);
      expect(isMatcherError(err, 'INVALID_OPTIONS'), table).toBe(true);
    }
  });

  it('keeps data across index instances on the same table', async () => {
    const rand = seededRandom(1);
    const a = await PgvectorIndex.create(8, { client: wire, table: 'persist' });
    const v = unitVector(rand, 8);
    await a.add([{ id: 'x', vector: v, metadata: { case: 'c-1' } }]);
    await a.dispose();
    const b = await PgvectorIndex.create(8, { client: wire, table: 'persist' });
    expect(await b.search(v, 1)).toMatchObject([{ id: 'x', metadata: { case: 'c-1' } }]);
  });
});
