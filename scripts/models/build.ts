// Builds models/ from the upstream ONNX files: fp32 copies (doc strings stripped, embedder batch made
// dynamic), int8 variants from the committed calibration ranges, the manifest, and checks.
// Output is a pure function of the inputs: run it twice, get the same bytes.
// Usage: npm run models:build [-- --skip-checks] [-- --calibrate]
//   --calibrate  re-measure activation ranges on the research face sets (../shared/data/faces)
//                and rewrite models/calibration/<id>.json; needs the photos, normal builds do not.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestSchema, type Manifest, type ModelEntry } from '../../src/core/manifest.js';
import type { CalibratedRange, CalibrationFile } from './calibrate.js';
import { updateCard } from './cards.js';
import { cloneModel, cutBeforeBoxDecode, makeBatchDynamic, stripDocStrings } from './graph-edit.js';
import { decodeModel, encodeModel, type ModelProto } from './onnx-io.js';
import { batchVsSingleMaxDiff, cutDecodeMaxDiff, modelsMaxDiff } from './ort-check.js';
import { quantizeQdq, quantizeWeightsOnly } from './quantize.js';
import { SOURCE_MODELS, SOURCE_PACKAGE, type SourceModelSpec } from './specs.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MODELS_DIR = join(ROOT, 'models');
const CALIBRATION_DIR = join(MODELS_DIR, 'calibration');
const SOURCE_DIR = join(ROOT, 'node_modules', SOURCE_PACKAGE);

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function entryFor(spec: SourceModelSpec, version: string, precision: ModelEntry['precision'], file: string, bytes: Uint8Array, shipped: boolean): ModelEntry {
  return {
    id: spec.id,
    task: spec.task,
    precision,
    file,
    sha256: sha256(bytes),
    bytes: bytes.byteLength,
    input: spec.input,
    outputs: spec.outputs,
    ...(spec.dim ? { dim: spec.dim } : {}),
    source: { package: SOURCE_PACKAGE, version, file: `model/${spec.sourceFile}`, license: 'MIT' },
    shipped,
    card: `cards/${spec.id}.md`,
  };
}

function writeManifest(entries: ModelEntry[]): Manifest {
  const manifest: Manifest = ManifestSchema.parse({ formatVersion: 1, models: entries });
  writeFileSync(join(MODELS_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

interface Built {
  spec: SourceModelSpec;
  model: ModelProto;
  bytes: Uint8Array;
  /** The graph the activation ranges were measured on (before cutBeforeBoxDecode, which only drops the decode tail). */
  calibratedBytes: Uint8Array;
}

async function buildFp32(spec: SourceModelSpec, checks: boolean): Promise<Built> {
  const originalBytes = readFileSync(join(SOURCE_DIR, 'model', spec.sourceFile));
  const model = cloneModel(decodeModel(originalBytes));
  stripDocStrings(model);
  if (spec.dynamicBatch) {
    const report = makeBatchDynamic(model);
    console.log(`${spec.id}: batch made dynamic; fixed Reshapes: ${report.fixedReshapes.join('; ') || 'none'}`);
  }
  const calibratedBytes = encodeModel(model);
  if (spec.cutBoxDecode) cutBeforeBoxDecode(model, spec.cutBoxDecode.boxes, spec.cutBoxDecode.loc);
  const bytes = encodeModel(model);
  if (checks) {
    const diff = await modelsMaxDiff(originalBytes, bytes, spec.input.name, [1, ...spec.input.shape.slice(1)]);
    console.log(`${spec.id}: fp32 vs upstream file, batch 1: max abs diff ${diff.toExponential(3)}`);
    // With symbolic height and width, onnxruntime picks other kernels for some nodes: the last float bit may move.
    if (diff > (spec.cutBoxDecode ? 1e-6 : 0)) throw new Error(`${spec.id}: rewritten graph changed the outputs`);
    if (spec.cutBoxDecode) {
      const boxDiff = await cutDecodeMaxDiff(originalBytes, bytes, spec.input.name, spec.input.shape[2]!, spec.input.shape[3]!, spec.cutBoxDecode);
      console.log(`${spec.id}: boxes decoded by the library vs the upstream graph's decode: max abs diff ${boxDiff.toExponential(3)}`);
      if (boxDiff > 1e-5) throw new Error(`${spec.id}: library box decode differs from the upstream graph by ${boxDiff}`);
    }
  }
  return { spec, model, bytes, calibratedBytes };
}

async function checkBatch(id: string, spec: SourceModelSpec, bytes: Uint8Array, tolerance: number): Promise<void> {
  for (const batch of [8, 32]) {
    const diff = await batchVsSingleMaxDiff(bytes, spec.input.name, spec.input.shape.slice(1), batch);
    console.log(`${id}: batch ${batch} vs ${batch} single runs: max abs diff ${diff.toExponential(3)}`);
    if (diff > tolerance) throw new Error(`${id}: batched output differs from single runs by ${diff}`);
  }
}

async function recalibrate(built: Built[]): Promise<void> {
  // Loaded only here: the photo-reading pipeline is not needed for a normal build.
  const data = await import('./calibration-data.js');
  const { calibrate } = await import('./calibrate.js');
  mkdirSync(CALIBRATION_DIR, { recursive: true });
  const matcher = await data.fp32Matcher(MODELS_DIR);
  try {
    for (const b of built) {
      const set = data.pickImages(b.spec.calibration.lfw, b.spec.calibration.lagDev, 'calibration');
      const samples =
        b.spec.task === 'detector' ? await data.detectorSamples(set.paths, b.spec.input)
        : b.spec.task === 'landmarks' ? await data.landmarkSamples(matcher, set.paths, b.spec.input)
        : await data.embedderSamples(matcher, set.paths, b.spec.input);
      const t0 = Date.now();
      const tensors = await calibrate(b.model, b.spec.input.name, samples);
      const file: CalibrationFile = {
        id: b.spec.id,
        fp32Sha256: sha256(b.calibratedBytes),
        samples: samples.length,
        data: `${set.description}; inputs prepared as the fp32 pipeline prepares them for this model`,
        tensors,
      };
      writeFileSync(join(CALIBRATION_DIR, `${b.spec.id}.json`), `${JSON.stringify(file, null, 1)}\n`);
      console.log(`${b.spec.id}: calibrated ${Object.keys(tensors).length} tensors on ${samples.length} inputs in ${Date.now() - t0} ms`);
    }
  } finally {
    await matcher.dispose();
  }
}

function readCalibration(b: Built): CalibrationFile {
  const path = join(CALIBRATION_DIR, `${b.spec.id}.json`);
  if (!existsSync(path)) throw new Error(`${path} missing: run npm run models:build -- --calibrate`);
  const cal = JSON.parse(readFileSync(path, 'utf8')) as CalibrationFile;
  if (cal.fp32Sha256 !== sha256(b.calibratedBytes)) {
    throw new Error(`${path} was measured on another fp32 model; run npm run models:build -- --calibrate`);
  }
  return cal;
}

async function main(): Promise<void> {
  const checks = !process.argv.includes('--skip-checks');
  const pkg = JSON.parse(readFileSync(join(SOURCE_DIR, 'package.json'), 'utf8')) as { version: string; license: string };
  if (pkg.license !== 'MIT') throw new Error(`${SOURCE_PACKAGE} licence changed to ${pkg.license}; review before shipping`);
  mkdirSync(MODELS_DIR, { recursive: true });

  const built: Built[] = [];
  const entries: ModelEntry[] = [];
  for (const spec of SOURCE_MODELS) {
    const b = await buildFp32(spec, checks);
    const file = `${spec.id}-fp32.onnx`;
    writeFileSync(join(MODELS_DIR, file), b.bytes);
    entries.push(entryFor(spec, pkg.version, 'fp32', file, b.bytes, true));
    console.log(`${file}: ${b.bytes.byteLength} bytes sha256 ${sha256(b.bytes)}`);
    if (spec.dynamicBatch && checks) await checkBatch(`${spec.id}/fp32`, spec, b.bytes, 1e-4);
    built.push(b);
  }

  if (process.argv.includes('--calibrate')) {
    // The calibration pipeline loads the fp32 models through the manifest.
    writeManifest(entries);
    await recalibrate(built);
  }

  for (const b of built) {
    const { spec } = b;
    const weightsOnly = cloneModel(b.model);
    const wr = quantizeWeightsOnly(weightsOnly);
    const cal = readCalibration(b);
    const qdqModel = cloneModel(b.model);
    const pick = (r: CalibratedRange) =>
      spec.rangeMethod === 'minmax' ? { min: r.min, max: r.max }
      : spec.rangeMethod === 'percentile' ? { min: r.p0001, max: r.p9999 }
      : { min: r.mseMin, max: r.mseMax };
    // The input's range is known exactly from the pixel range 0..255; with mean 127, std 128 it maps to
    // scale 1/128, zero point 127, so uint8 holds every pixel value without loss.
    const inputRange = {
      min: Math.min(...spec.input.mean.map((m, c) => (0 - m) / spec.input.std[c]!)),
      max: Math.max(...spec.input.mean.map((m, c) => (255 - m) / spec.input.std[c]!)),
    };
    const range = (t: string) => (t === spec.input.name ? inputRange : cal.tensors[t] ? pick(cal.tensors[t]!) : undefined);
    const qr = quantizeQdq(qdqModel, range, { floatOutputs: spec.floatOutputs });
    console.log(`${spec.id}: int8-weights quantized ${wr.quantized.length} weights; int8 QDQ: ${qr.quantizedNodes.length} quantized nodes, ${qr.qdqTensors} Q/DQ pairs, ${qr.foldedRelus} ReLUs folded into Q`);
    for (const [precision, model] of [['int8-weights', weightsOnly], ['int8', qdqModel]] as const) {
      const bytes = encodeModel(model);
      const file = `${spec.id}-${precision}.onnx`;
      writeFileSync(join(MODELS_DIR, file), bytes);
      entries.push(entryFor(spec, pkg.version, precision, file, bytes, false));
      console.log(`${file}: ${bytes.byteLength} bytes sha256 ${sha256(bytes)}`);
      if (checks) {
        const diff = await modelsMaxDiff(b.bytes, bytes, spec.input.name, [1, ...spec.input.shape.slice(1)]);
        console.log(`${spec.id}/${precision}: vs fp32 on a seeded noise input: max abs diff ${diff.toExponential(3)} (real-face agreement: scripts/models/compare-variants.ts)`);
        if (spec.dynamicBatch) await checkBatch(`${spec.id}/${precision}`, spec, bytes, 1e-4);
      }
    }
  }

  const manifest = writeManifest(entries);
  console.log(`models/manifest.json: ${entries.length} entries`);
  for (const spec of SOURCE_MODELS) {
    const mine = manifest.models.filter((m) => m.id === spec.id);
    updateCard(MODELS_DIR, mine[0]!.card!, mine);
  }
}

await main();
