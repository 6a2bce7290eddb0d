import { z } from 'zod';
import { MatcherError } from '../core/errors.js';
import type { Index, IndexEntry, IndexFactory, IndexHit, Metadata, MetadataFilter, SearchOptions } from './index.js';
import { assertDim, assertEntries, assertFilter, assertIds, assertK, assertVector, disposedError } from './validate.js';

/**
 * The one method the index needs from a SQL client. PGlite, `pg`'s Client and Pool all fit.
 * Parameters are only strings, so no client-specific type serialisation is involved.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const identifier = /^[a-z_][a-z0-9_]{0,47}$/;

export const pgvectorIndexSchema = z
  .object({
    client: z.custom<SqlClient>(
      (c) => typeof c === 'object' && c !== null && typeof (c as SqlClient).query === 'function',
      { message: 'client must have a query(text, params) method (PGlite, pg.Client, pg.Pool)' },
    ),
    /** Table name, optionally schema-qualified (`faces.templates`); lowercase letters, digits, _. */
    table: z
      .string()
      .refine((t) => t.split('.').length <= 2 && t.split('.').every((p) => identifier.test(p)), {
        message: 'table must be [schema.]name with lowercase letters, digits and _ (max 48 chars each)',
      })
      .default('reunite_face_templates'),
    /** pgvector HNSW build parameters (used only when this index creates the SQL index). */
    m: z.number().int().min(2).max(100).default(16),
    efConstruction: z.number().int().min(4).max(1000).default(64),
    /** hnsw.ef_search set before each search (pgvector allows 1..1000). */
    efSearch: z.number().int().min(1).max(1000).default(100),
    /** Skip CREATE EXTENSION / TABLE / INDEX (for databases where the app's role may not run DDL). */
    createSchema: z.boolean().default(true),
  })
  .strict();

export type PgvectorIndexOptions = z.input<typeof pgvectorIndexSchema>;
type ResolvedOptions = z.output<typeof pgvectorIndexSchema>;

function quoteIdent(qualified: string): string {
  return qualified
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
}

/** pgvector's text input format; JS shortest round-trip numbers parse back to the same float32. */
function vectorLiteral(v: Float32Array): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + v[i]!;
  return s + ']';
}

function parseVector(text: unknown, dim: number): Float32Array {
  if (typeof text !== 'string' || text[0] !== '[' || text[text.length - 1] !== ']') {
    throw new MatcherError('INDEX_ERROR', 'pgvector returned a vector in an unexpected format');
  }
  const parts = text.slice(1, -1).split(',');
  if (parts.length !== dim) throw new MatcherError('INDEX_ERROR', `pgvector returned a vector of ${parts.length} dims`);
  return Float32Array.from(parts, Number);
}

function parseMetadata(value: unknown): Metadata | undefined {
  if (value === null || value === undefined) return undefined;
  const m = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return undefined;
  return Object.keys(m).length ? (m as Metadata) : undefined;
}

/**
 * Builds the WHERE clause: each key is a jsonb containment test, an array value ORs them.
 * `{"k": null}` contains only rows where k is present and null, like `matchesFilter`.
 */
function filterSql(filter: MetadataFilter | undefined, params: unknown[]): string {
  if (!filter) return 'TRUE';
  const clauses: string[] = [];
  for (const [key, want] of Object.entries(filter)) {
    const values = Array.isArray(want) ? want : [want];
    if (values.length === 0) return 'FALSE';
    const ors = values.map((v) => {
      params.push(JSON.stringify({ [key]: v }));
      return `metadata @> $${params.length}::jsonb`;
    });
    clauses.push(ors.length === 1 ? ors[0]! : `(${ors.join(' OR ')})`);
  }
  return clauses.length ? clauses.join(' AND ') : 'TRUE';
}

/**
 * Templates in a PostgreSQL table with a pgvector HNSW index (cosine). The caller owns the
 * client: `dispose()` does not close it and does not drop the table.
 *
 * With a connection pool, `hnsw.ef_search` is set per search on whichever connection runs
 * the `set_config` call; see docs/pgvector.md for setting it per connection instead.
 */
export class PgvectorIndex implements Index {
  readonly kind = 'pgvector';
  private disposed = false;
  private readonly table: string;

  private constructor(
    readonly dim: number,
    private readonly options: ResolvedOptions,
    private readonly client: SqlClient,
  ) {
    this.table = quoteIdent(options.table);
  }

  static async create(dim: number, options: PgvectorIndexOptions): Promise<PgvectorIndex> {
    assertDim(dim);
    if (dim > 2000) throw new MatcherError('INVALID_ARGUMENT', 'pgvector HNSW indexes support at most 2000 dimensions');
    const parsed = pgvectorIndexSchema.safeParse(options);
    if (!parsed.success) {
      throw new MatcherError('INVALID_OPTIONS', `pgvector index options: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    const index = new PgvectorIndex(dim, parsed.data, parsed.data.client);
    await index.init();
    return index;
  }

  private async sql(what: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    if (this.disposed) throw disposedError(this.kind);
    try {
      return (await this.client.query(text, params)).rows;
    } catch (cause) {
      throw new MatcherError('INDEX_ERROR', `pgvector ${what} failed: ${(cause as Error).message}`, { cause });
    }
  }

  private async init(): Promise<void> {
    const o = this.options;
    const bare = o.table.split('.').pop()!;
    if (o.createSchema) {
      await this.sql('setup', 'CREATE EXTENSION IF NOT EXISTS vector');
      await this.sql(
        'setup',
        `CREATE TABLE IF NOT EXISTS ${this.table} (id text PRIMARY KEY, vector vector(${this.dim}) NOT NULL, metadata jsonb NOT NULL DEFAULT '{}'::jsonb)`,
      );
      await this.sql(
        'setup',
        `CREATE INDEX IF NOT EXISTS "${bare}_vector_hnsw" ON ${this.table} USING hnsw (vector vector_cosine_ops) WITH (m = ${o.m}, ef_construction = ${o.efConstruction})`,
      );
    }
    const rows = await this.sql(
      'setup',
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'vector' AND NOT attisdropped`,
      [o.table],
    );
    const type = rows[0]?.type;
    if (type !== `vector(${this.dim})`) {
      throw new MatcherError(
        'INDEX_ERROR',
        type === undefined
          ? `table ${o.table} does not exist or has no 'vector' column`
          : `table ${o.table} holds ${String(type)}, the embedder produces vector(${this.dim})`,
      );
    }
  }

  async add(entries: IndexEntry[]): Promise<void> {
    if (this.disposed) throw disposedError(this.kind);
    assertEntries(entries, this.dim);
    if (entries.length === 0) return;
    // One statement for the whole batch: atomic without a transaction, which a pool could
    // not guarantee to run on one connection.
    const rows = entries.map((e) => ({ id: e.id, vector: vectorLiteral(e.vector), metadata: e.metadata ?? {} }));
    await this.sql(
      'add',
      `INSERT INTO ${this.table} (id, vector, metadata)
       SELECT r.id, r.vector::vector(${this.dim}), r.metadata FROM jsonb_to_recordset($1::jsonb) AS r(id text, vector text, metadata jsonb)
       ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector, metadata = EXCLUDED.metadata`,
      [JSON.stringify(rows)],
    );
  }

  async remove(ids: string[]): Promise<number> {
    if (this.disposed) throw disposedError(this.kind);
    assertIds(ids);
    if (ids.length === 0) return 0;
    const rows = await this.sql(
      'remove',
      `WITH gone AS (DELETE FROM ${this.table} WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [JSON.stringify(ids)],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async search(query: Float32Array, k: number, options: SearchOptions = {}): Promise<IndexHit[]> {
    if (this.disposed) throw disposedError(this.kind);
    assertVector(query, this.dim, 'query');
    assertK(k);
    assertFilter(options.filter);
    // strict_order: with a filter, keep scanning the graph until k rows pass (pgvector >= 0.8).
    await this.sql(
      'search',
      `SELECT set_config('hnsw.ef_search', $1, false), set_config('hnsw.iterative_scan', 'strict_order', false)`,
      [String(Math.max(this.options.efSearch, Math.min(k, 1000)))],
    );
    const params: unknown[] = [vectorLiteral(query)];
    const where = filterSql(options.filter, params);
    params.push(String(k));
    const rows = await this.sql(
      'search',
      `SELECT id, metadata, vector <=> $1::vector(${this.dim}) AS distance FROM ${this.table}
       WHERE ${where} ORDER BY vector <=> $1::vector(${this.dim}) LIMIT $${params.length}::int`,
      params,
    );
    return rows.map((r) => {
      const metadata = parseMetadata(r.metadata);
      const score = 1 - Number(r.distance);
      return metadata ? { id: String(r.id), score, metadata } : { id: String(r.id), score };
    });
  }

  async size(): Promise<number> {
    const rows = await this.sql('size', `SELECT count(*)::int AS n FROM ${this.table}`);
    return Number(rows[0]?.n ?? 0);
  }

  async entries(): Promise<IndexEntry[]> {
    const rows = await this.sql('entries', `SELECT id, vector::text AS vector, metadata FROM ${this.table} ORDER BY id`);
    return rows.map((r) => {
      const metadata = parseMetadata(r.metadata);
      const vector = parseVector(r.vector, this.dim);
      return metadata ? { id: String(r.id), vector, metadata } : { id: String(r.id), vector };
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** The table's comment (COMMENT ON TABLE takes no parameter: the text is quoted here). */
  readonly note = {
    read: async (): Promise<string | undefined> => {
      const rows = await this.sql('note', `SELECT obj_description(to_regclass($1), 'pg_class') AS c`, [this.options.table]);
      return typeof rows[0]?.c === 'string' ? rows[0].c : undefined;
    },
    write: async (text: string): Promise<void> => {
      // Without DDL rights (createSchema: false) the table may not be ours to comment on.
      if (!this.options.createSchema) return;
      await this.sql('note', `COMMENT ON TABLE ${this.table} IS '${text.replaceAll("'", "''")}'`);
    },
  };
}

export const pgvectorIndexFactory: IndexFactory<typeof pgvectorIndexSchema> = {
  kind: 'pgvector',
  schema: pgvectorIndexSchema,
  create: (dim, options) => PgvectorIndex.create(dim, options),
};
