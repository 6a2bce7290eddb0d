// Runs built models with onnxruntime-node to prove graph rewrites keep the numbers.
import * as ort from 'onnxruntime-node';

/** Deterministic pseudo-random inputs (mulberry32) so build logs are comparable run to run. */
export function seededFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * u;
  }
  return out;
}

/**
 * Max |batched - single| over `batch` samples: one run with the whole batch versus `batch` runs of one.
 * A Reshape that still pins the batch to 1 makes the batched run throw or mix samples.
 */
export async function batchVsSingleMaxDiff(
  modelBytes: Uint8Array, inputName: string, sampleDims: number[], batch: number, seed = 1,
): Promise<number> {
  const session = await ort.InferenceSession.create(modelBytes, { intraOpNumThreads: 1 });
  try {
    const per = sampleDims.reduce((a, b) => a * b, 1);
    const data = seededFloats(per * batch, seed);
    const outName = session.outputNames[0]!;
    const batched = await session.run({ [inputName]: new ort.Tensor('float32', data, [batch, ...sampleDims]) });
    const b = batched[outName]!.data as Float32Array;
    const perOut = b.length / batch;
    let maxDiff = 0;
    for (let i = 0; i < batch; i++) {
      const one = await session.run({
        [inputName]: new ort.Tensor('float32', data.slice(i * per, (i + 1) * per), [1, ...sampleDims]),
      });
      const s = one[outName]!.data as Float32Array;
      if (s.length !== perOut) throw new Error(`batch ${batch}: per-sample output ${perOut} != single ${s.length}`);
      for (let j = 0; j < perOut; j++) maxDiff = Math.max(maxDiff, Math.abs(s[j]! - b[i * perOut + j]!));
    }
    return maxDiff;
  } finally {
    await session.release();
  }
}

/** Max |a - b| of the first output of two models fed the same seeded batch-1 input. */
export async function modelsMaxDiff(a: Uint8Array, b: Uint8Array, inputName: string, dims: number[], seed = 7): Promise<number> {
  const data = seededFloats(dims.reduce((x, y) => x * y, 1), seed);
  const outs: Float32Array[][] = [];
  for (const bytes of [a, b]) {
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    try {
      const r = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
      outs.push(session.outputNames.map((n) => r[n]!.data as Float32Array));
    } finally {
      await session.release();
    }
  }
  let max = 0;
  outs[0]!.forEach((o, k) => o.forEach((v, i) => (max = Math.max(max, Math.abs(v - outs[1]![k]![i]!)))));
  return max;
}
