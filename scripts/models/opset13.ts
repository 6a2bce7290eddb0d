// Moves an opset-9 graph to opset 13, the first opset whose DequantizeLinear takes a per-channel
// `axis`. Only the operators whose signature changed between 9 and 13 and that our models use are
// handled; any other changed operator stops the build rather than being run with new semantics.
import { type GraphProto, type ModelProto, type NodeProto } from './onnx-io.js';
import { Initializers, int64Tensor } from './tensors.js';

const UNCHANGED_9_TO_13 = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Exp', 'Relu', 'PRelu', 'Conv', 'Gemm', 'MatMul', 'Concat', 'Constant', 'Gather',
  'Reshape', 'Shape', 'Transpose', 'Flatten', 'BatchNormalization', 'Sigmoid',
]);

function attr(n: NodeProto, name: string) {
  return (n.attribute ?? []).find((a) => a.name === name);
}

/** As bigint: Slice ends are often INT64_MAX, which a JS number cannot hold. */
function ints(n: NodeProto, name: string): bigint[] | undefined {
  const a = attr(n, name);
  return a ? (a.ints ?? []).map((v) => BigInt(v.toString())) : undefined;
}

function dropAttrs(n: NodeProto, names: string[]): void {
  n.attribute = (n.attribute ?? []).filter((a) => !names.includes(a.name!));
}

export function upgradeToOpset13(model: ModelProto): void {
  const opset = (model.opsetImport ?? []).find((o) => !o.domain);
  if (!opset) throw new Error('model has no default-domain opset');
  if (Number(opset.version) === 13) return;
  if (Number(opset.version) !== 9) throw new Error(`only opset 9 graphs are upgraded, got ${opset.version}`);
  const g: GraphProto = model.graph!;
  const inits = new Initializers(g);
  for (const n of g.node ?? []) {
    const op = n.opType!;
    if (op === 'Unsqueeze') {
      // axes moved from an attribute to a second input in opset 13.
      const axes = ints(n, 'axes')!;
      const name = `${n.name}_axes`;
      inits.add(int64Tensor(name, axes));
      n.input = [n.input![0]!, name];
      dropAttrs(n, ['axes']);
    } else if (op === 'Slice') {
      // starts/ends/axes moved to inputs in opset 10.
      const starts = ints(n, 'starts')!;
      const ends = ints(n, 'ends')!;
      const axes = ints(n, 'axes') ?? starts.map((_, i) => BigInt(i));
      for (const [k, v] of [['starts', starts], ['ends', ends], ['axes', axes]] as const) inits.add(int64Tensor(`${n.name}_${k}`, v));
      n.input = [n.input![0]!, `${n.name}_starts`, `${n.name}_ends`, `${n.name}_axes`];
      dropAttrs(n, ['starts', 'ends', 'axes']);
    } else if (op === 'Softmax') {
      // Before 13 Softmax normalised over all dims from `axis` on; from 13 over `axis` alone.
      // Both agree only when axis is the last dim, which the caller's graph must guarantee.
      const a = attr(n, 'axis');
      const axis = a ? Number(a.i) : 1;
      const out = (g.output ?? []).find((o) => o.name === n.output![0]);
      const rank = out?.type?.tensorType?.shape?.dim?.length;
      if (!(axis === -1 || (rank !== undefined && axis === rank - 1))) {
        throw new Error(`Softmax ${n.name}: axis ${axis} is not provably the last dim; cannot keep its meaning in opset 13`);
      }
    } else if (!UNCHANGED_9_TO_13.has(op)) {
      throw new Error(`operator ${op} (${n.name}) is not known to keep its meaning from opset 9 to 13`);
    }
  }
  opset.version = 13;
  // Opset 13 needs IR version 7.
  if (Number(model.irVersion) < 7) model.irVersion = 7;
}
