// Convolutions, pools and the activations TF.js fuses into them. Data is kept channel-first
// after the first conv, so the weights are permuted once here rather than the activations per call.
import { type ConvertContext, type Value, transposeData, permute } from './context.js';
import { attrFloat, attrInts, attrString, attrStrings, type ConstTensor, type TfNode } from './graph-model.js';
import type { AttrValue } from './onnx-builder.js';
import { onnxPads, spatialPads } from './shapes.js';

export type OpHandler = (node: TfNode, ctx: ConvertContext) => Value;

function requireNhwc(node: TfNode): void {
  const fmt = attrString(node, 'data_format', 'NHWC');
  if (fmt !== 'NHWC') throw new Error(`${node.op} ${node.name}: data_format ${fmt} is not supported`);
}

function explicitPads(node: TfNode): Array<[number, number]> | undefined {
  const e = attrInts(node, 'explicit_paddings', []);
  if (e.length !== 8) return undefined;
  return [
    [e[2]!, e[3]!],
    [e[4]!, e[5]!],
  ];
}

/** Applies an activation TF names in fused_ops (or as a separate op) to a tensor of either layout. */
export function applyActivation(ctx: ConvertContext, node: TfNode, x: Value, act: string, alphaRef?: string): Value {
  const b = ctx.builder;
  const base = `${node.name}_${act.toLowerCase()}`;
  let name: string;
  switch (act) {
    case 'Relu':
      name = b.add('Relu', [x.name], base);
      break;
    case 'Relu6':
      name = b.add('Clip', [x.name, ctx.scalarFloat(0), ctx.scalarFloat(6)], base);
      break;
    case 'Elu':
      name = b.add('Elu', [x.name], base, { alpha: { float: 1 } });
      break;
    case 'Selu':
      name = b.add('Selu', [x.name], base);
      break;
    case 'Sigmoid':
      name = b.add('Sigmoid', [x.name], base);
      break;
    case 'Tanh':
      name = b.add('Tanh', [x.name], base);
      break;
    case 'LeakyRelu':
      name = b.add('LeakyRelu', [x.name], base, { alpha: { float: attrFloat(node, 'leakyrelu_alpha', attrFloat(node, 'alpha', 0.2)) } });
      break;
    case 'Prelu': {
      if (!alphaRef) throw new Error(`${node.name}: Prelu needs an alpha input`);
      name = b.add('PRelu', [x.name, broadcastOperand(ctx, alphaRef, x)], base);
      break;
    }
    default:
      throw new Error(`${node.op} ${node.name}: fused activation ${act} is not supported`);
  }
  return { ...x, name };
}

/** A second operand made to broadcast against `x` in x's storage layout. */
export function broadcastOperand(ctx: ConvertContext, ref: string, x: Value): string {
  const c = ctx.constOf(ref);
  if (x.layout === 'nchw') {
    if (c) return ctx.constForNchw(ref, c);
    const v = ctx.value(ref);
    if (v.shape?.length === 4) return ctx.toNchw(v).name;
    throw new Error(`cannot broadcast ${ref} against channel-first ${x.name}`);
  }
  return ctx.toNative(ctx.value(ref)).name;
}

function convCore(node: TfNode, ctx: ConvertContext, depthwise: boolean): Value {
  requireNhwc(node);
  const inputs = ctx.dataInputs(node);
  const x = ctx.toNchw(ctx.value(inputs[0]!));
  const filter = ctx.requireConst(node, 1, 'filter');
  if (filter.shape.length !== 4) throw new Error(`${node.name}: filter must be 4-D`);
  const [kh, kw, cin, mult] = filter.shape as [number, number, number, number];
  const strides = attrInts(node, 'strides', [1, 1, 1, 1]);
  const dilations = attrInts(node, 'dilations', [1, 1, 1, 1]);
  const padding = attrString(node, 'padding');
  const shape = x.shape!;
  const sp = spatialPads(padding, [shape[1]!, shape[2]!], [kh, kw], [strides[1]!, strides[2]!], [dilations[1]!, dilations[2]!], explicitPads(node));
  const filterKey = ctx.dataInputs(node)[1]!;
  // TF HWIO -> ONNX OIHW; a depthwise HWCM filter is a grouped conv with C groups of M outputs,
  // and TF numbers its outputs c*M+m, which is exactly ONNX's group-major order.
  const w = ctx.constInit(filterKey, depthwise ? 'dw_oihw' : 'oihw', (): ConstTensor => {
    if (depthwise) {
      const t = transposeData(filter.data, filter.shape, [2, 3, 0, 1]);
      return { dtype: 'float32', shape: [cin * mult, 1, kh, kw], data: t };
    }
    return { dtype: 'float32', shape: permute(filter.shape, [3, 2, 0, 1]), data: transposeData(filter.data, filter.shape, [3, 2, 0, 1]) };
  });
  const convInputs = [x.name, w];

  const fused = node.op.startsWith('_Fused') || node.op.startsWith('Fused') ? attrStrings(node, 'fused_ops') : [];
  let rest = fused;
  if (fused[0] === 'BiasAdd') {
    const biasRef = inputs[2]!;
    if (!ctx.constOf(biasRef)) throw new Error(`${node.name}: fused bias must be constant`);
    convInputs.push(ctx.value(biasRef).name);
    rest = fused.slice(1);
  } else if (fused.length > 0 && fused[0] !== 'Relu' && fused[0] !== 'Relu6') {
    throw new Error(`${node.op} ${node.name}: fused ops [${fused.join(',')}] are not supported`);
  }

  const attrs: Record<string, AttrValue> = {
    kernel_shape: [kh, kw],
    strides: [strides[1]!, strides[2]!],
    dilations: [dilations[1]!, dilations[2]!],
    group: depthwise ? cin : 1,
  };
  if (sp.pads) attrs.pads = onnxPads(sp.pads);
  else attrs.auto_pad = 'SAME_UPPER';
  const name = ctx.builder.add('Conv', convInputs, node.name, attrs);
  const outC = depthwise ? cin * mult : mult;
  let out: Value = { name, dtype: 'float32', shape: [shape[0]!, sp.outDims[0]!, sp.outDims[1]!, outC], layout: 'nchw' };
  if (rest.length > 1) throw new Error(`${node.name}: fused ops [${fused.join(',')}] are not supported`);
  if (rest.length === 1) {
    const alphaIndex = fused[0] === 'BiasAdd' ? 3 : 2;
    out = applyActivation(ctx, node, out, rest[0]!, inputs[alphaIndex]);
  }
  return out;
}

function pool(onnxOp: 'MaxPool' | 'AveragePool'): OpHandler {
  return (node, ctx) => {
    requireNhwc(node);
    const x = ctx.toNchw(ctx.value(ctx.dataInputs(node)[0]!));
    const ksize = attrInts(node, 'ksize');
    const strides = attrInts(node, 'strides');
    const padding = attrString(node, 'padding');
    const shape = x.shape!;
    const sp = spatialPads(padding, [shape[1]!, shape[2]!], [ksize[1]!, ksize[2]!], [strides[1]!, strides[2]!], [1, 1], explicitPads(node));
    const attrs: Record<string, AttrValue> = { kernel_shape: [ksize[1]!, ksize[2]!], strides: [strides[1]!, strides[2]!] };
    if (sp.pads) attrs.pads = onnxPads(sp.pads);
    else attrs.auto_pad = 'SAME_UPPER';
    // TF averages only over real pixels at the border, which is ONNX's count_include_pad=0.
    if (onnxOp === 'AveragePool') attrs.count_include_pad = 0;
    const name = ctx.builder.add(onnxOp, [x.name], node.name, attrs);
    return { name, dtype: 'float32', shape: [shape[0]!, sp.outDims[0]!, sp.outDims[1]!, shape[3]!], layout: 'nchw' };
  };
}

export const convOps: Record<string, OpHandler> = {
  Conv2D: (n, c) => convCore(n, c, false),
  _FusedConv2D: (n, c) => convCore(n, c, false),
  DepthwiseConv2dNative: (n, c) => convCore(n, c, true),
  FusedDepthwiseConv2dNative: (n, c) => convCore(n, c, true),
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
};
