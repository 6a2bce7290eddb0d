import { describe, expect, it } from 'vitest';
import { defaultEfSearch, HnswIndex, hnswIndexFactory } from '../../src/indexes/hnsw.js';
import { indexContract } from './contract.js';
import { dot, seededRandom, unitVector } from './random.js';

indexContract('hnsw', {
  make: (dim) => hnswIndexFactory.create(dim, hnswIndexFactory.schema.parse({ initialCapacity: 8 })),
  minRecall: 0.95,
  scoreTolerance: 1e-5,
  vectorTolerance: 1e-6,
});

describe('hnsw index', () => {
  it("efSearch 'auto' follows the gallery size; a number fixes it; bad values are refused", async () => {
    expect(defaultEfSearch(10_000)).toBe(512);
    expect(defaultEfSearch(1_000_000)).toBeGreaterThan(defaultEfSearch(10_000));
    const index = await HnswIndex.create(8, { initialCapacity: 4 });
    expect(index.currentEfSearch).toBe(defaultEfSearch(0));
    index.setEfSearch(40);
    expect(index.currentEfSearch).toBe(40);
    index.setEfSearch('auto');
    expect(index.currentEfSearch).toBe(defaultEfSearch(0));
    expect(() => index.setEfSearch(0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => hnswIndexFactory.schema.parse({ efSearch: 'fast' })).toThrow();
    expect((await HnswIndex.create(8, { efSearch: 64 })).currentEfSearch).toBe(64);
    await index.dispose();
  });

  it('recycles deleted slots instead of growing, and grows when full', async () => {
    const index = await HnswIndex.create(16, { initialCapacity: 4 });
    const rand = seededRandom(3);
    const v = () => unitVector(rand, 16);
    await index.add([0, 1, 2, 3].map((i) => ({ id: `a${i}`, vector: v() })));
    const full = index.memoryBytes();
    await index.remove(['a0', 'a1']);
    await index.add([{ id: 'b0', vector: v() }, { id: 'b1', vector: v() }]);
    expect(index.memoryBytes()).toBe(full);
    await index.add([{ id: 'c0', vector: v() }]);
    expect(index.memoryBytes()).toBeGreaterThan(full);
    expect((await index.entries()).map((e) => e.id).sort()).toEqual(['a2', 'a3', 'b0', 'b1', 'c0']);
    await index.dispose();
  });

  it('finds the exact neighbours of a few thousand vectors at default settings', { timeout: 60_000 }, async () => {
    const dim = 64;
    const rand = seededRandom(5);
    const vectors = Array.from({ length: 3000 }, () => unitVector(rand, dim));
    const index = await HnswIndex.create(dim, {});
    await index.add(vectors.map((vector, i) => ({ id: String(i), vector })));
    let found = 0;
    for (let q = 0; q < 50; q++) {
      const query = unitVector(rand, dim);
      const exact = vectors
        .map((v, i) => ({ i: String(i), s: dot(v, query) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map((e) => e.i);
      const hits = await index.search(query, 10);
      found += hits.filter((h) => exact.includes(h.id)).length;
    }
    expect(found / 500).toBeGreaterThanOrEqual(0.98);
    await index.dispose();
  });

  it('keeps recall with a filter that matches 1% of the graph', { timeout: 60_000 }, async () => {
    const dim = 64;
    const rand = seededRandom(8);
    const vectors = Array.from({ length: 5000 }, () => unitVector(rand, dim));
    const index = await HnswIndex.create(dim, {});
    await index.add(vectors.map((vector, i) => ({ id: String(i), vector, metadata: { case: i % 100 } })));
    let found = 0;
    for (let q = 0; q < 20; q++) {
      const query = unitVector(rand, dim);
      const exact = vectors
        .map((v, i) => ({ i, s: dot(v, query) }))
        .filter((e) => e.i % 100 === 42)
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map((e) => String(e.i));
      const hits = await index.search(query, 10, { filter: { case: 42 } });
      expect(hits).toHaveLength(10);
      found += hits.filter((h) => exact.includes(h.id)).length;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.98);
    await index.dispose();
  });
});
