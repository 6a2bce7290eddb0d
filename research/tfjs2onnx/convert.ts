// Turns a parsed TF.js graph model into ONNX bytes: walks the graph from its outputs, translates
// each op, and returns the model with a per-op report.
import { ConvertContext, onnxType, parseRef } from './context.js';
import type { ConstTensor, LoadedGraphModel, TfNode } from './graph-model.js';
import type { Dim, GraphIo } from './onnx-builder.js';
import { convOps, type OpHandler } from './ops-conv.js';
import { elementwiseOps } from './ops-elementwise.js';
import { reduceMatmulOps } from './ops-reduce-matmul.js';
import { shapeOps } from './ops-shape.js';

export const DEFAULT_OPSET = 18;

export interface ConvertOptions {
  /** Fixed shapes for inputs whose model.json leaves dims unknown (SAME padding needs sizes). */
  inputShapes?: Record<string, number[]>;
  graphName?: string;
  /** Keep float16-quantised weights as float16 initializers + Cast (default true; exact either way). */
  keepFloat16?: boolean;
}

export interface ConvertResult {
  bytes: Uint8Array;
  inputs: GraphIo[];
  outputs: GraphIo[];
  /** TF op -> count over the nodes the outputs depend on. */
  tfOps: Map<string, number>;
  onnxOps: Map<string, number>;
}

export function supportedOps(): string[] {
  return Object.keys(handlers()).concat(['Placeholder', 'Const']).sort();
}

function handlers(): Record<string, OpHandler> {
  return { ...convOps, ...elementwiseOps, ...shapeOps, ...reduceMatmulOps };
}

/** Outputs as TF.js picks them: the signature when there is one, otherwise the graph's leaves. */
export function graphOutputs(model: LoadedGraphModel): string[] {
  const sigOut = model.json.signature?.outputs;
  if (sigOut && Object.keys(sigOut).length > 0) {
    return Object.entries(sigOut).map(([key, e]) => {
      const r = parseRef(e.name ?? key);
      return r.index === 0 ? r.node : `${r.node}:${r.index}`;
    });
  }
  const nodes = model.json.modelTopology.node;
  const consumed = new Set<string>();
  for (const n of nodes) for (const r of n.input ?? []) consumed.add(parseRef(r.replace(/^\^/, '')).node);
  return nodes.filter((n) => n.op !== 'Const' && n.op !== 'NoOp' && !consumed.has(n.name)).map((n) => n.name);
}

function topoOrder(nodes: Map<string, TfNode>, outputs: string[]): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 1 | 2>();
  for (const out of outputs) {
    const stack: Array<{ name: string; next: number }> = [{ name: parseRef(out).node, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const node = nodes.get(top.name);
      if (!node) throw new Error(`graph references missing node ${top.name}`);
      if (top.next === 0) {
        if (state.get(top.name) === 2) {
          stack.pop();
          continue;
        }
        state.set(top.name, 1);
      }
      const inputs = (node.input ?? []).filter((r) => !r.startsWith('^'));
      if (top.next < inputs.length) {
        const dep = parseRef(inputs[top.next++]!).node;
        const s = state.get(dep);
        if (s === 1) throw new Error(`cycle through ${dep}`);
        if (s !== 2) stack.push({ name: dep, next: 0 });
        continue;
      }
      state.set(top.name, 2);
      order.push(node);
      stack.pop();
    }
  }
  return order;
}

function placeholderDims(node: TfNode, override?: number[]): Dim[] {
  if (override) return [...override];
  const dims = node.attr?.shape?.shape?.dim;
  if (!dims) throw new Error(`input ${node.name} has no shape; pass inputShapes`);
  return dims.map((d, i) => {
    const v = Number(d.size ?? -1);
    if (v >= 0) return v;
    return i === 0 ? 'batch' : `${node.name}_dim${i}`;
  });
}

export function convertGraphModel(model: LoadedGraphModel, opts: ConvertOptions = {}): ConvertResult {
  const nodes = new Map(model.json.modelTopology.node.map((n) => [n.name, n]));
  const consts = new Map<string, ConstTensor>();
  for (const n of nodes.values()) {
    if (n.op !== 'Const') continue;
    const w = model.weights.get(n.name);
    if (!w) throw new Error(`constant ${n.name} has no weight data`);
    consts.set(n.name, w);
  }
  const outputs = graphOutputs(model);
  const order = topoOrder(nodes, outputs);
  const table = handlers();
  const missing = [...new Set(order.map((n) => n.op).filter((op) => op !== 'Placeholder' && op !== 'Const' && !table[op]))];
  if (missing.length) throw new Error(`unsupported TF ops: ${missing.sort().join(', ')}`);

  const ctx = new ConvertContext(consts, nodes, opts.keepFloat16 ?? true);
  for (const ref of outputs) ctx.builder.reserve(ref);
  const inputs: GraphIo[] = [];
  const tfOps = new Map<string, number>();
  for (const node of order) {
    tfOps.set(node.op, (tfOps.get(node.op) ?? 0) + 1);
    if (node.op === 'Const') continue;
    if (node.op === 'Placeholder') {
      const dtype = node.attr?.dtype?.type === 'DT_INT32' ? 'int32' : 'float32';
      const dims = placeholderDims(node, opts.inputShapes?.[node.name]);
      const io: GraphIo = { name: node.name, elemType: onnxType(dtype), dims };
      ctx.builder.addInput(io);
      inputs.push(io);
      ctx.setValue(node.name, { name: node.name, dtype, shape: dims, layout: 'native' });
      continue;
    }
    try {
      ctx.setValue(node.name, table[node.op]!(node, ctx));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(msg.includes(node.name) ? msg : `${node.op} ${node.name}: ${msg}`);
    }
  }

  const outIos: GraphIo[] = outputs.map((ref) => {
    const v = ctx.toNative(ctx.value(ref));
    ctx.builder.addNamed('Identity', [v.name], ref);
    return { name: ref, elemType: onnxType(v.dtype), dims: v.shape };
  });
  const bytes = ctx.builder.encode({ outputs: outIos, graphName: opts.graphName ?? 'tfjs_graph', opset: DEFAULT_OPSET });
  return { bytes, inputs, outputs: outIos, tfOps: new Map([...tfOps].sort((a, b) => (a[0] < b[0] ? -1 : 1))), onnxOps: ctx.builder.opCounts() };
}
