// `npx tsx research/tfjs2onnx/check.ts MODEL [MODEL...] [--n 50]`
// Converts MODEL, then runs TF.js (CPU backend) and onnxruntime-node on real LFW faces and reports
// how far the raw outputs (and, for embedders, the L2-normalised embeddings) drift apart.
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { HUMAN_MODELS_DIR } from './paths.js';
import { convertGraphModel } from './convert.js';
import { loadGraphModel } from './graph-model.js';
import { loadReference } from './tfjs-reference.js';

const LFW_DIR = resolve('../shared/data/faces/lfw');
const RESULTS = resolve('bench/results/tfjs2onnx-check.json');

/** Which output of each embedder is the face embedding; detectors have none. */
const EMBEDDING_OUTPUT: Record<string, string> = {
  mobilefacenet: 'embeddings',
  faceres: 'global_pooling/Mean',
  'faceres-deep': 'global_pooling/Mean',
  mobileface: 'batchnorm0/add_1',
};

export interface CheckResult {
  model: string;
  faces: number;
  input: string;
  convertMs: number;
  outputs: Array<{ name: string; size: number; maxAbsDiff: number; maxAbsRef: number }>;
  embedding?: { output: string; maxAbsDiffNormalised: number; minCosine: number };
  meanMsTfjs: number;
  meanMsOrt: number;
}

/** The first photo of every k-th LFW person (sorted), so the sample spans the alphabet deterministically. */
async function pickFaces(n: number): Promise<string[]> {
  const people = (await readdir(LFW_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const step = Math.max(1, Math.floor(people.length / n));
  const out: string[] = [];
  for (let i = 0; i < people.length && out.length < n; i += step) {
    const files = (await readdir(join(LFW_DIR, people[i]!))).filter((f) => f.endsWith('.jpg')).sort();
    if (files[0]) out.push(join(LFW_DIR, people[i]!, files[0]));
  }
  return out;
}

/** LFW faces sit in the middle ~150 px of the 250 px frame; embedders get that crop, detectors the frame. */
async function loadInput(path: string, size: number, crop: boolean): Promise<Float32Array> {
  let img = sharp(await readFile(path)).removeAlpha().toColourspace('srgb');
  if (crop) img = img.extract({ left: 50, top: 50, width: 150, height: 150 });
  const { data } = await img.resize(size, size, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(size * size * 3);
  for (let i = 0; i < out.length; i++) out[i] = data[i]! / 255;
  return out;
}

function l2(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s || 1);
  return v.map((x) => x * inv);
}

export async function checkModel(model: string, n: number): Promise<CheckResult> {
  const loaded = await loadGraphModel(join(HUMAN_MODELS_DIR, `${model}.json`));
  const t0 = performance.now();
  const converted = convertGraphModel(loaded, { graphName: model });
  const convertMs = performance.now() - t0;
  const input = converted.inputs[0]!;
  if (converted.inputs.length !== 1) throw new Error(`${model}: expected one input`);
  const [, h, w, c] = input.dims!;
  if (typeof h !== 'number' || h !== w || c !== 3) throw new Error(`${model}: input ${JSON.stringify(input.dims)} is not square RGB`);
  const outNames = converted.outputs.map((o) => o.name);

  const ref = await loadReference(loaded.json, loaded.weightData, outNames);
  const session = await ort.InferenceSession.create(converted.bytes, { executionMode: 'sequential', intraOpNumThreads: 1 });
  const embName = EMBEDDING_OUTPUT[model];
  const embIdx = embName ? outNames.indexOf(embName) : -1;
  const stats = outNames.map((name) => ({ name, size: 0, maxAbsDiff: 0, maxAbsRef: 0 }));
  let embDiff = 0;
  let minCos = 1;
  let msTf = 0;
  let msOrt = 0;
  const faces = await pickFaces(n);
  for (const path of faces) {
    const x = await loadInput(path, h, embIdx >= 0);
    let t = performance.now();
    const tfOut = await ref.run(x, [1, h, h, 3]);
    msTf += performance.now() - t;
    t = performance.now();
    const res = await session.run({ [input.name]: new ort.Tensor('float32', x, [1, h, h, 3]) });
    msOrt += performance.now() - t;
    outNames.forEach((name, k) => {
      const a = tfOut[k]!;
      const b = res[name]!.data as Float32Array;
      if (a.length !== b.length) throw new Error(`${model}/${name}: TF.js gave ${a.length} values, ONNX ${b.length}`);
      const s = stats[k]!;
      s.size = a.length;
      for (let i = 0; i < a.length; i++) {
        s.maxAbsDiff = Math.max(s.maxAbsDiff, Math.abs(a[i]! - b[i]!));
        s.maxAbsRef = Math.max(s.maxAbsRef, Math.abs(a[i]!));
      }
    });
    if (embIdx >= 0) {
      const ea = l2(tfOut[embIdx]!);
      const eb = l2(res[embName!]!.data as Float32Array);
      let cos = 0;
      for (let i = 0; i < ea.length; i++) {
        embDiff = Math.max(embDiff, Math.abs(ea[i]! - eb[i]!));
        cos += ea[i]! * eb[i]!;
      }
      minCos = Math.min(minCos, cos);
    }
  }
  ref.dispose();
  await session.release();
  return {
    model,
    faces: faces.length,
    input: `${input.name} ${JSON.stringify(input.dims)}`,
    convertMs: Math.round(convertMs),
    outputs: stats,
    embedding: embIdx >= 0 ? { output: embName!, maxAbsDiffNormalised: embDiff, minCosine: minCos } : undefined,
    meanMsTfjs: msTf / faces.length,
    meanMsOrt: msOrt / faces.length,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const nIdx = args.indexOf('--n');
  const n = nIdx >= 0 ? Number(args[nIdx + 1]) : 50;
  const models = args.filter((a, i) => !a.startsWith('--') && (nIdx < 0 || i !== nIdx + 1));
  if (models.length === 0) throw new Error('usage: check.ts MODEL [MODEL...] [--n 50]');
  let previous: CheckResult[] = [];
  try {
    previous = JSON.parse(await readFile(RESULTS, 'utf8')) as CheckResult[];
  } catch {
    previous = [];
  }
  const results: CheckResult[] = [];
  for (const m of models) results.push(await checkModel(m, n));

  console.log('| model | faces | output | max abs diff | max abs ref | diff / ref | L2-emb max abs diff | min cosine | TF.js ms | ORT ms | convert ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const o of r.outputs) {
      const emb = r.embedding?.output === o.name ? r.embedding : undefined;
      console.log(
        `| ${r.model} | ${r.faces} | ${o.name} [${o.size}] | ${o.maxAbsDiff.toExponential(2)} | ${o.maxAbsRef.toExponential(2)} | ${(o.maxAbsDiff / o.maxAbsRef).toExponential(2)} | ${emb ? emb.maxAbsDiffNormalised.toExponential(2) : ''} | ${emb ? emb.minCosine.toFixed(7) : ''} | ${r.meanMsTfjs.toFixed(1)} | ${r.meanMsOrt.toFixed(1)} | ${r.convertMs} |`,
      );
    }
  }
  const merged = [...previous.filter((p) => !results.some((r) => r.model === p.model)), ...results];
  await mkdir(resolve('bench/results'), { recursive: true });
  await writeFile(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`\nwrote ${RESULTS}`);
}

await main();
