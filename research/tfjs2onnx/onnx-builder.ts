// Accumulates ONNX nodes and initializers, prunes what the outputs do not need, and serialises
// with a fixed field and element order so the same graph always yields the same bytes.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const OnnxType = {
  FLOAT: 1,
  UINT8: 2,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;
export type OnnxTypeCode = (typeof OnnxType)[keyof typeof OnnxType];

export type AttrValue = number | string | number[] | { float: number } | { floats: number[] };

export type Dim = number | string | null;

export interface GraphIo {
  name: string;
  elemType: OnnxTypeCode;
  dims: Dim[] | null;
}

interface PendingNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs: Array<[string, AttrValue]>;
}

interface PendingInit {
  name: string;
  elemType: OnnxTypeCode;
  dims: number[];
  raw: Uint8Array;
}

function toRaw(data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array): Uint8Array {
  // ONNX raw_data is little-endian; so is every machine Node ships for, and a copy keeps the
  // initializer independent of the caller's buffer.
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

function makeAttr(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use {float} for non-integers`);
    return { name, type: T.INT, i: v };
  }
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('float' in v) return { name, type: T.FLOAT, f: v.float };
  return { name, type: T.FLOATS, floats: v.floats };
}

function valueInfo(io: GraphIo): onnxProto.onnx.IValueInfoProto {
  const shape = io.dims
    ? { dim: io.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) }
    : undefined;
  return { name: io.name, type: { tensorType: { elemType: io.elemType, shape } } };
}

export class OnnxGraphBuilder {
  private readonly nodes: PendingNode[] = [];
  private readonly inits = new Map<string, PendingInit>();
  private readonly used = new Set<string>();
  private readonly reserved = new Set<string>();
  private readonly inputs: GraphIo[] = [];

  /** A tensor or node name not used yet, derived from `base` so the graph stays readable. */
  unique(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}__${k}`;
    this.used.add(name);
    return name;
  }

  /** Keeps a name free for a later addNamed (graph outputs named after TF nodes). */
  reserve(name: string): void {
    this.used.add(name);
    this.reserved.add(name);
  }

  addInput(io: GraphIo): void {
    this.used.add(io.name);
    this.inputs.push(io);
  }

  addInitializer(base: string, elemType: OnnxTypeCode, dims: number[], data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array): string {
    const name = this.unique(base);
    this.inits.set(name, { name, elemType, dims: [...dims], raw: toRaw(data) });
    return name;
  }

  addInt64(base: string, values: number[], scalar = false): string {
    return this.addInitializer(base, OnnxType.INT64, scalar ? [] : [values.length], BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /** Adds a node with one output and returns that output's name. */
  add(opType: string, inputs: string[], base: string, attrs: Record<string, AttrValue> = {}): string {
    const out = this.unique(base);
    this.nodes.push({ opType, inputs, outputs: [out], name: out, attrs: Object.entries(attrs) });
    return out;
  }

  /** Adds a node whose output must carry an exact name (graph outputs). */
  addNamed(opType: string, inputs: string[], output: string, attrs: Record<string, AttrValue> = {}): void {
    if (!this.reserved.delete(output)) {
      if (this.used.has(output)) throw new Error(`tensor name ${output} already used`);
      this.used.add(output);
    }
    this.nodes.push({ opType, inputs, outputs: [output], name: output, attrs: Object.entries(attrs) });
  }

  opCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const n of this.nodes) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
    return new Map([...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }

  /** Drops nodes and initializers that no graph output depends on. */
  prune(outputs: string[]): void {
    const needed = new Set(outputs);
    const keep = new Array<boolean>(this.nodes.length).fill(false);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      if (n.outputs.some((o) => needed.has(o))) {
        keep[i] = true;
        for (const inp of n.inputs) if (inp) needed.add(inp);
      }
    }
    const kept = this.nodes.filter((_, i) => keep[i]);
    this.nodes.length = 0;
    this.nodes.push(...kept);
    for (const name of [...this.inits.keys()]) if (!needed.has(name)) this.inits.delete(name);
  }

  encode(opts: { outputs: GraphIo[]; graphName: string; opset: number; docString?: string }): Uint8Array {
    this.prune(opts.outputs.map((o) => o.name));
    const model: onnxProto.onnx.IModelProto = {
      irVersion: 8,
      producerName: 'reunite-face tfjs2onnx',
      producerVersion: '1',
      docString: opts.docString ?? '',
      opsetImport: [{ domain: '', version: opts.opset }],
      graph: {
        name: opts.graphName,
        node: this.nodes.map((n) => ({
          opType: n.opType,
          name: n.name,
          input: n.inputs,
          output: n.outputs,
          attribute: n.attrs.map(([k, v]) => makeAttr(k, v)),
        })),
        initializer: [...this.inits.values()].map((t) => ({ name: t.name, dataType: t.elemType, dims: t.dims, rawData: t.raw })),
        input: this.inputs.map(valueInfo),
        output: opts.outputs.map(valueInfo),
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
  }
}
