import { describe, expect, it } from 'vitest';
import { FlatIndex, flatIndexFactory } from '../../src/indexes/flat.js';
import { indexContract } from './contract.js';
import { seededRandom, unitVector } from './random.js';

indexContract('flat float32', {
  make: (dim) => flatIndexFactory.create(dim, flatIndexFactory.schema.parse({ initialCapacity: 16 })),
  minRecall: 1,
  scoreTolerance: 1e-5,
  vectorTolerance: 0,
});

indexContract('flat int8', {
  make: (dim) => flatIndexFactory.create(dim, flatIndexFactory.schema.parse({ quantize: 'int8', initialCapacity: 16 })),
  minRecall: 0.9,
  scoreTolerance: 0.02,
  vectorTolerance: 0.02,
});

indexContract('flat float32, JS scan', {
  make: (dim) => flatIndexFactory.create(dim, flatIndexFactory.schema.parse({ initialCapacity: 16, scan: 'js' })),
  minRecall: 1,
  scoreTolerance: 1e-5,
  vectorTolerance: 0,
});

indexContract('flat int8, JS scan', {
  make: (dim) => flatIndexFactory.create(dim, flatIndexFactory.schema.parse({ quantize: 'int8', initialCapacity: 16, scan: 'js' })),
  minRecall: 0.9,
  scoreTolerance: 0.02,
  vectorTolerance: 0.02,
});

describe('flat index scans', () => {
  it('runs on WebAssembly SIMD in Node, and the SIMD and JS scans agree (float32 to rounding, int8 exactly)', async () => {
    const rand = seededRandom(5);
    // 515 exercises every kernel path: 16-float blocks, 4-float steps and the scalar tail.
    for (const dim of [512, 515, 3]) {
      for (const quantize of ['none', 'int8'] as const) {
        const simd = new FlatIndex(dim, quantize, 8);
        const js = new FlatIndex(dim, quantize, 8, 'js');
        expect(simd.simd).toBe(true);
        expect(js.simd).toBe(false);
        const entries = Array.from({ length: 300 }, (_, i) => ({ id: `v${i}`, vector: unitVector(rand, dim) }));
        await simd.add(entries);
        await js.add(entries);
        for (let t = 0; t < 5; t++) {
          const q = unitVector(rand, dim);
          const a = await simd.search(q, 20);
          const b = await js.search(q, 20);
          expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
          a.forEach((h, i) => expect(Math.abs(h.score - b[i]!.score)).toBeLessThanOrEqual(quantize === 'int8' ? 0 : 2e-6));
        }
      }
    }
  });

  it('returns what an unpruned scan ranks first, across kernel blocks, with and without a filter', async () => {
    // search(q, n) never fills its top k before the end, so nothing is skipped: the k best
    // of it are the reference for search(q, k), whose scans skip slots below the threshold.
    const rand = seededRandom(11);
    const dim = 8;
    // One component 0.6, the rest of norm 0.8 and each smaller: every int8 scale is the
    // same, so the int8 scan's skip bound (threshold over the largest scale) is tight.
    const tight = (): Float32Array => {
      for (;;) {
        const r = unitVector(rand, dim - 1).map((x) => x * 0.8);
        if (r.every((x) => Math.abs(x) < 0.6)) return Float32Array.from([rand() < 0.5 ? -0.6 : 0.6, ...r]);
      }
    };
    const entries = Array.from({ length: 9000 }, (_, i) => ({ id: `v${i}`, vector: tight(), metadata: { odd: i % 2 === 1 } }));
    for (const quantize of ['none', 'int8'] as const) {
      for (const scan of ['auto', 'js'] as const) {
        const index = new FlatIndex(dim, quantize, 8, scan);
        await index.add(entries);
        for (let t = 0; t < 40; t++) {
          const q = unitVector(rand, dim);
          for (const filter of [undefined, { odd: true }]) {
            const all = (await index.search(q, entries.length, { filter })).slice(0, 10);
            const top = await index.search(q, 10, { filter });
            // Equal scores (int8 dots tie) may come in either order, or either be 10th.
            expect(top.map((h) => h.score)).toEqual(all.map((h) => h.score));
            const above = (hits: typeof top) => hits.filter((h) => h.score > all[9]!.score).map((h) => h.id).sort();
            expect(above(top)).toEqual(above(all));
          }
        }
        await index.dispose();
      }
    }
  });

  it('spreads a large index over several memory chunks and keeps remove() dense across them', async () => {
    // Chunks hold 256 MiB: 4,096 int8 vectors of 65,536 values, so 4,200 of them need two.
    const dim = 65536;
    const index = new FlatIndex(dim, 'int8', 2);
    const rand = seededRandom(9);
    const entries = Array.from({ length: 4200 }, (_, i) => ({ id: `v${i}`, vector: i % 100 === 0 ? unitVector(rand, dim) : new Float32Array(dim).fill(i % 2 ? 1 / 256 : -1 / 256) }));
    for (let i = 0; i < entries.length; i += 700) await index.add(entries.slice(i, i + 700));
    expect(index.memoryBytes()).toBeGreaterThan(256 * 2 ** 20);
    const probe = entries[4100]!;
    expect((await index.search(probe.vector, 1))[0]!.id).toBe('v4100');
    await index.remove(['v100']);
    expect((await index.search(probe.vector, 1))[0]!.id).toBe('v4100');
    expect(await index.size()).toBe(4199);
    await index.dispose();
  });
});

describe('flat index storage', () => {
  it('int8 keeps a quarter of the float32 bytes (plus one scale per vector)', async () => {
    const f = new FlatIndex(512, 'none', 1000);
    const q = new FlatIndex(512, 'int8', 1000);
    expect(f.memoryBytes()).toBe(1000 * 512 * 4);
    expect(q.memoryBytes()).toBe(1000 * 512 + 1000 * 4);
  });

  it('grows by doubling past its initial capacity and keeps every vector', async () => {
    const index = new FlatIndex(8, 'none', 2);
    const rand = seededRandom(1);
    const entries = Array.from({ length: 37 }, (_, i) => ({ id: `v${i}`, vector: unitVector(rand, 8) }));
    for (const e of entries) await index.add([e]);
    expect(index.memoryBytes()).toBe(64 * 8 * 4);
    for (const e of entries) expect((await index.search(e.vector, 1))[0]!.id).toBe(e.id);
  });

  it('rejects unknown options', () => {
    expect(flatIndexFactory.schema.safeParse({ quantize: 'int4' }).success).toBe(false);
    expect(flatIndexFactory.schema.safeParse({ nope: 1 }).success).toBe(false);
  });
});
