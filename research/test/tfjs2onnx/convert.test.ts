import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { convertGraphModel, type ConvertResult } from '../../tfjs2onnx/convert.js';
import { decodeWeight, parseGraphModel, toFloat16Array, type GraphModelJson } from '../../tfjs2onnx/graph-model.js';
import { spatialPads } from '../../tfjs2onnx/shapes.js';
import { loadReference } from '../../tfjs2onnx/tfjs-reference.js';
import { syntheticGraphModel, syntheticGraphModel2 } from './synthetic-model.js';

function input(shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  // A smooth, sign-changing pattern: every conv tap and pool window sees distinct values.
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 1.5 + ((i % 7) - 3) * 0.1);
}

async function expectSameAsTfjs(json: GraphModelJson, weightData: Uint8Array, inputShape: number[], res: ConvertResult): Promise<void> {
  const x = input(inputShape);
  const ref = await loadReference(json, weightData, res.outputs.map((o) => o.name));
  const expected = await ref.run(x, inputShape);
  ref.dispose();
  const session = await ort.InferenceSession.create(res.bytes);
  const got = await session.run({ [res.inputs[0]!.name]: new ort.Tensor('float32', x, inputShape) });
  await session.release();
  res.outputs.forEach((o, k) => {
    const a = expected[k]!;
    const b = got[o.name]!.data as Float32Array;
    expect(b.length, o.name).toBe(a.length);
    let maxDiff = 0;
    let maxRef = 0;
    for (let i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
      maxRef = Math.max(maxRef, Math.abs(a[i]!));
    }
    expect(maxRef, `${o.name} should not be all zeros`).toBeGreaterThan(1e-3);
    expect(maxDiff, o.name).toBeLessThan(1e-5);
  });
}

describe('tfjs2onnx', () => {
  it('matches TF.js on a synthetic graph with conv, depthwise, SAME/explicit pads, resize, reshape and mean', async () => {
    const { json, weightData, inputShape } = syntheticGraphModel();
    const loaded = parseGraphModel(json, weightData);
    const res = convertGraphModel(loaded);
    expect(res.outputs.map((o) => o.name)).toEqual(['norm', 'flat', 'pool']);
    expect(res.outputs.map((o) => o.dims)).toEqual([
      ['batch', 3],
      ['batch', 144, 4],
      ['batch', 3, 3, 16],
    ]);
    // Converted channel-first once: one Transpose in, one per 4-D value read back in NHWC.
    expect(res.onnxOps.get('Transpose')).toBeLessThanOrEqual(3);

    await expectSameAsTfjs(json, weightData, inputShape, res);
  });

  it('matches TF.js on a second graph covering the remaining ops (leaf outputs, no signature)', async () => {
    const { json, weightData, inputShape } = syntheticGraphModel2();
    const res = convertGraphModel(parseGraphModel(json, weightData));
    expect(res.outputs.map((o) => o.name)).toEqual(['div', 'ed', 'r6']);
    expect(res.outputs.map((o) => o.dims)).toEqual([
      ['batch', 12, 10, 12],
      ['batch', 1, 5],
      ['batch', 4, 4, 6],
    ]);
    await expectSameAsTfjs(json, weightData, inputShape, res);
  });

  it('writes byte-identical ONNX for the same input', () => {
    const { json, weightData } = syntheticGraphModel();
    const a = convertGraphModel(parseGraphModel(json, weightData)).bytes;
    const b = convertGraphModel(parseGraphModel(structuredClone(json), weightData.slice())).bytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('pads SAME like TF: the odd pixel goes after', () => {
    expect(spatialPads('SAME', [9], [3], [2], [1]).pads).toEqual([[1, 1]]);
    expect(spatialPads('SAME', [10], [3], [2], [1]).pads).toEqual([[0, 1]]);
    expect(spatialPads('SAME', [112], [1], [1], [1]).pads).toEqual([[0, 0]]);
    expect(spatialPads('SAME', [7], [3], [1], [2]).pads).toEqual([[2, 2]]);
    expect(spatialPads('VALID', [9], [3], [2], [1]).outDims).toEqual([4]);
  });

  it('dequantises uint8, uint16 and float16 weights', () => {
    const u8 = decodeWeight({ name: 'a', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } }, new Uint8Array([0, 1, 255]));
    expect(Array.from(u8.data)).toEqual([-1, -0.5, 126.5]);
    const u16 = new Uint8Array(new Uint16Array([0, 1000]).buffer);
    const d16 = decodeWeight({ name: 'b', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.25, min: 2 } }, u16);
    expect(Array.from(d16.data)).toEqual([2, 252]);
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x3555]).buffer);
    const h = decodeWeight({ name: 'c', shape: [4], dtype: 'float32', quantization: { dtype: 'float16' } }, f16);
    expect(Array.from(h.data)).toEqual([1, -2, 2 ** -24, Math.fround(0.333251953125)]);
  });

  it('re-encodes every finite float16 weight bit-exactly', () => {
    const halves = Uint16Array.from({ length: 65536 }, (_, i) => i).filter((h) => ((h >> 10) & 0x1f) !== 31);
    const f = decodeWeight({ name: 'h', shape: [halves.length], dtype: 'float32', quantization: { dtype: 'float16' } }, new Uint8Array(halves.buffer));
    expect(Buffer.from(toFloat16Array(f.data as Float32Array).buffer).equals(Buffer.from(halves.buffer))).toBe(true);
  });

  it('keeps float16 weights float16 on disk without changing results', async () => {
    const { json, weightData, inputShape } = syntheticGraphModel();
    const half = convertGraphModel(parseGraphModel(json, weightData));
    const full = convertGraphModel(parseGraphModel(json, weightData), { keepFloat16: false });
    expect(half.onnxOps.get('Cast')).toBeGreaterThan(0);
    expect(full.onnxOps.get('Cast')).toBeUndefined();
    const x = input(inputShape);
    const run = async (bytes: Uint8Array) => {
      const s = await ort.InferenceSession.create(bytes);
      const out = await s.run({ x: new ort.Tensor('float32', x, inputShape) });
      await s.release();
      return Array.from(out.norm!.data as Float32Array);
    };
    expect(await run(half.bytes)).toEqual(await run(full.bytes));
  });

  it('names every unsupported op instead of emitting a partial model', () => {
    const { json, weightData } = syntheticGraphModel();
    const nodes = json.modelTopology.node.map((n) => (n.name === 'sq' ? { ...n, op: 'Erfinv' } : n));
    const model = parseGraphModel({ ...json, modelTopology: { ...json.modelTopology, node: nodes } }, weightData);
    expect(() => convertGraphModel(model)).toThrow(/unsupported TF ops: Erfinv/);
  });
});
