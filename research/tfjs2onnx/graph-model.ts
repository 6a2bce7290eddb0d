// Reads a TF.js graph model (model.json + .bin shards) into plain typed arrays.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export type TfDtype = 'float32' | 'int32' | 'bool';

export interface TfAttrValue {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: Array<{ size?: string | number }>; unknownRank?: boolean };
  list?: { s?: string[]; i?: Array<string | number>; f?: number[]; b?: boolean[]; type?: string[] };
  tensor?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
  device?: string;
}

export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: WeightQuantization;
}

export interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface SignatureEntry {
  name?: string;
  dtype?: string;
  tensorShape?: { dim?: Array<{ size?: string | number }> };
}

export interface GraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: { node: TfNode[]; library?: { function?: unknown[] }; versions?: unknown };
  weightsManifest: WeightGroup[];
  signature?: { inputs?: Record<string, SignatureEntry>; outputs?: Record<string, SignatureEntry> } | null;
  userDefinedMetadata?: unknown;
}

export interface ConstTensor {
  dtype: TfDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
  /** Shipped as float16: every value is exactly representable in half precision. */
  fromFloat16?: boolean;
}

export interface LoadedGraphModel {
  json: GraphModelJson;
  /** Every weight shard concatenated in manifest order, exactly as TF.js reads them. */
  weightData: Uint8Array;
  weights: Map<string, ConstTensor>;
}

const float16Table = (() => {
  // Exact decode of every half-precision bit pattern; a table keeps the hot loop branch-free.
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) table[h] = sign * frac * 2 ** -24;
    else if (exp === 31) table[h] = frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else table[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return table;
})();

/** float32 -> IEEE half bits, round-to-nearest-even (exact for values that came from halves). */
export function toFloat16Array(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    const e = exp - 127 + 15;
    let h: number;
    if (exp === 0xff) h = sign | 0x7c00 | (mant ? 0x200 : 0);
    else if (e >= 0x1f) h = sign | 0x7c00;
    else if (e <= 0) {
      if (e < -10) h = sign;
      else {
        mant |= 0x800000;
        const shift = 14 - e;
        let half = mant >>> shift;
        const rem = mant & ((1 << shift) - 1);
        const mid = 1 << (shift - 1);
        if (rem > mid || (rem === mid && half & 1)) half++;
        h = sign | half;
      }
    } else {
      let half = (e << 10) | (mant >>> 13);
      const rem = mant & 0x1fff;
      if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
      h = sign | half;
    }
    out[i] = h;
  }
  return out;
}

function storedBytesPerElement(spec: WeightSpec): number {
  const q = spec.quantization?.dtype;
  if (q === 'uint8') return 1;
  if (q === 'uint16' || q === 'float16') return 2;
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return 4;
  if (spec.dtype === 'bool') return 1;
  throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
}

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Decodes one weight, undoing TF.js weight quantization the same way TF.js does on load. */
export function decodeWeight(spec: WeightSpec, bytes: Uint8Array): ConstTensor {
  const n = numel(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dtype = spec.dtype as TfDtype;
  const q = spec.quantization;
  if (q) {
    const out = new Float32Array(n);
    if (q.dtype === 'float16') {
      for (let i = 0; i < n; i++) out[i] = float16Table[view.getUint16(2 * i, true)]!;
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const scale = q.scale ?? 1;
      const min = q.min ?? 0;
      for (let i = 0; i < n; i++) {
        const v = q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true);
        out[i] = v * scale + min;
      }
    } else {
      throw new Error(`weight ${spec.name}: unsupported quantization ${String((q as { dtype: string }).dtype)}`);
    }
    if (dtype === 'int32') return { dtype, shape: spec.shape, data: Int32Array.from(out, (v) => Math.round(v)) };
    return { dtype: 'float32', shape: spec.shape, data: out, fromFloat16: q.dtype === 'float16' };
  }
  if (dtype === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
    return { dtype, shape: spec.shape, data: out };
  }
  if (dtype === 'int32') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
    return { dtype, shape: spec.shape, data: out };
  }
  if (dtype === 'bool') return { dtype, shape: spec.shape, data: bytes.slice(0, n) };
  throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
}

export function decodeWeights(manifest: WeightGroup[], weightData: Uint8Array): Map<string, ConstTensor> {
  const weights = new Map<string, ConstTensor>();
  let offset = 0;
  for (const group of manifest) {
    for (const spec of group.weights) {
      const size = numel(spec.shape) * storedBytesPerElement(spec);
      if (offset + size > weightData.byteLength) throw new Error(`weight ${spec.name}: shards are shorter than the manifest says`);
      weights.set(spec.name, decodeWeight(spec, weightData.subarray(offset, offset + size)));
      offset += size;
    }
  }
  return weights;
}

export function parseGraphModel(json: GraphModelJson, weightData: Uint8Array): LoadedGraphModel {
  if (json.format !== undefined && json.format !== 'graph-model') throw new Error(`not a graph model: format ${json.format}`);
  if (!Array.isArray(json.modelTopology?.node)) throw new Error('model.json has no modelTopology.node list');
  if ((json.modelTopology.library?.function?.length ?? 0) > 0) {
    throw new Error('graph functions (control flow) are not supported');
  }
  return { json, weightData, weights: decodeWeights(json.weightsManifest ?? [], weightData) };
}

export async function loadGraphModel(modelJsonPath: string): Promise<LoadedGraphModel> {
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as GraphModelJson;
  const dir = dirname(modelJsonPath);
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) shards.push(new Uint8Array(await readFile(join(dir, p))));
  }
  const total = shards.reduce((a, s) => a + s.byteLength, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const s of shards) {
    weightData.set(s, off);
    off += s.byteLength;
  }
  return parseGraphModel(json, weightData);
}

// --- attribute accessors: the JSON keeps strings base64-encoded and int64 as decimal strings ---

export function attrString(node: TfNode, key: string, fallback?: string): string {
  const s = node.attr?.[key]?.s;
  if (s === undefined) {
    if (fallback === undefined) throw new Error(`${node.op} ${node.name}: missing attribute ${key}`);
    return fallback;
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

export function attrInt(node: TfNode, key: string, fallback?: number): number {
  const i = node.attr?.[key]?.i;
  if (i === undefined) {
    if (fallback === undefined) throw new Error(`${node.op} ${node.name}: missing attribute ${key}`);
    return fallback;
  }
  return Number(i);
}

export function attrFloat(node: TfNode, key: string, fallback: number): number {
  return node.attr?.[key]?.f ?? fallback;
}

export function attrBool(node: TfNode, key: string, fallback: boolean): boolean {
  return node.attr?.[key]?.b ?? fallback;
}

export function attrInts(node: TfNode, key: string, fallback?: number[]): number[] {
  const list = node.attr?.[key]?.list;
  if (!list) {
    if (fallback === undefined) throw new Error(`${node.op} ${node.name}: missing attribute ${key}`);
    return fallback;
  }
  return (list.i ?? []).map(Number);
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function attrType(node: TfNode, key: string): string | undefined {
  return node.attr?.[key]?.type;
}
