/**
 * End to end per photo (decode + detect + align + embed) with a per-stage breakdown, for a
 * 250x250 LFW photo and a 1920x1080 photo; peers (@vladmandic/human, @vladmandic/face-api on
 * tfjs-wasm) on the same photos and the same LFW folds in the same run; enrollment throughput
 * of 1,000 photos with ORT intra-op threads vs worker threads.
 *   npm run bench:e2e [-- --quick] [--peers human,face-api|none] [--folds 1,2] [--pair-step 1] [--photos 50] [--enroll 1000]
 * Prints markdown tables, writes bench/results/e2e.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage, Matcher, cosine, defaultModelsDir } from '../src/node.js';
import { UltrafaceDetector, ultrafaceSchema } from '../src/detectors/ultraface.js';
import { Landmarks68Aligner } from '../src/aligners/landmarks68.js';
import { OnnxEmbedder } from '../src/embedders/onnx-embedder.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { oneMatcherRate, workerRecipeRate } from './lib/enroll-throughput.js';
import { facesRoot, hasSet } from './lib/datasets.js';
import { nodeModelContext } from './lib/node-context.js';
import { parseLfwPairs } from './lib/verification.js';
import { centralFace } from './lib/embed-set.js';
import { makeFullHdPhoto } from '../research/peers/image-tensor.js';
import { evaluatePairs, timeEmbeds, timingStats, type TimingStats } from '../research/peers/peer-bench.js';
import { createPeer, PEER_NAMES, type PeerName } from '../research/peers/peers.js';

const LIMITS = { maxPixels: 1e8, maxBytes: 1e8 };

async function stageBreakdown(inputs: (string | Uint8Array)[], threads: number) {
  const ctx = await nodeModelContext(threads);
  const det = await UltrafaceDetector.create(ctx, ultrafaceSchema.parse({}));
  const ali = await Landmarks68Aligner.create(ctx, {});
  const emb = await OnnxEmbedder.create(ctx, 'mobilefacenet', { batchSize: 32 });
  const t = { decode: [] as number[], detect: [] as number[], align: [] as number[], embed: [] as number[], total: [] as number[] };
  for (let i = 0; i < inputs.length + 2; i++) {
    const input = inputs[i % inputs.length]!;
    const t0 = performance.now();
    const img = await decodeImage(input, LIMITS);
    const t1 = performance.now();
    const faces = await det.detect(img);
    const t2 = performance.now();
    const aligned = [];
    for (const f of faces) aligned.push((await ali.align(img, f.box, 112)).aligned);
    const t3 = performance.now();
    if (aligned.length) await emb.embed(aligned);
    const t4 = performance.now();
    if (i < 2) continue; // warm-up
    t.decode.push(t1 - t0);
    t.detect.push(t2 - t1);
    t.align.push(t3 - t2);
    t.embed.push(t4 - t3);
    t.total.push(t4 - t0);
  }
  await Promise.all([det.dispose(), ali.dispose(), emb.dispose()]);
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, timingStats(v).medianMs])) as Record<keyof typeof t, number>;
}

/** Ours, shaped like a peer: the embedding of the face nearest the centre (datasets centre the subject). */
async function ours(threads: number) {
  const m = await Matcher.create({ threads, threshold: 0 });
  return {
    m,
    async embed(input: string | Uint8Array): Promise<Float32Array | null> {
      const img = await decodeImage(input, LIMITS);
      const faces = await m.embed(img, { crop: true });
      const f = faces[0]?.face.assumedCrop ? faces[0] : centralFace(faces, img.width, img.height);
      return f?.embedding ?? null;
    },
    similarity: cosine,
  };
}

/** Photos per second enrolling `files`: one matcher with 2 intra-op threads vs 2 workers with 1 thread each. */
async function throughput(files: string[]) {
  return { photos: files.length, intraOpThreads2: await oneMatcherRate(files), workers2x1: await workerRecipeRate(files) };
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2));
  const quick = Boolean(flags['quick']);
  const peerNames = flags['peers'] === 'none' ? [] : flags['peers'] ? (String(flags['peers']).split(',') as PeerName[]) : quick ? [] : [...PEER_NAMES];
  const folds = String(flags['folds'] ?? '1,2').split(',').map(Number);
  const nPhotos = Number(flags['photos'] ?? (quick ? 10 : 50));
  const nEnroll = Number(flags['enroll'] ?? (quick ? 60 : 1000));
  if (!hasSet('lfw')) throw new Error(`LFW not found under ${facesRoot()}`);
  const pairs = parseLfwPairs(join(facesRoot(), 'lfw'));
  const lfwPhotos = pairs.slice(0, nPhotos).map((p) => p.a);
  const fullHd = await makeFullHdPhoto(join(facesRoot(), 'public-domain', 'obama.jpg'));
  const fullHdRuns = Array.from({ length: quick ? 3 : 10 }, () => fullHd);

  const stages = { lfw250: await stageBreakdown(lfwPhotos, 0), fullHd: await stageBreakdown(fullHdRuns, 0) };

  // --pair-step N keeps every Nth pair of the chosen folds (same pairs for every library).
  const step = Number(flags['pair-step'] ?? (quick ? 10 : 1));
  const evalPairs = pairs.filter((p) => folds.includes(p.fold)).filter((_, i) => i % step === 0);
  const rows: { name: string; backend: string; lfwMs: TimingStats; fullHdMs: TimingStats; accuracy: number; auc: number; failedPairs: number }[] = [];
  const us = await ours(0);
  {
    await us.embed(fullHd);
    const lfw = await timeEmbeds(us, lfwPhotos);
    const big = await timeEmbeds(us, fullHdRuns);
    const ev = await evaluatePairs(us, evalPairs);
    rows.push({ name: 'reunite-face', backend: 'onnxruntime-node (CPU)', lfwMs: lfw.stats, fullHdMs: big.stats, accuracy: ev.crossValidation.accuracy, auc: ev.auc, failedPairs: ev.failedPairs });
  }
  await us.m.dispose();
  for (const name of peerNames) {
    const peer = await createPeer(name);
    try {
      await peer.embed(fullHd);
      const lfw = await timeEmbeds(peer, lfwPhotos);
      const big = await timeEmbeds(peer, fullHdRuns);
      const ev = await evaluatePairs(peer, evalPairs, { onProgress: (d, t) => d % 200 === 0 && process.stderr.write(`\r${name} ${d}/${t}`) });
      process.stderr.write('\n');
      rows.push({ name, backend: peer.backend, lfwMs: lfw.stats, fullHdMs: big.stats, accuracy: ev.crossValidation.accuracy, auc: ev.auc, failedPairs: ev.failedPairs });
    } finally {
      peer.dispose();
    }
  }
  const enrollFiles = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].slice(0, nEnroll);
  const tp = await throughput(enrollFiles);

  const f = (x: number) => x.toFixed(1);
  console.log('\nPer-stage time per photo (ms, median), reunite-face, ORT default threads\n');
  console.log('| photo | decode | detect | align | embed | total |\n|---|---|---|---|---|---|');
  for (const [k, s] of Object.entries(stages)) console.log(`| ${k === 'lfw250' ? 'LFW 250x250' : '1920x1080'} | ${f(s.decode)} | ${f(s.detect)} | ${f(s.align)} | ${f(s.embed)} | ${f(s.total)} |`);
  const base = rows[0]!;
  console.log(`\nSame photos, same run. LFW accuracy on folds ${folds.join(',')} (${evalPairs.length} pairs, ${folds.length}-fold CV)\n`);
  console.log('| library | backend | ms/photo 250x250 | x ours | ms/photo 1920x1080 | x ours | LFW accuracy | AUC | failed pairs |\n|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.backend} | ${f(r.lfwMs.medianMs)} | ${(r.lfwMs.medianMs / base.lfwMs.medianMs).toFixed(1)} | ${f(r.fullHdMs.medianMs)} | ${(r.fullHdMs.medianMs / base.fullHdMs.medianMs).toFixed(1)} | ${(100 * r.accuracy).toFixed(2)}% | ${r.auc.toFixed(4)} | ${r.failedPairs} |`,
    );
  }
  console.log(`\nEnrolling ${tp.photos} LFW photos: ${f(tp.intraOpThreads2)} photos/s with one matcher (2 ORT threads), ${f(tp.workers2x1)} photos/s with 2 worker threads x 1 ORT thread`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    quick ? 'bench/results/e2e-quick.json' : 'bench/results/e2e.json',
    JSON.stringify(
      { date: new Date().toISOString(), command: `npm run bench:e2e -- ${process.argv.slice(2).join(' ')}`, machine: await machineInfo(), models: defaultModelsDir(), stages, folds, pairs: evalPairs.length, rows: rows.map((r) => ({ ...r, lfwMs: { ...r.lfwMs, samplesMs: undefined }, fullHdMs: { ...r.fullHdMs, samplesMs: undefined } })), throughput: tp },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
