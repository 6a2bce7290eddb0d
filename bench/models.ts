// Size and speed of every model variant in models/manifest.json: time per call (batch 1) with
// onnxruntime-node at 1 and 2 intra-op threads and onnxruntime-web's wasm backend (1 thread) in
// Node, plus what onnxruntime-node's optimiser makes of each graph (fused integer ops vs float ops
// left). Prints a markdown table and writes bench/results/models.json.
// Usage: npm run bench:models [-- --min-ms 2000] [-- --only mobilefacenet]
//
// The machine is shared: wall-clock medians move with other people's load, so single-threaded
// runners also report process CPU time per call, which load barely changes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { parseManifest, type ModelEntry } from '../src/core/manifest.js';
import { decodeModel } from '../scripts/models/onnx-io.js';

const ROOT = join(import.meta.dirname, '..');
const MODELS = join(ROOT, 'models');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const MIN_MS = Number(arg('--min-ms') ?? 2000);
const ONLY = arg('--only');
const ROUNDS = 5;

/**
 * onnxruntime keeps DequantizeLinear nodes out of constant folding so QDQ groups can fuse; for a
 * weight-only model that means dequantizing every weight on every call. This session config
 * switches QDQ handling off, so the weights are dequantized once at load.
 */
const FOLD_DQ = { session: { disable_quant_qdq: '1' } };

interface Variant {
  entry: ModelEntry;
  /** Row label: the manifest precision, plus '+fold' when loaded with FOLD_DQ. */
  label: string;
  extra?: Record<string, unknown>;
}

interface Runner {
  run(): Promise<void>;
  release(): Promise<void>;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function seededInput(entry: ModelEntry): { data: Float32Array; dims: number[] } {
  const dims = entry.input.shape.map((d) => (d < 0 ? 1 : d));
  const n = dims.reduce((a, b) => a * b, 1);
  // Values on the model's own input grid (what pixels give), so int8 inputs are not out of range.
  const data = Float32Array.from({ length: n }, (_, i) => ((((i * 2654435761) >>> 0) % 256) - entry.input.mean[0]!) / entry.input.std[0]!);
  return { data, dims };
}

/** Runners of one model timed in interleaved bursts, so a load change hits all of them alike. */
async function timeInterleaved(runners: Runner[]): Promise<Timing[]> {
  for (const r of runners) for (let i = 0; i < 5; i++) await r.run();
  const wall: number[][] = runners.map(() => []);
  const cpu = runners.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, r] of runners.entries()) {
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      let calls = 0;
      while (calls < 2 || performance.now() - start < MIN_MS / ROUNDS) {
        const t = performance.now();
        await r.run();
        wall[k]!.push(performance.now() - t);
        calls++;
      }
      const used = process.cpuUsage(cpu0);
      cpu[k] = cpu[k]! + (used.user + used.system) / 1000;
    }
  }
  return wall.map((t, k) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { wallMs: sorted[Math.floor(sorted.length / 2)]!, cpuMs: cpu[k]! / t.length };
  });
}

async function nodeRunner(v: Variant, threads: number, optimizedPath?: string): Promise<Runner> {
  const s = await ortNode.InferenceSession.create(join(MODELS, v.entry.file), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Saving the optimised graph warns that it holds CPU-specific ops; counting those is the point.
    logSeverityLevel: 3,
    ...(optimizedPath ? { optimizedModelFilePath: optimizedPath } : {}),
    ...(v.extra ? { extra: v.extra } : {}),
  });
  const { data, dims } = seededInput(v.entry);
  const feeds = { [v.entry.input.name]: new ortNode.Tensor('float32', data, dims) };
  return { run: async () => void (await s.run(feeds)), release: () => s.release() };
}

async function wasmRunner(v: Variant): Promise<Runner> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(MODELS, v.entry.file))), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    ...(v.extra ? { extra: v.extra } : {}),
  });
  const { data, dims } = seededInput(v.entry);
  const feeds = { [v.entry.input.name]: new ort.Tensor('float32', data, dims) };
  return { run: async () => void (await s.run(feeds)), release: () => s.release() };
}

/** Op counts of the graph onnxruntime-node actually runs after its optimisations. */
function opCounts(path: string): Record<string, number> {
  const g = decodeModel(readFileSync(path)).graph!;
  const counts: Record<string, number> = {};
  for (const n of g.node ?? []) counts[n.opType!] = (counts[n.opType!] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort());
}

const INTEGER_OPS = ['QLinearConv', 'QLinearAdd', 'QLinearConcat', 'QLinearMatMul', 'QGemm', 'QLinearMul', 'MatMulIntegerToFloat', 'ConvInteger', 'MatMulInteger'];
const FLOAT_COMPUTE = ['Conv', 'FusedConv', 'Gemm', 'FusedGemm', 'MatMul', 'Add', 'PRelu', 'Relu', 'BatchNormalization', 'Concat', 'Mul'];

interface Row {
  model: string;
  variant: string;
  file: string;
  bytes: number;
  node1T: Timing;
  node2T: Timing;
  wasm1T: Timing | null;
  wasmError?: string;
  optimizedOps: Record<string, number>;
  integerOps: number;
  floatComputeOps: number;
  quantizeOps: number;
}

const manifest = parseManifest(JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')));
const optDir = join(tmpdir(), `reunite-face-bench-models-${process.pid}`);
mkdirSync(optDir, { recursive: true });
const rows: Row[] = [];
for (const id of [...new Set(manifest.models.map((e) => e.id))].filter((x) => !ONLY || x === ONLY)) {
  const variants: Variant[] = [];
  for (const entry of manifest.models.filter((e) => e.id === id)) {
    variants.push({ entry, label: entry.precision });
    if (entry.precision === 'int8-weights') variants.push({ entry, label: 'int8-weights+fold', extra: FOLD_DQ });
  }
  const runners: Runner[] = [];
  const slots: Array<{ v: Variant; node1: number; node2: number; wasm: number | null; wasmError?: string; opt: string }> = [];
  for (const v of variants) {
    const opt = join(optDir, `${id}-${v.label}.opt.onnx`);
    runners.push(await nodeRunner(v, 1, opt));
    const node1 = runners.length - 1;
    runners.push(await nodeRunner(v, 2));
    const node2 = runners.length - 1;
    try {
      runners.push(await wasmRunner(v));
      slots.push({ v, node1, node2, wasm: runners.length - 1, opt });
    } catch (e) {
      slots.push({ v, node1, node2, wasm: null, wasmError: (e as Error).message, opt });
    }
  }
  const t = await timeInterleaved(runners);
  for (const r of runners) await r.release();
  for (const s of slots) {
    const ops = opCounts(s.opt);
    const sum = (names: string[]) => names.reduce((a, n) => a + (ops[n] ?? 0), 0);
    rows.push({
      model: id,
      variant: s.v.label,
      file: s.v.entry.file,
      bytes: s.v.entry.bytes,
      node1T: t[s.node1]!,
      node2T: t[s.node2]!,
      wasm1T: s.wasm === null ? null : t[s.wasm]!,
      ...(s.wasmError ? { wasmError: s.wasmError } : {}),
      optimizedOps: ops,
      integerOps: sum(INTEGER_OPS),
      floatComputeOps: sum(FLOAT_COMPUTE),
      quantizeOps: sum(['QuantizeLinear', 'DequantizeLinear']),
    });
  }
  console.error(`timed ${id}`);
}

const f = (x: number | undefined) => (x === undefined ? 'error' : x.toFixed(2));
console.log('| model | variant | file size | node 1T ms (cpu ms) | node 2T ms | wasm 1T ms (cpu ms) | int ops after fusion | float compute ops | Q/DQ ops left |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.model} | ${r.variant} | ${(r.bytes / 1024).toFixed(0)} KiB | ${f(r.node1T.wallMs)} (${f(r.node1T.cpuMs)}) | ${f(r.node2T.wallMs)} | ` +
      `${f(r.wasm1T?.wallMs)} (${f(r.wasm1T?.cpuMs)}) | ${r.integerOps} | ${r.floatComputeOps} | ${r.quantizeOps} |`,
  );
}
for (const r of rows) if (r.wasmError) console.log(`wasm error ${r.model}/${r.variant}: ${r.wasmError}`);
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
for (const r of rows) {
  const base = rows.find((x) => x.model === r.model && x.variant === 'fp32');
  if (!base || r === base) continue;
  console.log(
    `speed-up ${r.model}/${r.variant} over fp32: node 1T cpu ${ratio(base.node1T.cpuMs, r.node1T.cpuMs)} (wall ${ratio(base.node1T.wallMs, r.node1T.wallMs)}), ` +
      `node 2T wall ${ratio(base.node2T.wallMs, r.node2T.wallMs)}, wasm cpu ${ratio(base.wasm1T?.cpuMs, r.wasm1T?.cpuMs)}`,
  );
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(ROOT, 'bench', 'results', 'models.json'),
  `${JSON.stringify({ node: process.version, onnxruntime: ortNode.env.versions, minMs: MIN_MS, rounds: ROUNDS, rows }, null, 2)}\n`,
);
