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

/** Max |a - b| over the outputs two models share by name, fed the same seeded batch-1 input. */
export async function modelsMaxDiff(a: Uint8Array, b: Uint8Array, inputName: string, dims: number[], seed = 7): Promise<number> {
  const data = seededFloats(dims.reduce((x, y) => x * y, 1), seed);
  const outs: Record<string, Float32Array>[] = [];
  for (const bytes of [a, b]) {
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    try {
      const r = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
      outs.push(Object.fromEntries(session.outputNames.map((n) => [n, r[n]!.data as Float32Array])));
    } finally {
      await session.release();
    }
  }
  const shared = Object.keys(outs[0]!).filter((n) => n in outs[1]!);
  if (shared.length === 0) throw new Error('the two models share no output name');
  let max = 0;
  for (const n of shared) outs[0]![n]!.forEach((v, i) => (max = Math.max(max, Math.abs(v - outs[1]![n]![i]!))));
  return max;
}

/**
 * Max |library decode - upstream decode| over every prior's box (normalised corners): the
 * upstream file decodes inside the graph, the cut one leaves it to src/detectors/ultraface-priors.ts.
 */
export async function cutDecodeMaxDiff(
  upstream: Uint8Array, cut: Uint8Array, inputName: string, height: number, width: number, names: { boxes: string; loc: string }, seed = 7,
): Promise<number> {
  const { decodeFaces } = await import('../../src/detectors/ultraface-priors.js');
  const dims = [1, 3, height, width];
  const feeds = { [inputName]: new ort.Tensor('float32', seededFloats(3 * height * width, seed), dims) };
  const run = async (bytes: Uint8Array) => {
    const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    try {
      return await s.run(feeds);
    } finally {
      await s.release();
    }
  };
  const want = (await run(upstream))[names.boxes]!.data as Float32Array;
  const loc = (await run(cut))[names.loc]!.data as Float32Array;
  let max = 0;
  let p = 0;
  decodeFaces(new Float32Array(loc.length / 2).fill(1), loc, width, height, 0, (_s, x1, y1, x2, y2) => {
    [x1 / width, y1 / height, x2 / width, y2 / height].forEach((v, k) => (max = Math.max(max, Math.abs(v - want[4 * p + k]!))));
    p++;
  });
  if (p * 4 !== want.length) throw new Error(`decoded ${p} priors, the upstream graph has ${want.length / 4}`);
  return max;
}
