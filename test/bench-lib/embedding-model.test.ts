import { describe, expect, it } from 'vitest';
import { cosineStats, fitEmbeddingModel, sampleEmbeddings, symmetricEigen } from '../../bench/lib/embedding-model.js';
import { gaussian, seededRandom } from '../indexes/random.js';

describe('bench embedding model', () => {
  it('symmetricEigen recovers A = V diag(l) V^T', () => {
    const d = 6;
    const rand = seededRandom(1);
    const b = Float64Array.from({ length: d * d }, () => gaussian(rand));
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) a[i * d + j]! += b[i * d + k]! * b[j * d + k]!;
    const { values, vectors } = symmetricEigen(a, d);
    for (let i = 1; i < d; i++) expect(values[i - 1]!).toBeGreaterThanOrEqual(values[i]!);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += vectors[r * d + i]! * values[r]! * vectors[r * d + j]!;
        expect(s).toBeCloseTo(a[i * d + j]!, 8);
      }
    }
  });

  it('samples reproduce the same-person and different-person cosines of the data it was fitted to', () => {
    // Labelled data with a known structure: 300 identities x 4 photos in 32 dimensions.
    const rand = seededRandom(2);
    const d = 32;
    const vectors: Float32Array[] = [];
    const labels: string[] = [];
    for (let id = 0; id < 300; id++) {
      const c = Float32Array.from({ length: d }, (_, k) => (k === 0 ? 1 : 0) + 0.5 * gaussian(rand));
      for (let p = 0; p < 4; p++) {
        vectors.push(Float32Array.from(c, (x) => x + 0.3 * gaussian(rand)));
        labels.push(String(id));
      }
    }
    const data = { vectors, labels };
    const model = fitEmbeddingModel(data, 16, 4);
    const sample = sampleEmbeddings(model, 1200, 0, 3);
    const real = cosineStats(data, 4000, 4);
    const drawn = cosineStats({ vectors: sample.gallery, labels: sample.gallery.map((_, i) => String(i % 300)) }, 4000, 4);
    expect(Math.abs(drawn.genuine[0] - real.genuine[0])).toBeLessThan(0.05);
    expect(Math.abs(drawn.impostor[0] - real.impostor[0])).toBeLessThan(0.05);
    expect(Math.abs(drawn.impostor[1] - real.impostor[1])).toBeLessThan(0.05);
  });
});
