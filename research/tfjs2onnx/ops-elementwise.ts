// Unary, binary and n-ary elementwise ops. They work in either layout, so a channel-first
// tensor stays channel-first and only constants are permuted to match.
import { type ConvertContext, type Layout, type Value } from './context.js';
import { attrFloat, attrString, attrType, type TfNode } from './graph-model.js';
import type { Dim } from './onnx-builder.js';
import { applyActivation, type OpHandler } from './ops-conv.js';
import { broadcastShapes } from './shapes.js';

/**
 * Brings every operand to one storage layout: channel-first when some operand already is and all
 * others can follow (constants of rank <= 4, computed scalars or rank-4 tensors), TF-native otherwise.
 */
export function unifyOperands(ctx: ConvertContext, refs: string[]): { names: string[]; layout: Layout; values: Array<{ shape: Dim[] | null; dtype: Value['dtype'] }> } {
  const ops = refs.map((r) => {
    const c = ctx.constOf(r);
    return { ref: r, c, v: c ? undefined : ctx.value(r) };
  });
  const anyNchw = ops.some((o) => o.v?.layout === 'nchw');
  const canNchw = ops.every((o) => (o.c ? o.c.shape.length <= 4 : o.v!.shape?.length === 4 || o.v!.shape?.length === 0));
  const layout: Layout = anyNchw && canNchw ? 'nchw' : 'native';
  const names = ops.map((o) => {
    if (layout === 'nchw') {
      if (o.c) return ctx.constForNchw(o.ref, o.c);
      return o.v!.shape?.length === 0 ? o.v!.name : ctx.toNchw(o.v!).name;
    }
    return ctx.toNative(ctx.value(o.ref)).name;
  });
  const values = ops.map((o) => (o.c ? { shape: o.c.shape as Dim[], dtype: o.c.dtype } : { shape: o.v!.shape, dtype: o.v!.dtype }));
  return { names, layout, values };
}

type IntFold = (a: number, b: number) => number;

function binary(onnxOp: string, fold?: IntFold): OpHandler {
  return (node, ctx) => {
    const refs = ctx.dataInputs(node).slice(0, 2);
    if (node.op === 'BiasAdd' && attrString(node, 'data_format', 'NHWC') !== 'NHWC') {
      throw new Error(`BiasAdd ${node.name}: only NHWC is supported`);
    }
    const { names, layout, values } = unifyOperands(ctx, refs);
    const name = ctx.builder.add(onnxOp, names, node.name);
    const out: Value = { name, dtype: values[0]!.dtype, shape: broadcastShapes(values[0]!.shape, values[1]!.shape), layout };
    const pa = ctx.knownInts(refs[0]!);
    const pb = ctx.knownInts(refs[1]!);
    if (fold && pa && pb && out.dtype !== 'float32' && (pa.length === pb.length || pa.length === 1 || pb.length === 1)) {
      const n = Math.max(pa.length, pb.length);
      out.partial = Array.from({ length: n }, (_, i) => {
        const x = pa[pa.length === 1 ? 0 : i];
        const y = pb[pb.length === 1 ? 0 : i];
        return typeof x === 'number' && typeof y === 'number' ? fold(x, y) : null;
      });
    }
    return out;
  };
}

function unary(onnxOp: string, attrs: (n: TfNode) => Record<string, { float: number }> = () => ({})): OpHandler {
  return (node, ctx) => {
    const x = ctx.value(ctx.dataInputs(node)[0]!);
    return { ...x, partial: undefined, name: ctx.builder.add(onnxOp, [x.name], node.name, attrs(node)) };
  };
}

const alias: OpHandler = (node, ctx) => ctx.value(ctx.dataInputs(node)[0]!);

const TF_TO_ONNX_DTYPE: Record<string, { code: number; dtype: Value['dtype'] }> = {
  DT_FLOAT: { code: 1, dtype: 'float32' },
  DT_INT32: { code: 6, dtype: 'int32' },
  DT_INT64: { code: 7, dtype: 'int64' },
  DT_BOOL: { code: 9, dtype: 'bool' },
};

const cast: OpHandler = (node, ctx) => {
  const x = ctx.value(ctx.dataInputs(node)[0]!);
  const t = TF_TO_ONNX_DTYPE[attrType(node, 'DstT') ?? ''];
  if (!t) throw new Error(`Cast ${node.name}: target type ${attrType(node, 'DstT')} is not supported`);
  const name = ctx.builder.add('Cast', [x.name], node.name, { to: t.code });
  return { ...x, name, dtype: t.dtype, partial: t.dtype === 'float32' ? undefined : x.partial };
};

const softmax =
  (onnxOp: string): OpHandler =>
  (node, ctx) => {
    const x = ctx.value(ctx.dataInputs(node)[0]!);
    // TF normalises over the last axis, which is channels: axis 1 when stored channel-first.
    const axis = x.layout === 'nchw' ? 1 : -1;
    return { ...x, name: ctx.builder.add(onnxOp, [x.name], node.name, { axis }) };
  };

const rsqrt: OpHandler = (node, ctx) => {
  const x = ctx.value(ctx.dataInputs(node)[0]!);
  const s = ctx.builder.add('Sqrt', [x.name], `${node.name}_sqrt`);
  return { ...x, name: ctx.builder.add('Reciprocal', [s], node.name) };
};

const square: OpHandler = (node, ctx) => {
  const x = ctx.value(ctx.dataInputs(node)[0]!);
  return { ...x, name: ctx.builder.add('Mul', [x.name, x.name], node.name) };
};

const squaredDifference: OpHandler = (node, ctx) => {
  const d = binary('Sub')({ ...node, name: `${node.name}_diff` }, ctx);
  return { ...d, name: ctx.builder.add('Mul', [d.name, d.name], node.name) };
};

const activation =
  (act: string): OpHandler =>
  (node, ctx) => {
    const inputs = ctx.dataInputs(node);
    return applyActivation(ctx, node, ctx.value(inputs[0]!), act, inputs[1]);
  };

const addN: OpHandler = (node, ctx) => {
  const refs = ctx.dataInputs(node);
  const { names, layout, values } = unifyOperands(ctx, refs);
  const shape = values.map((v) => v.shape).reduce((a, b) => broadcastShapes(a, b));
  return { name: ctx.builder.add('Sum', names, node.name), dtype: values[0]!.dtype, shape, layout };
};

const fusedBatchNorm: OpHandler = (node, ctx) => {
  const inputs = ctx.dataInputs(node);
  if (attrString(node, 'data_format', 'NHWC') !== 'NHWC') throw new Error(`${node.name}: only NHWC FusedBatchNorm is supported`);
  const x = ctx.toNchw(ctx.value(inputs[0]!));
  const params = [1, 2, 3, 4].map((i) => {
    ctx.requireConst(node, i, 'batch-norm parameter');
    return ctx.value(inputs[i]!).name;
  });
  const name = ctx.builder.add('BatchNormalization', [x.name, ...params], node.name, { epsilon: { float: attrFloat(node, 'epsilon', 1e-3) } });
  return { ...x, name };
};

export const elementwiseOps: Record<string, OpHandler> = {
  Add: binary('Add', (a, b) => a + b),
  AddV2: binary('Add', (a, b) => a + b),
  BiasAdd: binary('Add'),
  Sub: binary('Sub', (a, b) => a - b),
  Mul: binary('Mul', (a, b) => a * b),
  RealDiv: binary('Div'),
  Div: binary('Div'),
  Maximum: binary('Max', Math.max),
  Minimum: binary('Min', Math.min),
  Pow: binary('Pow'),
  SquaredDifference: squaredDifference,
  AddN: addN,
  Abs: unary('Abs'),
  Neg: unary('Neg'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Floor: unary('Floor'),
  Ceil: unary('Ceil'),
  Reciprocal: unary('Reciprocal'),
  Softplus: unary('Softplus'),
  Sign: unary('Sign'),
  Rsqrt: rsqrt,
  Square: square,
  Relu: activation('Relu'),
  Relu6: activation('Relu6'),
  Elu: activation('Elu'),
  Selu: activation('Selu'),
  Sigmoid: activation('Sigmoid'),
  Tanh: activation('Tanh'),
  LeakyRelu: activation('LeakyRelu'),
  Prelu: activation('Prelu'),
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
  Identity: alias,
  StopGradient: alias,
  Snapshot: alias,
  Cast: cast,
  FusedBatchNorm: fusedBatchNorm,
  FusedBatchNormV2: fusedBatchNorm,
  FusedBatchNormV3: fusedBatchNorm,
};
