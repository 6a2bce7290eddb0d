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
