// Reductions (global pooling, L2 norms) and dense layers.
import { NHWC_TO_NCHW, type Layout, type Value } from './context.js';
import { attrBool, attrStrings } from './graph-model.js';
import { applyActivation, type OpHandler } from './ops-conv.js';
import { normAxis } from './shapes.js';
import type { Dim } from './onnx-builder.js';

function reduce(onnxOp: string): OpHandler {
  return (node, ctx) => {
    const inputs = ctx.dataInputs(node);
    let x = ctx.value(inputs[0]!);
    const inShape = x.shape;
    if (!inShape) throw new Error(`${node.op} ${node.name}: input rank unknown`);
    const rank = inShape.length;
    const c = ctx.requireConst(node, 1, 'reduction axes');
    const axes = [...new Set(Array.from(c.data as Int32Array, (a) => normAxis(a, rank)))].sort((a, b) => a - b);
    const keep = attrBool(node, 'keep_dims', false);
    let layout: Layout = x.layout;
    let stored = axes;
    if (x.layout === 'nchw') {
      const remainingStored = NHWC_TO_NCHW.filter((a) => !axes.includes(a));
      const remainingNative = [0, 1, 2, 3].filter((a) => !axes.includes(a));
      if (keep || remainingStored.join() === remainingNative.join()) {
        stored = axes.map((a) => NHWC_TO_NCHW.indexOf(a)).sort((a, b) => a - b);
        layout = keep ? 'nchw' : 'native';
      } else {
        x = ctx.toNative(x);
        layout = 'native';
      }
    }
    const name = ctx.builder.add(onnxOp, [x.name, ctx.int64(`${node.name}_axes`, stored)], node.name, { keepdims: keep ? 1 : 0 });
    const shape: Dim[] = keep ? inShape.map((d, i) => (axes.includes(i) ? 1 : d)) : inShape.filter((_, i) => !axes.includes(i));
    return { name, dtype: x.dtype, shape, layout };
  };
}

/** MatMul and its fused form; 2-D cases become Gemm so bias and transposes ride along for free. */
const matmul: OpHandler = (node, ctx) => {
  const inputs = ctx.dataInputs(node);
  const a = ctx.toNative(ctx.value(inputs[0]!));
  const b = ctx.toNative(ctx.value(inputs[1]!));
  const ta = attrBool(node, 'transpose_a', attrBool(node, 'adj_x', false));
  const tb = attrBool(node, 'transpose_b', attrBool(node, 'adj_y', false));
  const fused = node.op === '_FusedMatMul' ? attrStrings(node, 'fused_ops') : [];
  let rest = fused;
  const gemmInputs = [a.name, b.name];
  if (fused[0] === 'BiasAdd') {
    gemmInputs.push(ctx.value(inputs[2]!).name);
    rest = fused.slice(1);
  }
  if (rest.length > 1) throw new Error(`${node.op} ${node.name}: fused ops [${fused.join(',')}] are not supported`);
  let out: Value;
  if (a.shape?.length === 2 && b.shape?.length === 2) {
    const name = ctx.builder.add('Gemm', gemmInputs, node.name, { transA: ta ? 1 : 0, transB: tb ? 1 : 0 });
    out = { name, dtype: 'float32', shape: [a.shape[ta ? 1 : 0]!, b.shape[tb ? 0 : 1]!], layout: 'native' };
  } else {
    const swapLast = (v: Value, base: string) => {
      const r = v.shape!.length;
      const perm = [...Array(r).keys()];
      [perm[r - 1], perm[r - 2]] = [perm[r - 2]!, perm[r - 1]!];
      return ctx.builder.add('Transpose', [v.name], base, { perm });
    };
    if ((ta || tb) && (!a.shape || !b.shape)) throw new Error(`${node.op} ${node.name}: transposed operands need known ranks`);
    const an = ta ? swapLast(a, `${node.name}_a_t`) : a.name;
    const bn = tb ? swapLast(b, `${node.name}_b_t`) : b.name;
    let name = ctx.builder.add('MatMul', [an, bn], gemmInputs.length > 2 ? `${node.name}_mm` : node.name);
    if (gemmInputs.length > 2) name = ctx.builder.add('Add', [name, gemmInputs[2]!], node.name);
    out = { name, dtype: 'float32', shape: null, layout: 'native' };
  }
  if (rest.length === 1) out = applyActivation(ctx, node, out, rest[0]!, inputs[3]);
  return out;
};

export const reduceMatmulOps: Record<string, OpHandler> = {
  Mean: reduce('ReduceMean'),
  Sum: reduce('ReduceSum'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Prod: reduce('ReduceProd'),
  MatMul: matmul,
  _FusedMatMul: matmul,
  BatchMatMul: matmul,
  BatchMatMulV2: matmul,
};
