// Collects activation ranges of an fp32 model over real inputs: every float intermediate tensor is
// made a graph output, the model is run over the calibration set twice (min/max, then a histogram
// for the 0.01 / 99.99 percentiles).
import * as ort from 'onnxruntime-node';
import { onnx, type GraphProto, type ModelProto } from './onnx-io.js';
import { DT } from './tensors.js';

export interface CalibratedRange {
  min: number;
  max: number;
  /** 0.01th percentile of all values seen. */
  p0001: number;
  /** 99.99th percentile of all values seen. */
  p9999: number;
  /** The clip range (between two matching percentiles) whose uint8 quantization has the least mean squared error. */
  mseMin: number;
  mseMax: number;
}

/**
 * Tries clip ranges [q(a), q(1-a)] for a from 0 to 1% and keeps the one with the least expected
 * squared error: clipped values cost their distance to the bound, kept ones step^2/12.
 */
function mseRange(h: Float64Array, lo: number, width: number, at: (q: number, upper: boolean) => number): [number, number] {
  const total = h.reduce((a, b) => a + b, 0);
  let best: [number, number] = [lo, lo + width * h.length];
  let bestErr = Infinity;
  const fractions = [0, ...Array.from({ length: 40 }, (_, i) => 1e-7 * Math.pow(1e5, i / 39))];
  for (const a of fractions) {
    const cLo = lo >= 0 ? lo : Math.min(0, at(a, false));
    const cHi = Math.max(0, at(1 - a, true));
    const qLo = Math.min(cLo, 0);
    const step = (cHi - qLo) / 255;
    let err = 0;
    for (let b = 0; b < h.length; b++) {
      if (!h[b]) continue;
      const v = lo + (b + 0.5) * width;
      err += h[b]! * (v < qLo ? (v - qLo) ** 2 : v > cHi ? (v - cHi) ** 2 : (step * step) / 12);
    }
    if (err / total < bestErr) {
      bestErr = err / total;
      best = [cLo, cHi];
    }
  }
  return best;
}

export interface CalibrationFile {
  id: string;
  /** sha256 of the fp32 model the ranges were measured on. */
  fp32Sha256: string;
  samples: number;
  /** Where the inputs came from, in words: no image is stored. */
  data: string;
  tensors: Record<string, CalibratedRange>;
}

/** Float tensors of the graph, by a simple dtype propagation (Shape makes ints; most ops keep their first input's type). */
export function floatTensors(g: GraphProto): string[] {
  const type = new Map<string, number>();
  for (const i of g.input ?? []) type.set(i.name!, i.type?.tensorType?.elemType ?? DT.FLOAT);
  for (const t of g.initializer ?? []) type.set(t.name!, t.dataType!);
  const out: string[] = [];
  for (const n of g.node ?? []) {
    let t: number;
    if (n.opType === 'Shape') t = DT.INT64;
    else if (n.opType === 'Constant') t = (n.attribute ?? []).find((a) => a.name === 'value')?.t?.dataType ?? DT.FLOAT;
    else t = type.get(n.input?.[0] ?? '') ?? DT.FLOAT;
    for (const o of n.output ?? []) {
      type.set(o, t);
      if (t === DT.FLOAT && n.opType !== 'Constant') out.push(o);
    }
  }
  return out;
}

function withAllOutputs(model: ModelProto, names: string[]): Uint8Array {
  const m = onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
  const g = m.graph!;
  const have = new Set((g.output ?? []).map((o) => o.name!));
  for (const name of names) {
    if (have.has(name)) continue;
    g.output!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DT.FLOAT } } }));
  }
  return onnx.ModelProto.encode(m).finish();
}

const BINS = 4096;

export async function calibrate(model: ModelProto, inputName: string, samples: Array<{ data: Float32Array; dims: number[] }>): Promise<Record<string, CalibratedRange>> {
  const names = floatTensors(model.graph!);
  const session = await ort.InferenceSession.create(withAllOutputs(model, names), { intraOpNumThreads: 2 });
  const run = (s: { data: Float32Array; dims: number[] }) => session.run({ [inputName]: new ort.Tensor('float32', s.data, s.dims) });
  try {
    const min = new Map(names.map((n) => [n, Infinity]));
    const max = new Map(names.map((n) => [n, -Infinity]));
    for (const s of samples) {
      const r = await run(s);
      for (const n of names) {
        const d = r[n]!.data as Float32Array;
        let lo = min.get(n)!, hi = max.get(n)!;
        for (let i = 0; i < d.length; i++) {
          const v = d[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        min.set(n, lo);
        max.set(n, hi);
      }
    }
    const hist = new Map(names.map((n) => [n, new Float64Array(BINS)]));
    for (const s of samples) {
      const r = await run(s);
      for (const n of names) {
        const d = r[n]!.data as Float32Array;
        const lo = min.get(n)!, width = (max.get(n)! - lo) / BINS || 1;
        const h = hist.get(n)!;
        for (let i = 0; i < d.length; i++) h[Math.min(BINS - 1, Math.floor((d[i]! - lo) / width))]!++;
      }
    }
    const out: Record<string, CalibratedRange> = {};
    for (const n of [...names].sort()) {
      const h = hist.get(n)!;
      const total = h.reduce((a, b) => a + b, 0);
      const lo = min.get(n)!, hi = max.get(n)!, width = (hi - lo) / BINS;
      const at = (q: number, upper: boolean): number => {
        let acc = 0;
        for (let b = 0; b < BINS; b++) {
          acc += h[b]!;
          if (acc >= q * total) return lo + (upper ? b + 1 : b) * width;
        }
        return hi;
      };
      const [mseMin, mseMax] = mseRange(h, lo, width, (q, upper) => (q <= 0 ? lo : q >= 1 ? hi : at(q, upper)));
      out[n] = { min: lo, max: hi, p0001: Math.max(lo, at(0.0001, false)), p9999: Math.min(hi, at(0.9999, true)), mseMin, mseMax };
    }
    return out;
  } finally {
    await session.release();
  }
}
