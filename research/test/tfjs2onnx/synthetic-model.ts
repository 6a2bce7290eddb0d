// Builds a small TF.js graph-model JSON + weight buffer in memory, written the way the TF.js
// converter writes them (base64 strings, decimal int64s, uint8/float16-quantised weights).
import type { GraphModelJson, TfAttrValue, TfNode, WeightSpec } from '../../tfjs2onnx/graph-model.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const ints = (xs: number[]): TfAttrValue => ({ list: { i: xs.map(String) } });
const str = (s: string): TfAttrValue => ({ s: b64(s) });

/** Deterministic values in [-1, 1) so the test never depends on Math.random. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function toHalf(v: number): number {
  // Only called with values that are exact in half precision (multiples of 1/256 below 4).
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.floor(Math.log2(a));
  const frac = Math.round((a / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | frac;
}

class WeightWriter {
  readonly specs: WeightSpec[] = [];
  private readonly chunks: Buffer[] = [];
  readonly nodes: TfNode[] = [];

  constructor(private readonly rand: () => number) {}

  private constNode(name: string, dtype: 'DT_FLOAT' | 'DT_INT32', shape: number[]): void {
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: { dim: shape.map((s) => ({ size: String(s) })) } } } } });
  }

  float(name: string, shape: number[], scale = 0.5, quant?: 'uint8' | 'float16'): void {
    const n = shape.reduce((a, b) => a * b, 1);
    this.constNode(name, 'DT_FLOAT', shape);
    if (quant === 'uint8') {
      const min = -0.75;
      const step = 1.5 / 255;
      const buf = Buffer.alloc(n);
      for (let i = 0; i < n; i++) buf[i] = Math.floor(((this.rand() + 1) / 2) * 255.99);
      this.specs.push({ name, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale: step, min } });
      this.chunks.push(buf);
      return;
    }
    if (quant === 'float16') {
      const buf = Buffer.alloc(2 * n);
      for (let i = 0; i < n; i++) buf.writeUInt16LE(toHalf(Math.round(this.rand() * scale * 256) / 256), 2 * i);
      this.specs.push({ name, shape, dtype: 'float32', quantization: { dtype: 'float16' } });
      this.chunks.push(buf);
      return;
    }
    const buf = Buffer.alloc(4 * n);
    for (let i = 0; i < n; i++) buf.writeFloatLE(this.rand() * scale, 4 * i);
    this.specs.push({ name, shape, dtype: 'float32' });
    this.chunks.push(buf);
  }

  floatValues(name: string, shape: number[], values: number[]): void {
    this.constNode(name, 'DT_FLOAT', shape);
    const buf = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => buf.writeFloatLE(v, 4 * i));
    this.specs.push({ name, shape, dtype: 'float32' });
    this.chunks.push(buf);
  }

  int(name: string, shape: number[], values: number[]): void {
    this.constNode(name, 'DT_INT32', shape);
    const buf = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => buf.writeInt32LE(v, 4 * i));
    this.specs.push({ name, shape, dtype: 'int32' });
    this.chunks.push(buf);
  }

  data(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

/**
 * 9x9x3 input (odd, so stride-2 SAME padding is asymmetric) through a fused conv, a depthwise conv,
 * an explicit Pad + max pool, a PReLU spelled out as Abs/Sub/Mul/Add, a half-pixel bilinear
 * resize, DepthToSpace, a Shape/StridedSlice/Pack/Reshape chain, a mean and a fused dense layer.
 */
export function syntheticGraphModel(): { json: GraphModelJson; weightData: Uint8Array; inputShape: number[] } {
  const w = new WeightWriter(prng(7));
  const T = { T: { type: 'DT_FLOAT' } };
  const conv = { data_format: str('NHWC'), dilations: ints([1, 1, 1, 1]), explicit_paddings: { list: {} } };
  w.float('c1/w', [3, 3, 3, 8], 0.5, 'uint8');
  w.float('c1/b', [8], 0.2, 'float16');
  w.float('dw/w', [3, 3, 8, 2], 0.5);
  w.int('pad/p', [4, 2], [0, 0, 1, 0, 0, 1, 0, 0]);
  w.float('prelu/alpha', [16], 0.25);
  w.float('half', [], 0.5);
  w.int('resize/size', [2], [6, 6]);
  w.int('ss/begin', [1], [0]);
  w.int('ss/end', [1], [1]);
  w.int('ss/strides', [1], [1]);
  w.int('rs/d1', [], [-1]);
  w.int('rs/d2', [], [4]);
  w.int('mean/axes', [2], [1, 2]);
  w.float('fc/w', [4, 3], 0.8);
  w.float('fc/b', [3], 0.1);
  w.int('sum/axes', [1], [-1]);
  w.floatValues('eps', [], [1e-6]);

  const ops: TfNode[] = [
    { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '9' }, { size: '9' }, { size: '3' }] } } } },
    {
      name: 'c1',
      op: '_FusedConv2D',
      input: ['x', 'c1/w', 'c1/b'],
      attr: { ...T, ...conv, strides: ints([1, 2, 2, 1]), padding: str('SAME'), fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu6')] } }, num_args: { i: '1' }, epsilon: { f: 0 } },
    },
    { name: 'dw', op: 'DepthwiseConv2dNative', input: ['c1', 'dw/w'], attr: { ...T, ...conv, strides: ints([1, 1, 1, 1]), padding: str('SAME') } },
    { name: 'pad', op: 'Pad', input: ['dw', 'pad/p'], attr: { ...T, Tpaddings: { type: 'DT_INT32' } } },
    { name: 'pool', op: 'MaxPool', input: ['pad'], attr: { ...T, data_format: str('NHWC'), ksize: ints([1, 3, 3, 1]), strides: ints([1, 2, 2, 1]), padding: str('SAME') } },
    { name: 'p/relu', op: 'Relu', input: ['pool'], attr: T },
    { name: 'p/abs', op: 'Abs', input: ['pool'], attr: T },
    { name: 'p/sub', op: 'Sub', input: ['pool', 'p/abs'], attr: T },
    { name: 'p/mul', op: 'Mul', input: ['p/sub', 'prelu/alpha'], attr: T },
    { name: 'p/mul2', op: 'Mul', input: ['p/mul', 'half'], attr: T },
    { name: 'p/add', op: 'Add', input: ['p/relu', 'p/mul2'], attr: T },
    { name: 'up', op: 'ResizeBilinear', input: ['p/add', 'resize/size'], attr: { ...T, align_corners: { b: false }, half_pixel_centers: { b: true } } },
    { name: 'd2s', op: 'DepthToSpace', input: ['up'], attr: { ...T, data_format: str('NHWC'), block_size: { i: '2' } } },
    { name: 'shape', op: 'Shape', input: ['d2s'], attr: { ...T, out_type: { type: 'DT_INT32' } } },
    {
      name: 'ss',
      op: 'StridedSlice',
      input: ['shape', 'ss/begin', 'ss/end', 'ss/strides'],
      attr: { Index: { type: 'DT_INT32' }, T: { type: 'DT_INT32' }, begin_mask: { i: '0' }, end_mask: { i: '0' }, ellipsis_mask: { i: '0' }, new_axis_mask: { i: '0' }, shrink_axis_mask: { i: '1' } },
    },
    { name: 'rs/shape', op: 'Pack', input: ['ss', 'rs/d1', 'rs/d2'], attr: { T: { type: 'DT_INT32' }, N: { i: '3' }, axis: { i: '0' } } },
    { name: 'flat', op: 'Reshape', input: ['d2s', 'rs/shape'], attr: { ...T, Tshape: { type: 'DT_INT32' } } },
    { name: 'mean', op: 'Mean', input: ['d2s', 'mean/axes'], attr: { ...T, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } },
    {
      name: 'fc',
      op: '_FusedMatMul',
      input: ['mean', 'fc/w', 'fc/b'],
      attr: { ...T, transpose_a: { b: false }, transpose_b: { b: false }, fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu')] } }, num_args: { i: '1' }, epsilon: { f: 0 } },
    },
    { name: 'sq', op: 'Square', input: ['fc'], attr: T },
    { name: 'sum', op: 'Sum', input: ['sq', 'sum/axes'], attr: { ...T, Tidx: { type: 'DT_INT32' }, keep_dims: { b: true } } },
    { name: 'max', op: 'Maximum', input: ['sum', 'eps'], attr: T },
    { name: 'rsqrt', op: 'Rsqrt', input: ['max'], attr: T },
    { name: 'norm', op: 'Mul', input: ['fc', 'rsqrt'], attr: T },
  ];
  const json: GraphModelJson = {
    format: 'graph-model',
    generatedBy: 'synthetic',
    convertedBy: 'reunite-face test',
    modelTopology: { node: [...w.nodes, ...ops], library: {}, versions: {} },
    weightsManifest: [{ paths: ['synthetic.bin'], weights: w.specs }],
    signature: { outputs: { norm: { name: 'norm:0' }, flat: { name: 'flat:0' }, pool: { name: 'pool:0' } } },
  };
  return { json, weightData: w.data(), inputShape: [2, 9, 9, 3] };
}

/**
 * The ops the face graphs do not exercise: plain Conv2D + BiasAdd, depthwise with fused PReLU,
 * AvgPool, MirrorPad, PadV2, LeakyRelu, Sigmoid, channel ConcatV2, both resize kinds, Transpose,
 * Minimum/RealDiv, keep_dims Mean + Squeeze, MatMul with transpose_b, Softmax, ExpandDims, Relu6.
 */
export function syntheticGraphModel2(): { json: GraphModelJson; weightData: Uint8Array; inputShape: number[] } {
  const w = new WeightWriter(prng(11));
  const T = { T: { type: 'DT_FLOAT' } };
  const conv = { data_format: str('NHWC'), dilations: ints([1, 1, 1, 1]), explicit_paddings: { list: {} } };
  w.float('a/w', [1, 1, 4, 6], 0.7);
  w.float('b/bias', [6], 0.3, 'float16');
  w.float('c/w', [3, 3, 6, 1], 0.6);
  w.float('c/bias', [6], 0.2);
  w.float('c/alpha', [6], 0.5);
  w.int('e/p', [4, 2], [0, 0, 1, 1, 2, 2, 0, 0]);
  w.int('axis3', [], [3]);
  w.int('h/size', [2], [9, 11]);
  w.int('h2/size', [2], [12, 16]);
  w.int('i/p', [4, 2], [0, 0, 0, 1, 1, 0, 0, 0]);
  w.floatValues('i/v', [], [0.5]);
  w.int('t/perm', [4], [0, 3, 1, 2]);
  w.floatValues('m/y', [], [0.8]);
  w.floatValues('two', [], [2]);
  w.int('mean/axes', [2], [1, 2]);
  w.float('mm/w', [5, 12], 0.6);
  w.int('ed/axis', [], [1]);
  w.floatValues('ten', [], [10]);

  const ops: TfNode[] = [
    { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '8' }, { size: '8' }, { size: '4' }] } } } },
    { name: 'a', op: 'Conv2D', input: ['x', 'a/w'], attr: { ...T, ...conv, strides: ints([1, 1, 1, 1]), padding: str('VALID') } },
    { name: 'b', op: 'BiasAdd', input: ['a', 'b/bias'], attr: { ...T, data_format: str('NHWC') } },
    {
      name: 'c',
      op: 'FusedDepthwiseConv2dNative',
      input: ['b', 'c/w', 'c/bias', 'c/alpha'],
      attr: { ...T, ...conv, strides: ints([1, 2, 2, 1]), padding: str('SAME'), fused_ops: { list: { s: [b64('BiasAdd'), b64('Prelu')] } }, num_args: { i: '2' } },
    },
    { name: 'd', op: 'AvgPool', input: ['c'], attr: { ...T, data_format: str('NHWC'), ksize: ints([1, 3, 3, 1]), strides: ints([1, 1, 1, 1]), padding: str('SAME') } },
    { name: 'e', op: 'MirrorPad', input: ['d', 'e/p'], attr: { ...T, mode: str('REFLECT'), Tpaddings: { type: 'DT_INT32' } } },
    { name: 'f', op: 'LeakyRelu', input: ['e'], attr: { ...T, alpha: { f: 0.1 } } },
    { name: 'f2', op: 'Sigmoid', input: ['f'], attr: T },
    { name: 'g', op: 'ConcatV2', input: ['f', 'f2', 'axis3'], attr: { ...T, N: { i: '2' }, Tidx: { type: 'DT_INT32' } } },
    { name: 'h', op: 'ResizeBilinear', input: ['g', 'h/size'], attr: { ...T, align_corners: { b: true }, half_pixel_centers: { b: false } } },
    { name: 'h2', op: 'ResizeNearestNeighbor', input: ['g', 'h2/size'], attr: { ...T, align_corners: { b: false }, half_pixel_centers: { b: true } } },
    { name: 'i', op: 'PadV2', input: ['h', 'i/p', 'i/v'], attr: { ...T, Tpaddings: { type: 'DT_INT32' } } },
    { name: 't', op: 'Transpose', input: ['i', 't/perm'], attr: { ...T, Tperm: { type: 'DT_INT32' } } },
    { name: 'm', op: 'Minimum', input: ['t', 'm/y'], attr: T },
    { name: 'div', op: 'RealDiv', input: ['m', 'two'], attr: T },
    { name: 'mean', op: 'Mean', input: ['h2', 'mean/axes'], attr: { ...T, Tidx: { type: 'DT_INT32' }, keep_dims: { b: true } } },
    { name: 'sqz', op: 'Squeeze', input: ['mean'], attr: { ...T, squeeze_dims: ints([1, 2]) } },
    { name: 'mm', op: 'MatMul', input: ['sqz', 'mm/w'], attr: { ...T, transpose_a: { b: false }, transpose_b: { b: true } } },
    { name: 'sm', op: 'Softmax', input: ['mm'], attr: T },
    { name: 'ed', op: 'ExpandDims', input: ['sm', 'ed/axis'], attr: { ...T, Tdim: { type: 'DT_INT32' } } },
    { name: 'c10', op: 'Mul', input: ['c', 'ten'], attr: T },
    { name: 'r6', op: 'Relu6', input: ['c10'], attr: T },
  ];
  const json: GraphModelJson = {
    format: 'graph-model',
    generatedBy: 'synthetic',
    convertedBy: 'reunite-face test',
    modelTopology: { node: [...w.nodes, ...ops], library: {}, versions: {} },
    weightsManifest: [{ paths: ['synthetic2.bin'], weights: w.specs }],
    signature: null,
  };
  return { json, weightData: w.data(), inputShape: [2, 8, 8, 4] };
}
