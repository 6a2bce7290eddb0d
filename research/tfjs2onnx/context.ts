// State shared by the op translators: the TF tensor -> ONNX tensor map, the layout each tensor is
// stored in, and cached layout conversions so a tensor is transposed at most once each way.
import { toFloat16Array, type ConstTensor, type TfDtype, type TfNode } from './graph-model.js';
import { OnnxGraphBuilder, OnnxType, type Dim, type OnnxTypeCode } from './onnx-builder.js';

/**
 * 'nchw' marks a TF tensor that is NHWC in the TF graph but stored channel-first in ONNX; every
 * other tensor is stored exactly as TF sees it ('native').
 */
export type Layout = 'native' | 'nchw';

export interface Value {
  name: string;
  dtype: TfDtype | 'int64';
  /** TF-semantic shape (NHWC order even when stored as NCHW); null when the rank is unknown. */
  shape: Dim[] | null;
  layout: Layout;
  /** Element values of a small int tensor when known at conversion time (symbols for batch-like dims). */
  partial?: Dim[];
}

export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];

export function onnxType(dtype: Value['dtype']): OnnxTypeCode {
  switch (dtype) {
    case 'float32':
      return OnnxType.FLOAT;
    case 'int32':
      return OnnxType.INT32;
    case 'int64':
      return OnnxType.INT64;
    case 'bool':
      return OnnxType.BOOL;
  }
}

export function transposeData<T extends Float32Array | Int32Array | Uint8Array>(data: T, shape: number[], perm: number[]): T {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d]!;
  }
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d]! * inStrides[perm[d]!]!;
    out[o] = data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

export function permute<T>(xs: T[], perm: number[]): T[] {
  return perm.map((p) => xs[p]!);
}

/** Splits "node:1" into node name and output index; control inputs ("^node") are dropped by the caller. */
export function parseRef(ref: string): { node: string; index: number } {
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1]!, index: Number(m[2]) } : { node: ref, index: 0 };
}

export class ConvertContext {
  readonly builder = new OnnxGraphBuilder();
  private readonly values = new Map<string, Value>();
  private readonly layoutCache = new Map<string, Value>();
  private readonly constCache = new Map<string, string>();
  private readonly scalars = new Map<number, string>();

  private readonly consumers = new Map<string, TfNode[]>();

  constructor(
    private readonly consts: Map<string, ConstTensor>,
    private readonly nodes: Map<string, TfNode>,
    private readonly keepFloat16: boolean,
  ) {
    for (const n of nodes.values()) {
      for (const r of this.dataInputs(n)) {
        const src = parseRef(r).node;
        this.consumers.set(src, [...(this.consumers.get(src) ?? []), n]);
      }
    }
  }

  /** The TF nodes that read any output of `name`. */
  consumersOf(name: string): TfNode[] {
    return this.consumers.get(name) ?? [];
  }

  dataInputs(node: TfNode): string[] {
    return (node.input ?? []).filter((r) => !r.startsWith('^'));
  }

  setValue(ref: string, v: Value): void {
    this.values.set(ref, v);
  }

  /** The constant behind a TF input, looking through Identity chains, or undefined if it is computed. */
  constOf(ref: string): ConstTensor | undefined {
    let { node: name, index } = parseRef(ref);
    for (;;) {
      if (index !== 0) return undefined;
      const c = this.consts.get(name);
      if (c) return c;
      const n = this.nodes.get(name);
      if (!n || (n.op !== 'Identity' && n.op !== 'StopGradient' && n.op !== 'Snapshot')) return undefined;
      ({ node: name, index } = parseRef(this.dataInputs(n)[0]!));
    }
  }

  requireConst(node: TfNode, inputIndex: number, what: string): ConstTensor {
    const ref = this.dataInputs(node)[inputIndex];
    const c = ref === undefined ? undefined : this.constOf(ref);
    if (!c) throw new Error(`${node.op} ${node.name}: ${what} (input ${inputIndex}) must be a constant`);
    return c;
  }

  /** Integer values known at conversion time: from a constant, or tracked through shape arithmetic. */
  knownInts(ref: string): Dim[] | undefined {
    const c = this.constOf(ref);
    if (c) return c.dtype === 'float32' ? undefined : Array.from(c.data as Int32Array, Number);
    return this.values.get(ref)?.partial ?? this.values.get(`${parseRef(ref).node}`)?.partial;
  }

  /** The converted tensor for a TF input; constants become native-layout initializers. */
  value(ref: string): Value {
    const key = parseRef(ref).index === 0 ? parseRef(ref).node : ref;
    const v = this.values.get(key);
    if (v) return v;
    const c = this.constOf(ref);
    if (!c) throw new Error(`tensor ${ref} used before it was produced (or an unsupported multi-output op)`);
    const name = this.constInit(key, 'native', () => c);
    const partial = c.dtype === 'float32' || c.shape.length > 1 ? undefined : Array.from(c.data as Int32Array, Number);
    const cv: Value = { name, dtype: c.dtype, shape: [...c.shape], layout: 'native', partial };
    this.values.set(key, cv);
    return cv;
  }

  /**
   * An initializer derived from a constant, created once per (constant, transform) pair. Weights
   * shipped as float16 stay float16 on disk behind a Cast (exact, and folded by onnxruntime at load).
   */
  constInit(key: string, variant: string, make: () => ConstTensor): string {
    const cacheKey = `${key}\u0000${variant}`;
    const hit = this.constCache.get(cacheKey);
    if (hit) return hit;
    const t = make();
    const base = variant === 'native' ? key : `${key}_${variant}`;
    let name: string;
    if (this.keepFloat16 && t.dtype === 'float32' && this.constOf(key)?.fromFloat16) {
      const bits = toFloat16Array(t.data as Float32Array);
      const half = this.builder.addInitializer(`${base}_f16`, OnnxType.FLOAT16, t.shape, bits);
      name = this.builder.add('Cast', [half], base, { to: OnnxType.FLOAT });
    } else {
      name = this.builder.addInitializer(base, onnxType(t.dtype), t.shape, t.data);
    }
    this.constCache.set(cacheKey, name);
    return name;
  }

  toNative(v: Value): Value {
    if (v.layout === 'native') return v;
    const key = `${v.name}\u0000native`;
    const hit = this.layoutCache.get(key);
    if (hit) return hit;
    const name = this.builder.add('Transpose', [v.name], `${v.name}_nhwc`, { perm: NCHW_TO_NHWC });
    const out: Value = { ...v, name, layout: 'native' };
    this.layoutCache.set(key, out);
    return out;
  }

  toNchw(v: Value): Value {
    if (v.layout === 'nchw') return v;
    if (v.shape?.length !== 4) throw new Error(`tensor ${v.name} is not 4-D, cannot be made channel-first`);
    const key = `${v.name}\u0000nchw`;
    const hit = this.layoutCache.get(key);
    if (hit) return hit;
    const name = this.builder.add('Transpose', [v.name], `${v.name}_nchw`, { perm: NHWC_TO_NCHW });
    const out: Value = { ...v, name, layout: 'nchw' };
    this.layoutCache.set(key, out);
    return out;
  }

  /**
   * A constant prepared to broadcast against a channel-first 4-D tensor: TF aligns trailing dims,
   * so the constant is padded to rank 4 in NHWC order and then permuted like the data.
   */
  constForNchw(ref: string, c: ConstTensor): string {
    const key = parseRef(ref).node;
    return this.constInit(key, 'nchw', () => {
      if (c.shape.length > 4) throw new Error(`constant ${key} of rank ${c.shape.length} cannot broadcast against NCHW`);
      const padded = [...new Array<number>(4 - c.shape.length).fill(1), ...c.shape];
      return { dtype: c.dtype, shape: permute(padded, NHWC_TO_NCHW), data: transposeData(c.data, padded, NHWC_TO_NCHW) };
    });
  }

  /** One shared float scalar initializer per value (Relu6 bounds, Rsqrt numerators, ...). */
  scalarFloat(v: number): string {
    let name = this.scalars.get(v);
    if (!name) {
      name = this.builder.addInitializer(`const_${v}`, OnnxType.FLOAT, [], new Float32Array([v]));
      this.scalars.set(v, name);
    }
    return name;
  }

  int64(base: string, values: number[], scalar = false): string {
    return this.builder.addInt64(base, values, scalar);
  }
}
