// Graph rewrites applied to the upstream models before they are shipped.
import { onnx, type IModelProto, type GraphProto, type ModelProto, type TensorProto } from './onnx-io.js';

/**
 * Upstream node doc strings hold the exporting developer's local file paths (torch traces);
 * they add bytes and nothing a user needs.
 */
export function stripDocStrings(model: ModelProto): void {
  // null, not '': protobufjs writes an explicitly set empty string to the wire.
  (model as IModelProto).docString = null;
  const g = model.graph!;
  g.docString = null;
  for (const n of g.node ?? []) n.docString = null;
  for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) v.docString = null;
}

export function initializerByName(g: GraphProto, name: string): TensorProto | undefined {
  return (g.initializer ?? []).find((t) => t.name === name);
}

/** int64 values of an initializer, whichever of raw_data / int64_data holds them. */
export function readInt64s(t: TensorProto): number[] {
  if (t.rawData && t.rawData.length) {
    const raw = t.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  return (t.int64Data ?? []).map((v) => Number(v));
}

export function writeInt64s(t: TensorProto, values: number[]): void {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  t.rawData = raw;
  t.int64Data = [];
}

export interface BatchRewriteReport {
  /** Reshape nodes whose constant target shape pinned the batch to 1 and now copy it (0). */
  fixedReshapes: string[];
}

/**
 * Makes dim 0 of every graph input and output symbolic ('N'). A Reshape whose constant shape
 * starts with a literal 1 would silently fold a batch of N into one sample, so its first entry
 * becomes 0 ("copy the input's dim"), which is what the exporter meant.
 */
export function makeBatchDynamic(model: ModelProto): BatchRewriteReport {
  const g = model.graph!;
  for (const v of [...(g.input ?? []), ...(g.output ?? [])]) {
    const dim0 = v.type?.tensorType?.shape?.dim?.[0];
    if (!dim0) throw new Error(`graph value ${v.name} has no shape to make dynamic`);
    dim0.dimValue = null;
    dim0.dimParam = 'N';
  }
  // Stale fixed-batch shapes of intermediates would contradict the new inputs.
  g.valueInfo = [];
  const fixedReshapes: string[] = [];
  for (const n of g.node ?? []) {
    if (n.opType !== 'Reshape') continue;
    const shapeName = n.input?.[1];
    const t = shapeName ? initializerByName(g, shapeName) : undefined;
    if (!t) throw new Error(`Reshape ${n.name} has a computed shape; check it by hand before making the batch dynamic`);
    const users = (g.node ?? []).filter((m) => m.input?.includes(shapeName!));
    if (users.length !== 1) throw new Error(`shape constant ${shapeName} is shared by ${users.length} nodes`);
    const shape = readInt64s(t);
    if (shape[0] === 1) {
      writeInt64s(t, [0, ...shape.slice(1)]);
      fixedReshapes.push(`${n.name}: [${shape.join(',')}] -> [0,${shape.slice(1).join(',')}]`);
    }
  }
  return { fixedReshapes };
}

export function cloneModel(model: ModelProto): ModelProto {
  return onnx.ModelProto.decode(onnx.ModelProto.encode(model).finish());
}

/**
 * UltraFace decodes its box regressions against prior boxes that the exporter baked in as
 * constants for 320x240, which pins the input size. This cuts the graph before that decode:
 * outputs become `scores` (softmaxed, unchanged) and `rawBoxesName` (the regression heads'
 * concat, [1, priors, 4]), and the input's height and width become symbolic, so one call can
 * cover a whole pyramid level. The library decodes against priors it computes for the size
 * it ran (src/detectors/ultraface-priors.ts).
 */
export function cutBeforeBoxDecode(model: ModelProto, boxesName: string, rawBoxesName: string): void {
  const g = model.graph!;
  const nodes = g.node ?? [];
  const producer = new Map(nodes.flatMap((n) => (n.output ?? []).map((o) => [o, n] as const)));
  const ancestors = new Set<string>();
  const walk = (t: string) => {
    const n = producer.get(t);
    if (!n || ancestors.has(n.name!)) return;
    ancestors.add(n.name!);
    for (const i of n.input ?? []) walk(i);
  };
  walk(boxesName);
  // The heads' concat: the one Concat upstream of the boxes whose inputs are all Reshape outputs.
  const heads = nodes.filter(
    (n) => ancestors.has(n.name!) && n.opType === 'Concat' && (n.input ?? []).every((i) => producer.get(i)?.opType === 'Reshape'),
  );
  if (heads.length !== 1) throw new Error(`expected one regression-head Concat upstream of ${boxesName}, found ${heads.length}`);
  const headOut = heads[0]!.output![0]!;
  // Rename the concat's output so the graph output keeps a stable, readable name.
  heads[0]!.output![0] = rawBoxesName;
  for (const n of nodes) n.input = (n.input ?? []).map((i) => (i === headOut ? rawBoxesName : i));
  const outputs = g.output ?? [];
  const boxes = outputs.find((o) => o.name === boxesName);
  if (!boxes) throw new Error(`graph has no output ${boxesName}`);
  boxes.name = rawBoxesName;
  // Keep only the nodes the outputs need, and the initializers those nodes read.
  const needed = new Set(outputs.map((o) => o.name!));
  const kept: typeof nodes = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!(n.output ?? []).some((o) => needed.has(o))) continue;
    kept.unshift(n);
    for (const x of n.input ?? []) needed.add(x);
  }
  g.node = kept;
  g.initializer = (g.initializer ?? []).filter((t) => needed.has(t.name!));
  g.valueInfo = [];
  for (const o of outputs) {
    const d = o.type!.tensorType!.shape!.dim!;
    d[1]!.dimValue = null;
    d[1]!.dimParam = 'priors';
  }
  const dims = g.input![0]!.type!.tensorType!.shape!.dim!;
  for (const [i, name] of [[2, 'height'], [3, 'width']] as const) {
    dims[i]!.dimValue = null;
    dims[i]!.dimParam = name;
  }
}
