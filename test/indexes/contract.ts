import { describe, expect, it } from 'vitest';
import { isMatcherError, type MatcherErrorCode } from '../../src/core/errors.js';
import { matchesFilter, type Index, type IndexEntry, type MetadataFilter } from '../../src/indexes/index.js';
import { dot, seededRandom, unitVector } from './random.js';

export interface ContractOptions {
  /** Fresh, empty index of the given dimension. */
  make(dim: number): Promise<Index>;
  /** Exact indexes must return the brute-force top k; approximate ones a recall at least this. */
  minRecall: number;
  /** Largest allowed |returned score - exact cosine|. */
  scoreTolerance: number;
  /** Largest allowed per-element difference of entries() vectors from the added ones. */
  vectorTolerance: number;
  timeoutMs?: number;
}

const DIM = 32;
const COLORS = ['red', 'green', 'blue'] as const;

function makeEntries(n: number, seed: number, prefix = 'id'): IndexEntry[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    vector: unitVector(rand, DIM),
    metadata: { color: COLORS[i % 3]!, group: i % 7, even: i % 2 === 0 },
  }));
}

function bruteForce(entries: IndexEntry[], q: Float32Array, k: number, filter?: MetadataFilter) {
  return entries
    .filter((e) => matchesFilter(e.metadata, filter))
    .map((e) => ({ id: e.id, score: dot(e.vector, q) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

async function expectCode(p: Promise<unknown>, code: MatcherErrorCode): Promise<void> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(isMatcherError(error, code), `expected MatcherError ${code}, got ${String(error)}`).toBe(true);
}

/** The behaviour every `Index` implementation must share, run once per implementation. */
export function indexContract(name: string, opts: ContractOptions): void {
  const timeout = opts.timeoutMs ?? 30_000;

  async function withIndex<T>(fn: (index: Index) => Promise<T>): Promise<T> {
    const index = await opts.make(DIM);
    try {
      return await fn(index);
    } finally {
      await index.dispose();
    }
  }

  /** Checks hits against brute force: order, scores, ids, recall. */
  function checkHits(hits: { id: string; score: number }[], exact: { id: string; score: number }[], byId: Map<string, IndexEntry>, q: Float32Array) {
    expect(hits.length).toBe(exact.length);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score + 1e-6);
    for (const h of hits) {
      const e = byId.get(h.id);
      expect(e, `unknown id ${h.id}`).toBeDefined();
      expect(Math.abs(h.score - dot(e!.vector, q))).toBeLessThanOrEqual(opts.scoreTolerance);
    }
    const want = new Set(exact.map((e) => e.id));
    return hits.filter((h) => want.has(h.id)).length;
  }

  describe(`${name}: Index contract`, () => {
    it('search returns the brute-force top k, best first', { timeout }, async () => {
      await withIndex(async (index) => {
        const entries = makeEntries(400, 1);
        await index.add(entries.slice(0, 150));
        await index.add(entries.slice(150));
        expect(await index.size()).toBe(400);
        const byId = new Map(entries.map((e) => [e.id, e]));
        const rand = seededRandom(2);
        let found = 0;
        let wanted = 0;
        for (let q = 0; q < 20; q++) {
          const query = unitVector(rand, DIM);
          const exact = bruteForce(entries, query, 10);
          const hits = await index.search(query, 10);
          found += checkHits(hits, exact, byId, query);
          wanted += exact.length;
          if (opts.minRecall >= 1) expect(hits.map((h) => h.id)).toEqual(exact.map((e) => e.id));
        }
        expect(found / wanted).toBeGreaterThanOrEqual(opts.minRecall);
        // A stored vector must find itself first.
        const self = await index.search(entries[123]!.vector, 1);
        expect(self[0]!.id).toBe('id123');
        expect(self[0]!.score).toBeGreaterThan(1 - Math.max(1e-4, opts.scoreTolerance));
        expect(self[0]!.metadata).toEqual(entries[123]!.metadata);
      });
    });

    it('k larger than the index returns every entry; empty index returns none', { timeout }, async () => {
      await withIndex(async (index) => {
        expect(await index.search(unitVector(seededRandom(3), DIM), 5)).toEqual([]);
        const entries = makeEntries(7, 4);
        await index.add(entries);
        const hits = await index.search(entries[0]!.vector, 50);
        expect(hits.map((h) => h.id).sort()).toEqual(entries.map((e) => e.id).sort());
      });
    });

    it('removed entries are never returned, and remove counts only present ids', { timeout }, async () => {
      await withIndex(async (index) => {
        const entries = makeEntries(200, 5);
        await index.add(entries);
        const gone = entries.filter((_, i) => i % 3 === 0).map((e) => e.id);
        expect(await index.remove([...gone, 'never-added'])).toBe(gone.length);
        expect(await index.remove([gone[0]!])).toBe(0);
        expect(await index.size()).toBe(200 - gone.length);
        const goneSet = new Set(gone);
        const left = entries.filter((e) => !goneSet.has(e.id));
        const byId = new Map(left.map((e) => [e.id, e]));
        let found = 0;
        let wanted = 0;
        for (const e of entries.slice(0, 30)) {
          const hits = await index.search(e.vector, 10);
          for (const h of hits) expect(goneSet.has(h.id)).toBe(false);
          found += checkHits(hits, bruteForce(left, e.vector, 10), byId, e.vector);
          wanted += 10;
        }
        expect(found / wanted).toBeGreaterThanOrEqual(opts.minRecall);
      });
    });

    it('a removed id can be added again, with its new vector and metadata', { timeout }, async () => {
      await withIndex(async (index) => {
        const entries = makeEntries(50, 6);
        await index.add(entries);
        await index.remove(['id10']);
        const fresh = unitVector(seededRandom(7), DIM);
        await index.add([{ id: 'id10', vector: fresh, metadata: { color: 'violet' } }]);
        expect(await index.size()).toBe(50);
        const hit = (await index.search(fresh, 1))[0]!;
        expect(hit.id).toBe('id10');
        expect(hit.metadata).toEqual({ color: 'violet' });
        expect(hit.score).toBeGreaterThan(1 - Math.max(1e-4, opts.scoreTolerance));
        const old = await index.search(entries[10]!.vector, 3);
        expect(old.some((h) => h.id === 'id10' && h.score > 0.99)).toBe(false);
      });
    });

    it('adding an existing id replaces its vector and metadata', { timeout }, async () => {
      await withIndex(async (index) => {
        const entries = makeEntries(40, 8);
        await index.add(entries);
        const fresh = unitVector(seededRandom(9), DIM);
        await index.add([{ id: 'id3', vector: fresh, metadata: { color: 'black' } }]);
        expect(await index.size()).toBe(40);
        const hit = (await index.search(fresh, 1))[0]!;
        expect(hit).toMatchObject({ id: 'id3', metadata: { color: 'black' } });
        const all = await index.entries();
        expect(all.filter((e) => e.id === 'id3')).toHaveLength(1);
      });
    });

    it('filters by metadata: one value, any-of, several keys', { timeout }, async () => {
      await withIndex(async (index) => {
        const entries = makeEntries(300, 10);
        await index.add(entries);
        const byId = new Map(entries.map((e) => [e.id, e]));
        const filters: MetadataFilter[] = [
          { color: 'red' },
          { color: ['green', 'blue'] },
          { group: 3, even: true },
          { group: [1, 2], color: 'blue' },
          { color: 'absent' },
          { color: [] },
        ];
        const rand = seededRandom(11);
        for (const filter of filters) {
          let found = 0;
          let wanted = 0;
          for (let q = 0; q < 5; q++) {
            const query = unitVector(rand, DIM);
            const exact = bruteForce(entries, query, 10, filter);
            const hits = await index.search(query, 10, { filter });
            for (const h of hits) expect(matchesFilter(h.metadata, filter), JSON.stringify(filter)).toBe(true);
            found += checkHits(hits, exact, byId, query);
            wanted += exact.length;
          }
          if (wanted > 0) expect(found / wanted, JSON.stringify(filter)).toBeGreaterThanOrEqual(opts.minRecall);
        }
      });
    });

    it('refuses a wrong dimension and non-finite or non-unit vectors, leaving the index unchanged', { timeout }, async () => {
      await withIndex(async (index) => {
        await index.add(makeEntries(5, 12));
        const good = unitVector(seededRandom(13), DIM);
        await expectCode(index.add([{ id: 'x', vector: new Float32Array(DIM + 1).fill(1 / Math.sqrt(DIM + 1)) }]), 'INVALID_ARGUMENT');
        await expectCode(index.search(new Float32Array(DIM - 1), 3), 'INVALID_ARGUMENT');
        for (const bad of [NaN, Infinity, -Infinity]) {
          const v = good.slice();
          v[4] = bad;
          await expectCode(index.add([{ id: 'ok', vector: good }, { id: 'bad', vector: v }]), 'INVALID_ARGUMENT');
          await expectCode(index.search(v, 3), 'INVALID_ARGUMENT');
        }
        await expectCode(index.add([{ id: 'big', vector: good.map((x) => x * 2) }]), 'INVALID_ARGUMENT');
        await expectCode(index.add([{ id: 'd', vector: good }, { id: 'd', vector: good }]), 'INVALID_ARGUMENT');
        await expectCode(index.search(good, 0), 'INVALID_ARGUMENT');
        expect(await index.size()).toBe(5);
        expect((await index.entries()).map((e) => e.id).sort()).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
      });
    });

    it('entries() returns every stored id, vector and metadata', { timeout }, async () => {
      await withIndex(async (index) => {
        const entries = makeEntries(120, 14);
        entries[5] = { id: 'plain', vector: entries[5]!.vector };
        await index.add(entries);
        await index.remove(['id7']);
        const want = entries.filter((e) => e.id !== 'id7');
        const got = await index.entries();
        expect(got.map((e) => e.id).sort()).toEqual(want.map((e) => e.id).sort());
        const byId = new Map(got.map((e) => [e.id, e]));
        for (const e of want) {
          const g = byId.get(e.id)!;
          expect(g.vector).toBeInstanceOf(Float32Array);
          expect(g.vector.length).toBe(DIM);
          let maxDiff = 0;
          for (let i = 0; i < DIM; i++) maxDiff = Math.max(maxDiff, Math.abs(g.vector[i]! - e.vector[i]!));
          expect(maxDiff).toBeLessThanOrEqual(opts.vectorTolerance);
          expect(g.metadata ?? {}).toEqual(e.metadata ?? {});
        }
        // Re-adding what entries() returned must be accepted (persistence roundtrip).
        const copy = await opts.make(DIM);
        try {
          await copy.add(got);
          expect(await copy.size()).toBe(want.length);
        } finally {
          await copy.dispose();
        }
      });
    });

    it('dispose() makes later calls fail with DISPOSED and can be called twice', { timeout }, async () => {
      const index = await opts.make(DIM);
      await index.add(makeEntries(3, 15));
      await index.dispose();
      await index.dispose();
      await expectCode(index.size(), 'DISPOSED');
      await expectCode(index.search(unitVector(seededRandom(16), DIM), 1), 'DISPOSED');
      await expectCode(index.add(makeEntries(1, 17)), 'DISPOSED');
    });
  });
}
