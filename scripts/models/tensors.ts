// Reading and writing initializer values; the ONNX protobuf stores them either in raw_data
// (little-endian bytes) or in the typed repeated fields, depending on the exporter.
import { onnx, type GraphProto, type TensorProto } from './onnx-io.js';

export const DT = onnx.TensorProto.DataType;

export function floatValues(t: TensorProto): Float32Array {
  if (t.dataType !== DT.FLOAT) throw new Error(`initializer ${t.name} is not float32 (type ${t.dataType})`);
  if (t.rawData && t.rawData.length) {
    const copy = new Uint8Array(t.rawData); // aligned copy: raw_data may sit at any offset of the file buffer
    return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  }
  return Float32Array.from(t.floatData ?? []);
}

export function dimsOfTensor(t: TensorProto): number[] {
  return (t.dims ?? []).map((d) => Number(d));
}

function rawTensor(name: string, dataType: number, dims: number[], bytes: Uint8Array): TensorProto {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: bytes });
}

export function floatTensor(name: string, dims: number[], values: Float32Array): TensorProto {
  return rawTensor(name, DT.FLOAT, dims, new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
}

export function int8Tensor(name: string, dims: number[], values: Int8Array): TensorProto {
  return rawTensor(name, DT.INT8, dims, new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
}

export function uint8Tensor(name: string, dims: number[], values: Uint8Array): TensorProto {
  return rawTensor(name, DT.UINT8, dims, new Uint8Array(values));
}

export function int32Tensor(name: string, dims: number[], values: Int32Array): TensorProto {
  return rawTensor(name, DT.INT32, dims, new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
}

export function int64Tensor(name: string, values: ReadonlyArray<number | bigint>): TensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return rawTensor(name, DT.INT64, [values.length], raw);
}

/** Name lookup that stays correct while the graph is edited (initializers added and removed). */
export class Initializers {
  private readonly byName = new Map<string, TensorProto>();
  constructor(private readonly g: GraphProto) {
    for (const t of g.initializer ?? []) this.byName.set(t.name!, t);
  }
  get(name: string): TensorProto | undefined {
    return this.byName.get(name);
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  add(t: TensorProto): void {
    if (this.byName.has(t.name!)) throw new Error(`initializer ${t.name} already exists`);
    this.byName.set(t.name!, t);
    this.g.initializer!.push(t);
  }
  /** Removes an initializer no node reads any more. */
  removeIfUnused(name: string): void {
    const used = (this.g.node ?? []).some((n) => n.input?.includes(name));
    if (used) return;
    this.byName.delete(name);
    this.g.initializer = this.g.initializer!.filter((t) => t.name !== name);
  }
}
