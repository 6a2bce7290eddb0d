import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnx, encodeModel, type ModelProto } from '../../scripts/models/onnx-io.js';
import { quantizePerChannel, quantizeQdq, quantizeWeightsOnly } from '../../scripts/models/quantize.js';
import { floatTensor } from '../../scripts/models/tensors.js';

/** Varied values in [-1, 1], reproducible. */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed) * Math.cos(i * 0.21 + 2 * seed));
}

/** input [1,2,6,6] -> Conv 3x3 (4 ch, bias) -> Relu -> Conv 1x1 (3 ch) -> output, opset 9 like the upstream models. */
function tinyModel(): ModelProto {
  const vi = (name: string, dims: number[]) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const attrInts = (name: string, ints: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
  const graph = onnx.GraphProto.create({
    name: 'tiny',
    input: [vi('input', [1, 2, 6, 6])],
    output: [vi('output', [1, 3, 6, 6])],
    initializer: [
      floatTensor('w1', [4, 2, 3, 3], values(72, 1)),
      floatTensor('b1', [4], values(4, 2)),
      floatTensor('w2', [3, 4, 1, 1], values(12, 3)),
    ],
    node: [
      onnx.NodeProto.create({ opType: 'Conv', name: 'c1', input: ['input', 'w1', 'b1'], output: ['x1'], attribute: [attrInts('pads', [1, 1, 1, 1])] }),
      onnx.NodeProto.create({ opType: 'Relu', name: 'r1', input: ['x1'], output: ['y1'] }),
      onnx.NodeProto.create({ opType: 'Conv', name: 'c2', input: ['y1', 'w2'], output: ['output'] }),
    ],
  });
  return onnx.ModelProto.create({ irVersion: 6, opsetImport: [{ domain: '', version: 9 }], graph });
}

async function run(model: ModelProto, x: Float32Array): Promise<{ out: Float32Array }> {
  const s = await ort.InferenceSession.create(encodeModel(model));
  const r = await s.run({ input: new ort.Tensor('float32', x, [1, 2, 6, 6]) });
  await s.release();
  return { out: r['output']!.data as Float32Array };
}

describe('quantizePerChannel', () => {
  it('keeps every weight within half a step of its channel scale, on either axis', () => {
    const w = values(24, 5);
    for (const axis of [0, 1]) {
      const dims = [4, 6];
      const { q, scales } = quantizePerChannel(w, dims, axis);
      expect(scales.length).toBe(dims[axis]);
      for (let i = 0; i < w.length; i++) {
        const c = axis === 0 ? Math.floor(i / 6) : i % 6;
        expect(Math.abs(q[i]! * scales[c]! - w[i]!)).toBeLessThanOrEqual(scales[c]! / 2 + 1e-7);
        expect(Math.abs(q[i]!)).toBeLessThanOrEqual(127);
      }
    }
  });

  it('gives an all-zero channel scale 1 and zeros', () => {
    const { q, scales } = quantizePerChannel(new Float32Array([0, 0, 1, -2]), [2, 2], 0);
    expect(Array.from(scales)).toEqual([1, Math.fround(2 / 127)]);
    expect(Array.from(q)).toEqual([0, 0, 64, -127]);
  });
});

describe('graph quantization on a tiny Conv-Relu-Conv model', () => {
  const x = values(72, 9);

  it('int8-weights stays close to fp32 and moves to opset 13', async () => {
    const ref = (await run(tinyModel(), x)).out;
    const m = tinyModel();
    const report = quantizeWeightsOnly(m);
    expect(report.quantized).toEqual(['c1', 'c2']);
    expect(Number(m.opsetImport[0]!.version)).toBe(13);
    const got = (await run(m, x)).out;
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(0.02);
  });

  it('static QDQ folds the Relu into the uint8 quantizer and stays close to fp32', async () => {
    const ref = (await run(tinyModel(), x)).out;
    const m = tinyModel();
    // Ranges as a calibration over this one input would give them (x1 is dropped with the Relu).
    const range = (t: string) =>
      ({ input: { min: -1, max: 1 }, y1: { min: 0, max: 4 }, output: { min: -6, max: 6 } })[t];
    const report = quantizeQdq(m, range, { floatOutputs: false });
    expect(report.foldedRelus).toBe(1);
    expect(m.graph!.node!.some((n) => n.opType === 'Relu')).toBe(false);
    const got = (await run(m, x)).out;
    let maxErr = 0;
    for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i]! - ref[i]!));
    // Three 8-bit roundings over ranges of width <= 12: a few steps of 12/255 at most.
    expect(maxErr).toBeLessThan(0.25);
    expect(maxErr).toBeGreaterThan(0);
  });
});
