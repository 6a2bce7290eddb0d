import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ManifestSchema, type Manifest } from '../../src/core/manifest.js';

const MODELS = join(import.meta.dirname, '..', '..', 'models');
const manifest: Manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')));

/** Varied, reproducible pixels-like values; a constant input would hide per-sample mix-ups. */
function pattern(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(i * 0.37 + seed * 1.7) * Math.cos(i * 0.011 + seed);
  return out;
}

describe('models/manifest.json', () => {
  it('has one fp32 model per task, all shipped', () => {
    for (const [id, task] of [['ultraface', 'detector'], ['landmarks68', 'landmarks'], ['mobilefacenet', 'embedder']] as const) {
      const e = manifest.models.find((m) => m.id === id && m.precision === 'fp32');
      expect(e, id).toBeDefined();
      expect(e!.task).toBe(task);
      expect(e!.shipped).toBe(true);
    }
    expect(manifest.models.find((m) => m.id === 'mobilefacenet')!.dim).toBe(512);
  });

  it.each(manifest.models.map((m) => [`${m.id}/${m.precision}`, m] as const))('%s: file exists, size and sha256 match', (_, entry) => {
    const path = join(MODELS, entry.file);
    expect(existsSync(path), `${entry.file} missing: run npm run models:build`).toBe(true);
    const bytes = readFileSync(path);
    expect(bytes.byteLength).toBe(entry.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
  });

  it.each(manifest.models.filter((m) => m.card).map((m) => [m.id, m.card!] as const))('%s: model card exists', (_, card) => {
    expect(existsSync(join(MODELS, card))).toBe(true);
  });
});

describe('embedder with dynamic batch', () => {
  const embedders = manifest.models.filter((m) => m.task === 'embedder' && existsSync(join(MODELS, m.file)));

  it.each(embedders.map((m) => [`${m.id}/${m.precision}`, m] as const))('%s: batch of 4 equals 4 single runs', async (_, entry) => {
    expect(entry.input.shape[0]).toBe(-1);
    const session = await ort.InferenceSession.create(join(MODELS, entry.file), { intraOpNumThreads: 1 });
    try {
      const sample = entry.input.shape.slice(1);
      const per = sample.reduce((a, b) => a * b, 1);
      const data = pattern(per * 4, 3);
      const out = entry.outputs[0]!;
      const batched = (await session.run({ [entry.input.name]: new ort.Tensor('float32', data, [4, ...sample]) }))[out]!;
      expect(batched.dims).toEqual([4, entry.dim]);
      const b = batched.data as Float32Array;
      const singles: Float32Array[] = [];
      for (let i = 0; i < 4; i++) {
        const one = (await session.run({
          [entry.input.name]: new ort.Tensor('float32', data.slice(i * per, (i + 1) * per), [1, ...sample]),
        }))[out]!;
        expect(one.dims).toEqual([1, entry.dim]);
        singles.push(one.data as Float32Array);
      }
      let maxDiff = 0;
      singles.forEach((s, i) => s.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - b[i * entry.dim! + j]!)))));
      expect(maxDiff).toBeLessThan(1e-4);
      // Distinct inputs must give distinct embeddings, or the comparison above proves nothing.
      expect(Math.abs(singles[0]![0]! - singles[1]![0]!)).toBeGreaterThan(1e-6);
    } finally {
      await session.release();
    }
  });
});
