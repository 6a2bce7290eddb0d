// Ops that move data around rather than compute on it: reshapes, slices, concats, pads, resizes.
// Memory-order-sensitive ops (Reshape, StridedSlice, Pack) run on TF-native tensors; the rest
// translate their axes so channel-first data can stay channel-first.
import { NCHW_TO_NHWC, NHWC_TO_NCHW, permute, type ConvertContext, type Value } from './context.js';
import { attrBool, attrInt, attrInts, attrString, type TfNode } from './graph-model.js';
import type { AttrValue, Dim } from './onnx-builder.js';
import type { OpHandler } from './ops-conv.js';
import { unifyOperands } from './ops-elementwise.js';
import { normAxis } from './shapes.js';

const INT64_BIG = 2 ** 62;

function knownNumbers(ctx: ConvertContext, node: TfNode, index: number, what: string): number[] {
  const ref = ctx.dataInputs(node)[index];
  const k = ref === undefined ? undefined : ctx.knownInts(ref);
  if (!k || k.some((d) => typeof d !== 'number')) throw new Error(`${node.op} ${node.name}: ${what} must be known at conversion time`);
  return k as number[];
}

/** Resolves TF's -1 in a reshape target when the input's element count is known up to shared symbols. */
export function inferReshape(inShape: Dim[] | null, target: Dim[]): Dim[] {
  const out = target.map((d) => (d === -1 ? null : d));
  const hole = target.indexOf(-1);
  if (hole < 0 || !inShape) return out;
  const syms = (dims: Dim[]) => dims.filter((d): d is string => typeof d === 'string').sort();
  if (inShape.some((d) => d === null) || target.some((d) => d === null)) return out;
  const inSyms = syms(inShape);
  const outSyms = syms(target);
  if (inSyms.join('\u0000') !== outSyms.join('\u0000')) return out;
  const prod = (dims: Dim[]) => dims.reduce<number>((a, d) => (typeof d === 'number' && d !== -1 ? a * d : a), 1);
  out[hole] = prod(inShape) / prod(target);
  return out;
}

const reshape: OpHandler = (node, ctx) => {
  const [xr, sr] = ctx.dataInputs(node) as [string, string];
  const x = ctx.toNative(ctx.value(xr));
  const known = ctx.knownInts(sr);
  let shapeName: string | undefined;
  let outShape: Dim[] | null = null;
  if (known) {
    if (known.includes(0)) throw new Error(`Reshape ${node.name}: zero-sized dims are not supported`);
    // A symbolic dim copied from the same position of the input is ONNX's "0 = keep this dim".
    const target = known.map((d, i) => (typeof d === 'number' ? d : d !== null && x.shape?.[i] === d ? 0 : undefined));
    if (target.every((t) => t !== undefined)) shapeName = ctx.int64(`${node.name}_shape`, target as number[]);
    outShape = inferReshape(x.shape, known);
  }
  if (!shapeName) shapeName = ctx.builder.add('Cast', [ctx.value(sr).name], `${node.name}_shape64`, { to: 7 });
  const name = ctx.builder.add('Reshape', [x.name, shapeName], node.name);
  return { name, dtype: x.dtype, shape: outShape, layout: 'native', partial: undefined };
};

/** Axes of a stored channel-first tensor, and whether dropping `drop` leaves TF's native order. */
function nchwDropKeepsOrder(drop: number[]): boolean {
  const remainingStored = NHWC_TO_NCHW.filter((a) => !drop.includes(a));
  const remainingNative = [0, 1, 2, 3].filter((a) => !drop.includes(a));
  return remainingStored.join() === remainingNative.join();
}

const squeeze: OpHandler = (node, ctx) => {
  let x = ctx.value(ctx.dataInputs(node)[0]!);
  if (!x.shape) throw new Error(`Squeeze ${node.name}: input rank unknown`);
  const rank = x.shape.length;
  let axes = attrInts(node, 'squeeze_dims', attrInts(node, 'axis', []));
  if (axes.length === 0) {
    if (x.shape.some((d) => typeof d !== 'number')) throw new Error(`Squeeze ${node.name}: needs static shape to squeeze all unit dims`);
    axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  }
  axes = axes.map((a) => normAxis(a, rank)).sort((a, b) => a - b);
  let stored = axes;
  if (x.layout === 'nchw') {
    if (nchwDropKeepsOrder(axes)) stored = axes.map((a) => NHWC_TO_NCHW.indexOf(a)).sort((a, b) => a - b);
    else x = ctx.toNative(x);
  }
  const name = ctx.builder.add('Squeeze', [x.name, ctx.int64(`${node.name}_axes`, stored)], node.name);
  const shape = x.shape!.filter((_, i) => !axes.includes(i));
  return { name, dtype: x.dtype, shape, layout: 'native', partial: x.partial && shape.length === 0 ? x.partial : undefined };
};

const expandDims: OpHandler = (node, ctx) => {
  const x = ctx.toNative(ctx.value(ctx.dataInputs(node)[0]!));
  if (!x.shape) throw new Error(`ExpandDims ${node.name}: input rank unknown`);
  const axis = normAxis(knownNumbers(ctx, node, 1, 'axis')[0]!, x.shape.length + 1);
  const name = ctx.builder.add('Unsqueeze', [x.name, ctx.int64(`${node.name}_axes`, [axis])], node.name);
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
  return { name, dtype: x.dtype, shape, layout: 'native', partial: x.partial && x.shape.length === 0 ? x.partial : undefined };
};

const concat: OpHandler = (node, ctx) => {
  const refs = ctx.dataInputs(node);
  const dataRefs = refs.slice(0, -1);
  const rank = (ctx.constOf(dataRefs[0]!)?.shape.length ?? ctx.value(dataRefs[0]!).shape?.length)!;
  const axis = normAxis(knownNumbers(ctx, node, refs.length - 1, 'axis')[0]!, rank);
  const { names, layout, values } = unifyOperands(ctx, dataRefs);
  const storedAxis = layout === 'nchw' ? NHWC_TO_NCHW.indexOf(axis) : axis;
  const name = ctx.builder.add('Concat', names, node.name, { axis: storedAxis });
  let shape: Dim[] | null = null;
  if (values.every((v) => v.shape)) {
    shape = [...values[0]!.shape!];
    const parts = values.map((v) => v.shape![axis]!);
    shape[axis] = parts.every((p) => typeof p === 'number') ? (parts as number[]).reduce((a, b) => a + b, 0) : null;
  }
  const partials = dataRefs.map((r) => ctx.knownInts(r));
  const partial = rank === 1 && partials.every((p) => p) ? partials.flatMap((p) => p!) : undefined;
  return { name, dtype: values[0]!.dtype, shape, layout, partial };
};

const pack: OpHandler = (node, ctx) => {
  const refs = ctx.dataInputs(node);
  const first = ctx.value(refs[0]!);
  if (!first.shape) throw new Error(`Pack ${node.name}: input rank unknown`);
  const axis = normAxis(attrInt(node, 'axis', 0), first.shape.length + 1);
  const axesName = ctx.int64(`${node.name}_axes`, [axis]);
  const parts = refs.map((r, i) => ctx.builder.add('Unsqueeze', [ctx.toNative(ctx.value(r)).name, axesName], `${node.name}_in${i}`));
  const name = ctx.builder.add('Concat', parts, node.name, { axis });
  const shape = [...first.shape.slice(0, axis), refs.length, ...first.shape.slice(axis)];
  const partials = refs.map((r) => ctx.knownInts(r));
  const partial = first.shape.length === 0 && partials.every((p) => p?.length === 1) ? partials.map((p) => p![0]!) : undefined;
  return { name, dtype: first.dtype, shape, layout: 'native', partial };
};

const shapeOp: OpHandler = (node, ctx) => {
  const x = ctx.value(ctx.dataInputs(node)[0]!);
  if (!x.shape) throw new Error(`Shape ${node.name}: input rank unknown`);
  let s = ctx.builder.add('Shape', [x.name], `${node.name}_stored`);
  if (x.layout === 'nchw') s = ctx.builder.add('Gather', [s, ctx.int64(`${node.name}_perm`, NCHW_TO_NHWC)], `${node.name}_nhwc`, { axis: 0 });
  const outType = node.attr?.out_type?.type === 'DT_INT64' ? 'int64' : 'int32';
  const name = outType === 'int64' ? s : ctx.builder.add('Cast', [s], node.name, { to: 6 });
  return { name, dtype: outType, shape: [x.shape.length], layout: 'native', partial: [...x.shape] };
};

interface AxisSlice {
  start: number;
  end: number;
  step: number;
  beginMasked: boolean;
  endMasked: boolean;
}

/** The indices a Python-style slice selects from a dim of size n. */
function sliceIndices(n: number, s: AxisSlice): number[] {
  const { step } = s;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let start = s.beginMasked ? (step > 0 ? 0 : n - 1) : s.start < 0 ? s.start + n : s.start;
  let end = s.endMasked ? (step > 0 ? n : -1) : s.end < 0 ? s.end + n : s.end;
  start = step > 0 ? clamp(start, 0, n) : clamp(start, -1, n - 1);
  end = step > 0 ? clamp(end, 0, n) : clamp(end, -1, n - 1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
  return out;
}

function emitSlice(ctx: ConvertContext, node: TfNode, x: Value, axes: number[], slices: AxisSlice[], shrink: number[]): Value {
  const starts = slices.map((s) => (s.beginMasked ? (s.step > 0 ? 0 : INT64_BIG) : s.start));
  const ends = slices.map((s) => (s.endMasked ? (s.step > 0 ? INT64_BIG : -INT64_BIG) : s.end));
  const b = ctx.builder;
  let name = b.add(
    'Slice',
    [x.name, ctx.int64(`${node.name}_starts`, starts), ctx.int64(`${node.name}_ends`, ends), ctx.int64(`${node.name}_axes`, axes), ctx.int64(`${node.name}_steps`, slices.map((s) => s.step))],
    shrink.length ? `${node.name}_slice` : node.name,
  );
  if (shrink.length) name = b.add('Squeeze', [name, ctx.int64(`${node.name}_shrink`, shrink)], node.name);

  let shape: Dim[] | null = null;
  if (x.shape) {
    shape = x.shape.map((d, i) => {
      const k = axes.indexOf(i);
      if (k < 0) return d;
      const s = slices[k]!;
      if (typeof d === 'number') return sliceIndices(d, s).length;
      return s.beginMasked && s.endMasked && s.step === 1 ? d : null;
    });
    shape = shape.filter((_, i) => !shrink.includes(i));
  }
  let partial: Dim[] | undefined;
  if (x.partial && x.shape?.length === 1 && axes.length === 1) {
    partial = sliceIndices(x.partial.length, slices[0]!).map((i) => x.partial![i]!);
  }
  return { name, dtype: x.dtype, shape, layout: 'native', partial };
}

const stridedSlice: OpHandler = (node, ctx) => {
  const x = ctx.toNative(ctx.value(ctx.dataInputs(node)[0]!));
  const begin = knownNumbers(ctx, node, 1, 'begin');
  const end = knownNumbers(ctx, node, 2, 'end');
  const strides = knownNumbers(ctx, node, 3, 'strides');
  if (attrInt(node, 'ellipsis_mask', 0) || attrInt(node, 'new_axis_mask', 0)) {
    throw new Error(`StridedSlice ${node.name}: ellipsis_mask/new_axis_mask are not supported`);
  }
  const beginMask = attrInt(node, 'begin_mask', 0);
  const endMask = attrInt(node, 'end_mask', 0);
  const shrinkMask = attrInt(node, 'shrink_axis_mask', 0);
  const axes: number[] = [];
  const slices: AxisSlice[] = [];
  const shrink: number[] = [];
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    axes.push(i);
    if (shrinkMask & bit) {
      shrink.push(i);
      // end = begin + 1 would be 0 for begin = -1, which selects nothing; run to the end instead.
      const b = begin[i]!;
      slices.push({ start: b, end: b === -1 ? INT64_BIG : b + 1, step: 1, beginMasked: false, endMasked: b === -1 });
    } else {
      slices.push({ start: begin[i]!, end: end[i]!, step: strides[i]!, beginMasked: !!(beginMask & bit), endMasked: !!(endMask & bit) });
    }
  }
  return emitSlice(ctx, node, x, axes, slices, shrink);
};

const slice: OpHandler = (node, ctx) => {
  const x = ctx.toNative(ctx.value(ctx.dataInputs(node)[0]!));
  const begin = knownNumbers(ctx, node, 1, 'begin');
  const size = knownNumbers(ctx, node, 2, 'size');
  const slices = begin.map((b, i) => ({ start: b, end: size[i] === -1 ? INT64_BIG : b + size[i]!, step: 1, beginMasked: false, endMasked: size[i] === -1 }));
  return emitSlice(ctx, node, x, begin.map((_, i) => i), slices, []);
};

const transpose: OpHandler = (node, ctx) => {
  const x0 = ctx.value(ctx.dataInputs(node)[0]!);
  const perm = knownNumbers(ctx, node, 1, 'perm');
  // TF asking for NHWC->NCHW of a tensor already stored channel-first: nothing to do.
  if (x0.layout === 'nchw' && perm.join() === NHWC_TO_NCHW.join()) {
    return { ...x0, name: ctx.builder.add('Identity', [x0.name], node.name), shape: permute(x0.shape!, perm), layout: 'native' };
  }
  const x = ctx.toNative(x0);
  const name = ctx.builder.add('Transpose', [x.name], node.name, { perm });
  return { name, dtype: x.dtype, shape: x.shape ? permute(x.shape, perm) : null, layout: 'native' };
};

function pad(mode: 'constant' | 'mirror'): OpHandler {
  return (node, ctx) => {
    const inputs = ctx.dataInputs(node);
    const x = ctx.value(inputs[0]!);
    const p = ctx.requireConst(node, 1, 'paddings');
    const rank = p.shape[0]!;
    let rows = Array.from({ length: rank }, (_, i) => [p.data[2 * i]!, p.data[2 * i + 1]!] as [number, number]);
    if (x.layout === 'nchw') rows = permute(rows, NHWC_TO_NCHW);
    const pads = ctx.int64(`${node.name}_pads`, [...rows.map((r) => r[0]), ...rows.map((r) => r[1])]);
    const padInputs = [x.name, pads];
    const attrs: Record<string, AttrValue> = {};
    if (mode === 'mirror') {
      const m = attrString(node, 'mode');
      if (m !== 'REFLECT') throw new Error(`MirrorPad ${node.name}: mode ${m} has no ONNX equivalent`);
      attrs.mode = 'reflect';
    } else {
      if (inputs[2] !== undefined) ctx.requireConst(node, 2, 'constant_values');
      // onnxruntime folds a zero Pad into a following pool's pads, which MaxPool treats as -inf
      // (wrong whenever the input can be negative). It leaves Pads that carry the optional axes
      // input alone, so those get one.
      const guard = ctx.consumersOf(node.name).some((c) => c.op === 'MaxPool' || c.op === 'AvgPool');
      if (inputs[2] !== undefined || guard) {
        if (inputs[2] === undefined && x.dtype !== 'float32') throw new Error(`Pad ${node.name}: non-float pad before a pool`);
        padInputs.push(inputs[2] !== undefined ? ctx.value(inputs[2]).name : ctx.scalarFloat(0));
      }
      if (guard) padInputs.push(ctx.int64(`${node.name}_axes`, [...Array(rank).keys()]));
    }
    const name = ctx.builder.add('Pad', padInputs, node.name, attrs);
    const nativeRows = Array.from({ length: rank }, (_, i) => [p.data[2 * i]!, p.data[2 * i + 1]!]);
    const shape = x.shape ? x.shape.map((d, i) => (typeof d === 'number' ? d + nativeRows[i]![0]! + nativeRows[i]![1]! : d)) : null;
    return { ...x, name, shape, partial: undefined };
  };
}

function spaceDepth(onnxOp: 'DepthToSpace' | 'SpaceToDepth'): OpHandler {
  return (node, ctx) => {
    if (attrString(node, 'data_format', 'NHWC') !== 'NHWC') throw new Error(`${node.op} ${node.name}: only NHWC is supported`);
    const x = ctx.toNchw(ctx.value(ctx.dataInputs(node)[0]!));
    const bs = attrInt(node, 'block_size');
    // TF's NHWC channel order (i*bs + j)*C + c is ONNX's DCR order once stored channel-first.
    const attrs: Record<string, AttrValue> = onnxOp === 'DepthToSpace' ? { blocksize: bs, mode: 'DCR' } : { blocksize: bs };
    const name = ctx.builder.add(onnxOp, [x.name], node.name, attrs);
    const [n, h, w, c] = x.shape!;
    const mul = (d: Dim | undefined, f: number) => (typeof d === 'number' ? d * f : null);
    const shape: Dim[] = onnxOp === 'DepthToSpace' ? [n!, mul(h, bs), mul(w, bs), mul(c, 1 / (bs * bs))] : [n!, mul(h, 1 / bs), mul(w, 1 / bs), mul(c, bs * bs)];
    return { ...x, name, shape };
  };
}

function resize(mode: 'linear' | 'nearest'): OpHandler {
  return (node, ctx) => {
    const x = ctx.toNchw(ctx.value(ctx.dataInputs(node)[0]!));
    const [oh, ow] = knownNumbers(ctx, node, 1, 'size');
    const alignCorners = attrBool(node, 'align_corners', false);
    const halfPixel = attrBool(node, 'half_pixel_centers', false);
    const attrs: Record<string, AttrValue> = { axes: [2, 3], mode };
    if (mode === 'linear') {
      attrs.coordinate_transformation_mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
    } else {
      // TF nearest: floor((x + 0.5) * scale) with half-pixel centres, round(x * scale) with aligned corners.
      attrs.coordinate_transformation_mode = alignCorners ? 'align_corners' : halfPixel ? 'tf_half_pixel_for_nn' : 'asymmetric';
      attrs.nearest_mode = alignCorners ? 'round_prefer_ceil' : 'floor';
    }
    const name = ctx.builder.add('Resize', [x.name, '', '', ctx.int64(`${node.name}_sizes`, [oh!, ow!])], node.name, attrs);
    return { ...x, name, shape: [x.shape![0]!, oh!, ow!, x.shape![3]!] };
  };
}

export const shapeOps: Record<string, OpHandler> = {
  Reshape: reshape,
  Squeeze: squeeze,
  ExpandDims: expandDims,
  ConcatV2: concat,
  Pack: pack,
  Shape: shapeOp,
  StridedSlice: stridedSlice,
  Slice: slice,
  Transpose: transpose,
  Pad: pad('constant'),
  PadV2: pad('constant'),
  MirrorPad: pad('mirror'),
  DepthToSpace: spaceDepth('DepthToSpace'),
  SpaceToDepth: spaceDepth('SpaceToDepth'),
  ResizeBilinear: resize('linear'),
  ResizeNearestNeighbor: resize('nearest'),
};
