// How far each int8 variant's outputs drift from fp32 on held-out real faces (other people than
// the calibration set). Needs ../shared/data/faces. Usage: npx tsx scripts/models/compare-variants.ts
// Prints one line per variant and writes bench/results/model-variants.json.
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseManifest } from '../../src/core/manifest.js';
import { decodeFaces } from '../../src/detectors/ultraface-priors.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { detectorSamples, embedderSamples, fp32Matcher, landmarkSamples, pickImages, type Sample } from './calibration-data.js';

const MODELS = join(import.meta.dirname, '..', '..', 'models');

async function runAll(file: string, inputName: string, samples: Sample[]): Promise<Record<string, Float32Array>[]> {
  const s = await ort.InferenceSession.create(join(MODELS, file), { intraOpNumThreads: 2 });
  const out: Record<string, Float32Array>[] = [];
  for (const x of samples) {
    const r = await s.run({ [inputName]: new ort.Tensor('float32', x.data, x.dims) });
    out.push(Object.fromEntries(s.outputNames.map((n) => [n, r[n]!.data as Float32Array])));
  }
  await s.release();
  return out;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

function stats(v: number[]): string {
  const s = [...v].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `mean ${mean.toFixed(4)} min ${s[0]!.toFixed(4)} p5 ${s[Math.floor(s.length * 0.05)]!.toFixed(4)} max ${s[s.length - 1]!.toFixed(4)}`;
}

function bestBox(o: Record<string, Float32Array>, width: number, height: number): { score: number; box: number[] } {
  const sc = o['scores']!;
  let best = 0;
  for (let i = 1; i < sc.length / 2; i++) if (sc[i * 2 + 1]! > sc[best * 2 + 1]!) best = i;
  const only = new Float32Array(sc.length);
  only[best * 2 + 1] = 1;
  let box: number[] = [];
  decodeFaces(only, o['loc']!, width, height, 1, (_s, x1, y1, x2, y2) => (box = [x1 / width, y1 / height, x2 / width, y2 / height]));
  return { score: sc[best * 2 + 1]!, box };
}

function iou(a: number[], b: number[]): number {
  const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  return inter / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter);
}

const manifest = parseManifest(JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')));
const set = pickImages(100, 60, 'holdout');
console.log(`held-out set: ${set.description}`);
const m = await fp32Matcher(MODELS);
const results: Record<string, unknown> = {};
for (const id of ['ultraface', 'landmarks68', 'mobilefacenet']) {
  const variants = manifest.models.filter((e) => e.id === id);
  const fp32 = variants.find((e) => e.precision === 'fp32')!;
  const samples =
    fp32.task === 'detector' ? await detectorSamples(set.paths, fp32.input)
    : fp32.task === 'landmarks' ? await landmarkSamples(m, set.paths, fp32.input)
    : await embedderSamples(m, set.paths, fp32.input);
  const ref = await runAll(fp32.file, fp32.input.name, samples);
  for (const v of variants.filter((e) => e.precision !== 'fp32')) {
    const got = await runAll(v.file, v.input.name, samples);
    let line: string;
    if (v.task === 'embedder') {
      const c = ref.map((r, i) => cosine(r['output']!, got[i]!['output']!));
      line = `cosine(fp32, ${v.precision}): ${stats(c)}`;
    } else if (v.task === 'detector') {
      const [h, w] = [v.input.shape[2]!, v.input.shape[3]!];
      const ious = ref.map((r, i) => iou(bestBox(r, w, h).box, bestBox(got[i]!, w, h).box));
      const ds = ref.map((r, i) => Math.abs(bestBox(r, w, h).score - bestBox(got[i]!, w, h).score));
      line = `best-box IoU vs fp32: ${stats(ious)}; |best score diff|: ${stats(ds)}`;
    } else {
      // Landmark outputs are crop-relative; x64 gives pixels of the 64x64 crop.
      const px = ref.map((r, i) => {
        const a = r['output']!, b = got[i]!['output']!;
        let s = 0;
        for (let k = 0; k < a.length; k += 2) s += Math.hypot(a[k]! - b[k]!, a[k + 1]! - b[k + 1]!);
        return (s / (a.length / 2)) * 64;
      });
      line = `mean point shift vs fp32 (px in the 64x64 crop): ${stats(px)}`;
    }
    console.log(`${id}/${v.precision}: ${line}`);
    results[`${id}/${v.precision}`] = line;
  }
}
await m.dispose();
mkdirSync(join(MODELS, '..', 'bench', 'results'), { recursive: true });
writeFileSync(
  join(MODELS, '..', 'bench', 'results', 'model-variants.json'),
  `${JSON.stringify({ heldOut: set.description, manifestSha: manifest.models.map((e) => `${e.file} ${e.sha256}`), results }, null, 2)}\n`,
);
