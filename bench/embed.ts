/**
 * Embed hot path: aligned faces -> embeddings, our Embedder against a bare onnxruntime-node
 * session fed the same pre-packed tensors (the floor), at batch 1/8/32 and 1/2 threads;
 * plus the pre-processing cost per face (alignment warp, tensor packing).
 *   npm run bench:embed [-- --quick] [--max-ratio 1.5]
 * Prints a markdown table, writes bench/results/embed.json; exits 1 when --max-ratio is given
 * and ours/raw exceeds it at batch 1 or batch 32.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeImage, Matcher, type RawImage } from '../src/node.js';
import { packTensor } from '../src/core/image.js';
import { findModel } from '../src/core/manifest.js';
import { alignToTemplate } from '../src/aligners/landmarks68.js';
import { OnnxEmbedder, onnxEmbedderSchema } from '../src/embedders/onnx-embedder.js';
import { defaultModelsDir } from '../src/platform/node-platform.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { nodeModelContext } from './lib/node-context.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median ms of `fn` over `reps` runs after `warm` warm-up runs. */
async function time(fn: () => Promise<unknown>, reps: number, warm = 3): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

async function alignedFixtures(n: number): Promise<{ faces: RawImage[]; source: RawImage; five: [number, number][] }> {
  const fixtures = join(defaultModelsDir(), '..', 'fixtures', 'demo');
  const m = await Matcher.create({ threshold: 0 });
  const base: RawImage[] = [];
  let source: RawImage | undefined;
  let five: [number, number][] = [];
  for (const f of ['astronaut.png', 'grace_hopper.jpg']) {
    const img = await decodeImage(join(fixtures, f), { maxPixels: 1e8, maxBytes: 1e8 });
    const [e] = await m.embed(img, { aligned: true });
    base.push(e!.aligned!);
    if (!source) {
      source = img;
      five = e!.face.landmarks;
    }
  }
  await m.dispose();
  return { faces: Array.from({ length: n }, (_, i) => base[i % base.length]!), source: source!, five };
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2));
  const quick = Boolean(flags['quick']);
  const maxRatio = flags['max-ratio'] ? Number(flags['max-ratio']) : 0;
  const precision = (flags['precision'] as string | undefined) ?? 'fp32';
  const batches = [1, 8, 32];
  const threadsList = quick ? [2] : [1, 2];
  const { faces, source, five } = await alignedFixtures(32);
  const rows: { threads: number; batch: number; rawMsPerFace: number; oursMsPerFace: number; ratio: number }[] = [];
  for (const threads of threadsList) {
    const ctx = await nodeModelContext(threads, precision);
    const entry = findModel(ctx.manifest, 'mobilefacenet', precision);
    const bytes = readFileSync(join(defaultModelsDir(), entry.file));
    const raw = await ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    for (const batch of batches) {
      // The default embedder, its embedding map included (the map is part of our hot path).
      const ours = await OnnxEmbedder.create(ctx, 'mobilefacenet', onnxEmbedderSchema.parse({ batchSize: batch }));
      const group = faces.slice(0, batch);
      const packed = packTensor(group, 'NCHW', 'RGB', entry.input.mean, entry.input.std);
      const feeds = { [entry.input.name]: new ort.Tensor('float32', packed, [batch, 3, 112, 112]) };
      const reps = quick ? Math.max(5, Math.round(40 / batch)) : Math.max(10, Math.round(200 / batch));
      // Interleave the two so drift in machine speed hits both alike.
      let rawMs = 0;
      let oursMs = 0;
      for (let round = 0; round < 3; round++) {
        rawMs += await time(() => raw.run(feeds), reps);
        oursMs += await time(() => ours.embed(group), reps);
      }
      rawMs /= 3 * batch;
      oursMs /= 3 * batch;
      rows.push({ threads, batch, rawMsPerFace: rawMs, oursMsPerFace: oursMs, ratio: oursMs / rawMs });
      await ours.dispose();
    }
    await raw.release();
  }
  // Pre-processing per face, in microseconds.
  const warpUs = (await time(async () => alignToTemplate(source, five, 112), quick ? 50 : 300)) * 1000;
  const e = findModel((await nodeModelContext(1)).manifest, 'mobilefacenet', precision);
  const packUs = (await time(async () => packTensor([faces[0]!], 'NCHW', 'RGB', e.input.mean, e.input.std), quick ? 50 : 300)) * 1000;

  console.log(`\nEmbed hot path, mobilefacenet@${precision}: ours (OnnxEmbedder: packing + run + L2) vs bare onnxruntime-node run on pre-packed tensors\n`);
  console.log('| threads | batch | raw ORT ms/face | ours ms/face | ours / raw |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.threads} | ${r.batch} | ${r.rawMsPerFace.toFixed(3)} | ${r.oursMsPerFace.toFixed(3)} | ${r.ratio.toFixed(3)} |`);
  console.log(`\nPre-processing per face: 5-point similarity warp to 112x112 ${warpUs.toFixed(0)} us, tensor packing ${packUs.toFixed(0)} us`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    quick ? 'bench/results/embed-quick.json' : 'bench/results/embed.json',
    JSON.stringify({ date: new Date().toISOString(), command: `npm run bench:embed -- ${process.argv.slice(2).join(' ')}`, machine: await machineInfo(), precision, rows, warpUs, packUs }, null, 2),
  );
  if (maxRatio) {
    const bad = rows.filter((r) => (r.batch === 1 || r.batch === 32) && r.ratio > maxRatio);
    if (bad.length) {
      console.error(`FAIL: ours/raw above ${maxRatio} at ${bad.map((r) => `batch ${r.batch}, ${r.threads} threads: ${r.ratio.toFixed(3)}`).join('; ')}`);
      process.exit(1);
    }
    console.log(`ok: ours/raw <= ${maxRatio} at batch 1 and 32`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
