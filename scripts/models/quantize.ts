// int8 quantization written directly over the ONNX graph (the Python onnx/onnxruntime tools are not
// available here). Two variants:
//  - weight-only: per-output-channel symmetric int8 weights + DequantizeLinear; compute stays float.
//  - static QDQ: the same weights, plus uint8 asymmetric QuantizeLinear/DequantizeLinear pairs on the
//    activations around Conv/Gemm/MatMul (and Add/Concat inside the network) with ranges from a
//    calibration pass, so a runtime can fuse them into integer kernels (QLinearConv etc.).
import { onnx, type GraphProto, type ModelProto, type NodeProto } from './onnx-io.js';
import { upgradeToOpset13 } from './opset13.js';
import { DT, Initializers, dimsOfTensor, floatTensor, floatValues, int32Tensor, int8Tensor, uint8Tensor } from './tensors.js';

export interface TensorRange {
  min: number;
  max: number;
}

const WEIGHTED = new Set(['Conv', 'Gemm', 'MatMul']);
/** Ops fused with their producer's quantized output when every input is a quantized activation. */
const JOINING = new Set(['Add', 'Concat']);
/** Ops that only move values, so a tensor reaching a graph output through them is "the output". */
const PASS_THROUGH = new Set(['Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'BatchNormalization']);

function attrNum(n: NodeProto, name: string, dflt: number): number {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  if (!a) return dflt;
  return a.type === onnx.AttributeProto.AttributeType.FLOAT ? Number(a.f) : Number(a.i);
}

/** Axis of a weight that indexes output channels: Conv [M,C,kh,kw] -> 0; Gemm depends on transB; MatMul [K,N] -> 1. */
function outputChannelAxis(n: NodeProto): number {
  if (n.opType === 'Conv') return 0;
  if (n.opType === 'Gemm') return attrNum(n, 'transB', 0) ? 0 : 1;
  return 1;
}

export interface PerChannel {
  q: Int8Array;
  scales: Float32Array;
}

/** Symmetric per-channel int8 in [-127, 127] (not -128, so the range stays symmetric around 0). */
export function quantizePerChannel(w: Float32Array, dims: number[], axis: number): PerChannel {
  const channels = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const maxAbs = new Float64Array(channels);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(w[base + i]!));
    }
  }
  // An all-zero channel gets scale 1 so no division by zero reaches the runtime.
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? Math.fround(m / 127) : 1));
  const q = new Int8Array(w.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      const s = scales[c]!;
      for (let i = 0; i < inner; i++) q[base + i] = Math.max(-127, Math.min(127, Math.round(w[base + i]! / s)));
    }
  }
  return { q, scales };
}

function node(opType: string, name: string, input: string[], output: string[], attrs: Record<string, number> = {}): NodeProto {
  const attribute = Object.entries(attrs).map(([k, v]) =>
    onnx.AttributeProto.create({ name: k, type: onnx.AttributeProto.AttributeType.INT, i: v }),
  );
  return onnx.NodeProto.create({ opType, name, input, output, attribute });
}

/** Replaces float weight `name` by int8 values + DequantizeLinear; returns the DQ node and the scales. */
function weightDequant(inits: Initializers, name: string, axis: number): { dq: NodeProto; scales: Float32Array } {
  const t = inits.get(name)!;
  const dims = dimsOfTensor(t);
  const { q, scales } = quantizePerChannel(floatValues(t), dims, axis);
  inits.add(int8Tensor(`${name}_quantized`, dims, q));
  inits.add(floatTensor(`${name}_scale`, [scales.length], scales));
  inits.add(int8Tensor(`${name}_zero_point`, [scales.length], new Int8Array(scales.length)));
  const dq = node('DequantizeLinear', `${name}_DequantizeLinear`, [`${name}_quantized`, `${name}_scale`, `${name}_zero_point`], [`${name}_dequantized`], { axis });
  return { dq, scales };
}

function isFloatInitializer(inits: Initializers, name: string | undefined): boolean {
  return !!name && inits.get(name)?.dataType === DT.FLOAT;
}

function finishModel(model: ModelProto, producer: string): void {
  model.producerName = 'reunite-face scripts/models';
  model.producerVersion = producer;
}

/** int8 weight-only: smaller file, float compute (the runtime dequantizes the weights). */
export function quantizeWeightsOnly(model: ModelProto): { quantized: string[] } {
  upgradeToOpset13(model);
  const g = model.graph!;
  const inits = new Initializers(g);
  const prelude: NodeProto[] = [];
  const quantized: string[] = [];
  for (const n of g.node ?? []) {
    if (!WEIGHTED.has(n.opType!) || !isFloatInitializer(inits, n.input?.[1])) continue;
    const w = n.input![1]!;
    const { dq } = weightDequant(inits, w, outputChannelAxis(n));
    n.input![1] = dq.output![0]!;
    inits.removeIfUnused(w);
    prelude.push(dq);
    quantized.push(n.name!);
  }
  g.node = [...prelude, ...(g.node ?? [])];
  finishModel(model, 'int8-weights');
  return { quantized };
}

export interface QdqOptions {
  /** Leave tensors that are (or reach through PASS_THROUGH ops) graph outputs unquantized. */
  floatOutputs: boolean;
}

export interface QdqReport {
  quantizedNodes: string[];
  foldedRelus: number;
  qdqTensors: number;
}

function uint8Params(r: TensorRange): { scale: number; zeroPoint: number } {
  // The range must hold 0 exactly so zero padding and ReLU zeros are exact.
  const lo = Math.min(r.min, 0);
  const hi = Math.max(r.max, 0);
  if (hi - lo < 1e-12) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
  return { scale, zeroPoint };
}

/**
 * Static int8 QDQ. `range(tensor)` gives the calibrated float range of an activation tensor.
 * Names of activations are those of the fp32 graph the calibration ran on.
 */
export function quantizeQdq(model: ModelProto, range: (tensor: string) => TensorRange | undefined, opts: QdqOptions): QdqReport {
  upgradeToOpset13(model);
  const g: GraphProto = model.graph!;
  const inits = new Initializers(g);
  const nodes = g.node ?? [];
  const graphOutputs = new Set((g.output ?? []).map((o) => o.name!));
  const consumers = new Map<string, NodeProto[]>();
  for (const n of nodes) for (const i of n.input ?? []) consumers.set(i, [...(consumers.get(i) ?? []), n]);

  // Which nodes run quantized: weighted ops with constant weights, and Add/Concat whose inputs all
  // come from quantized work (so box-decoding arithmetic after the heads stays float).
  const quantizedTensors = new Set<string>((g.input ?? []).map((i) => i.name!));
  const quantized = new Set<NodeProto>();
  for (const n of nodes) {
    const acts = (n.input ?? []).filter((i) => i && !inits.has(i));
    if (WEIGHTED.has(n.opType!) && isFloatInitializer(inits, n.input?.[1])) quantized.add(n);
    else if (JOINING.has(n.opType!) && acts.length === (n.input ?? []).length && acts.every((i) => quantizedTensors.has(i))) quantized.add(n);
    else if ((n.opType === 'Relu' || n.opType === 'PRelu') && quantizedTensors.has(n.input![0]!)) {
      // Activations pass the "comes from the network body" property on without being quantized themselves.
      for (const o of n.output ?? []) quantizedTensors.add(o);
      continue;
    } else continue;
    for (const o of n.output ?? []) quantizedTensors.add(o);
  }

  // Relu right after a quantized op disappears: a uint8 Q with zero point 0 clamps negatives itself.
  let foldedRelus = 0;
  const removed = new Set<NodeProto>();
  for (const r of nodes) {
    if (r.opType !== 'Relu') continue;
    const x = r.input![0]!;
    const producer = nodes.find((n) => n.output?.includes(x));
    if (!producer || !quantized.has(producer) || graphOutputs.has(x) || (consumers.get(x) ?? []).length !== 1) continue;
    if ((range(r.output![0]!)?.min ?? -1) < 0) throw new Error(`calibrated range of Relu output ${r.output![0]} is negative`);
    producer.output = producer.output!.map((o) => (o === x ? r.output![0]! : o));
    removed.add(r);
    foldedRelus++;
  }
  const live = nodes.filter((n) => !removed.has(n));
  const liveConsumers = new Map<string, NodeProto[]>();
  for (const n of live) for (const i of n.input ?? []) liveConsumers.set(i, [...(liveConsumers.get(i) ?? []), n]);

  const reachesOutput = (t: string): boolean =>
    graphOutputs.has(t) || (liveConsumers.get(t) ?? []).some((c) => PASS_THROUGH.has(c.opType!) && c.input![0] === t && c.output!.some(reachesOutput));

  // Tensors that get a Q/DQ pair: activation inputs and outputs of quantized nodes.
  const qdq = new Set<string>();
  for (const n of live) {
    if (!quantized.has(n)) continue;
    const acts = WEIGHTED.has(n.opType!) ? [n.input![0]!] : n.input!;
    for (const a of acts) qdq.add(a);
    for (const o of n.output ?? []) if (!(opts.floatOutputs && reachesOutput(o))) qdq.add(o);
  }
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const t of [...qdq].sort()) {
    const r = range(t);
    if (!r) throw new Error(`no calibrated range for tensor ${t}`);
    const p = uint8Params(r);
    params.set(t, p);
    inits.add(floatTensor(`${t}_scale`, [], Float32Array.of(p.scale)));
    inits.add(uint8Tensor(`${t}_zero_point`, [], Uint8Array.of(p.zeroPoint)));
  }
  const pair = (t: string): NodeProto[] => [
    node('QuantizeLinear', `${t}_QuantizeLinear`, [t, `${t}_scale`, `${t}_zero_point`], [`${t}_quantized`]),
    node('DequantizeLinear', `${t}_DequantizeLinear`, [`${t}_quantized`, `${t}_scale`, `${t}_zero_point`], [`${t}_dequantized`]),
  ];

  const out: NodeProto[] = [];
  for (const i of g.input ?? []) if (qdq.has(i.name!)) out.push(...pair(i.name!));
  const quantizedNodes: string[] = [];
  for (const n of live) {
    // Every reader of a quantized tensor reads its dequantized copy, float ops included: that is
    // what an integer runtime will feed them too.
    n.input = n.input!.map((i) => (qdq.has(i) ? `${i}_dequantized` : i));
    if (quantized.has(n) && WEIGHTED.has(n.opType!)) {
      const w = n.input[1]!;
      const { dq, scales } = weightDequant(inits, w, outputChannelAxis(n));
      out.push(dq);
      n.input[1] = dq.output![0]!;
      inits.removeIfUnused(w);
      const b = n.input[2];
      const xName = n.input[0]!.replace(/_dequantized$/, '');
      if (b && isFloatInitializer(inits, b) && params.has(xName)) {
        if (n.opType === 'Gemm' && (attrNum(n, 'alpha', 1) !== 1 || attrNum(n, 'beta', 1) !== 1)) {
          throw new Error(`Gemm ${n.name} has alpha/beta != 1; bias quantization would be wrong`);
        }
        // int32 bias on scale x_scale * w_scale[c], the layout integer kernels add directly.
        const bias = floatValues(inits.get(b)!);
        const sx = params.get(xName)!.scale;
        const bScales = Float32Array.from(scales, (s) => Math.fround(sx * s));
        const bq = Int32Array.from(bias, (v, c) => Math.round(v / bScales[c]!));
        inits.add(int32Tensor(`${b}_quantized`, [bias.length], bq));
        inits.add(floatTensor(`${b}_scale`, [bias.length], bScales));
        inits.add(int32Tensor(`${b}_zero_point`, [bias.length], new Int32Array(bias.length)));
        out.push(node('DequantizeLinear', `${b}_DequantizeLinear`, [`${b}_quantized`, `${b}_scale`, `${b}_zero_point`], [`${b}_dequantized`], { axis: 0 }));
        n.input[2] = `${b}_dequantized`;
        inits.removeIfUnused(b);
      }
    }
    if (quantized.has(n)) quantizedNodes.push(n.name!);
    out.push(n);
    for (const o of n.output ?? []) if (qdq.has(o)) out.push(...pair(o));
  }
  // A graph output that got a pair is still produced in float by its node: consumers read the DQ copy.
  g.node = out;
  g.valueInfo = [];
  finishModel(model, 'int8-qdq');
  return { quantizedNodes, foldedRelus, qdqTensors: qdq.size };
}
