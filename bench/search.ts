/**
 * Search speed, memory and recall of the in-process indexes.
 *   npm run bench:search -- [--sizes 10000,100000] [--quick] [--queries 1000] [--ef 32,64,256] [--real]
 *   [--data face-like,uniform]
 * Data (d=512):
 *  - face-like: unit vectors with the geometry of face embeddings: they span a 64-dim subspace
 *    (impostor cosines spread ~0.12, as real embedders show, not 0.044 like iid noise) and come
 *    in identities of ~3 templates at cosine ~0.6; queries are new photos of enrolled identities.
 *  - uniform: iid uniform unit vectors and queries, the worst case for approximate search
 *    (no neighbour is much nearer than the rest); reported so nobody extrapolates from it.
 *  - lfw (also --real): drawn from a two-covariance model fitted to the real MobileFaceNet
 *    embeddings of LFW's 7,701 photos (bench/lib/embedding-model.ts; needs the accuracy
 *    benchmark's cache). The run prints real vs sampled cosine statistics as a fit check.
 * --lock NOTE records how the machine was shared during the run (e.g. "exclusive").
 * --no-int8 leaves out the int8 flat index. --out NAME writes bench/results/NAME.json instead (so a 1M run does not replace the default one).
 * Recall@10 is measured against exact float32 search. One thread; prints a markdown table and
 * writes bench/results/search.json.
 * Flat indexes: this code (WebAssembly SIMD scans) and today's code (BASELINE_REV, scalar JS
 * scans, bench/lib/code-under-test.ts) in the same run, today's on the first --baseline-queries
 * queries (default 50); each with its effective bandwidth (vector bytes scanned per second)
 * beside this machine's streaming read bandwidth, measured first by a WebAssembly SIMD
 * reader over 1 GiB (src/indexes/vector-store.ts streamingBandwidth). --no-hnsw skips the graph.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadavg } from 'node:os';
import { FlatIndex } from '../src/indexes/flat.js';
import { streamingBandwidth } from '../src/indexes/vector-store.js';
import { extractRevision, loadCode, BASELINE_REV, type CodeUnderTest } from './lib/code-under-test.js';
import { defaultEfSearch, HnswIndex } from '../src/indexes/hnsw.js';
import type { Index, IndexEntry } from '../src/indexes/index.js';
import { gaussian, seededRandom, unitVector } from '../test/indexes/random.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { cosineStats, type EmbeddingModel, fitEmbeddingModel, type LabelledEmbeddings, sampleEmbeddings } from './lib/embedding-model.js';

interface FitCheck {
  real: ReturnType<typeof cosineStats>;
  sampled: ReturnType<typeof cosineStats>;
}

interface Row {
  data: string;
  index: string;
  n: number;
  dim: number;
  buildSeconds: number;
  /** Bytes of the index's vector/graph arrays (hnsw: estimate from hnswlib's layout). */
  indexBytes: number;
  /** Resident set growth while building, after GC (includes ids, metadata, JS overhead). */
  rssDeltaBytes: number;
  queries: number;
  qps: number;
  recallAt10: number;
  /** Flat indexes: vector bytes scanned per second (n x dim x bytes per value x qps). */
  effectiveBytesPerSecond?: number;
  code?: string;
}

const { flags } = parseArgs(process.argv.slice(2));
const quick = flags.quick === true;
const sizes = String(flags.sizes ?? (quick ? '10000' : '10000,100000')).split(',').map(Number);
const queryCount = Number(flags.queries ?? (quick ? 200 : 1000));
const dim = Number(flags.dim ?? 512);
const efList = String(flags.ef ?? (quick ? '64' : '32,64,256')).split(',').map(Number);
const efsFor = (n: number) => [...new Set([defaultEfSearch(n), ...efList])].sort((a, b) => a - b);
const K = 10;
const baselineQueries = Number(flags['baseline-queries'] ?? 50);
let today: CodeUnderTest | undefined;
const gc = (globalThis as { gc?: () => void }).gc;

function rss(): number {
  gc?.();
  return process.memoryUsage().rss;
}

const LATENT = 64;
const TEMPLATE_NOISE = 0.8;

/** Gallery and queries of the face-like set share one random projection and identity list. */
function faceLikeSets(n: number, queries: number, seed: number, d: number): { gallery: Float32Array[]; queries: Float32Array[] } {
  const rand = seededRandom(seed);
  const A = Float32Array.from({ length: d * LATENT }, () => gaussian(rand));
  const identities = Math.max(1, Math.round(n / 3));
  const centres = Array.from({ length: identities }, () => Float32Array.from({ length: LATENT }, () => gaussian(rand)));
  const sample = () => {
    const c = centres[Math.floor(rand() * identities)]!;
    const z = Float32Array.from(c, (x) => x + TEMPLATE_NOISE * gaussian(rand));
    const v = new Float32Array(d);
    let sum = 0;
    for (let i = 0; i < d; i++) {
      let x = 0;
      for (let j = 0; j < LATENT; j++) x += A[i * LATENT + j]! * z[j]!;
      v[i] = x;
      sum += x * x;
    }
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < d; i++) v[i]! *= inv;
    return v;
  };
  return { gallery: Array.from({ length: n }, sample), queries: Array.from({ length: queries }, sample) };
}

function uniformSet(n: number, seed: number, d: number): Float32Array[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => unitVector(rand, d));
}

/** The LFW-fitted model needs the accuracy benchmark's embedding cache (`npm run bench:accuracy -- --cache`). */
function lfwModel(): { model: EmbeddingModel; real: LabelledEmbeddings } {
  const file = String(flags['real-cache'] ?? 'bench/results/embeddings/lfw-mobilefacenet@fp32.json');
  if (!existsSync(file)) throw new Error(`--data lfw needs ${file}: run npm run bench:accuracy -- --sets lfw --cache first`);
  const cache = JSON.parse(readFileSync(file, 'utf8')) as { paths: string[]; vectors: number[][] };
  const real = { vectors: cache.vectors.map((v) => Float32Array.from(v)), labels: cache.paths.map((p) => basename(dirname(p))) };
  const t0 = performance.now();
  const model = fitEmbeddingModel(real);
  console.error(`lfw model: fitted to ${real.vectors.length} embeddings of ${new Set(real.labels).size} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { model, real };
}

async function build(make: () => Promise<Index>, entries: IndexEntry[]) {
  const before = rss();
  const t0 = performance.now();
  const index = await make();
  for (let i = 0; i < entries.length; i += 1000) {
    await index.add(entries.slice(i, i + 1000));
    // Large builds take long enough that a silent run looks hung.
    if (entries.length >= 200_000 && (i + 1000) % 100_000 === 0) console.error(`    added ${i + 1000} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const buildSeconds = (performance.now() - t0) / 1000;
  return { index, buildSeconds, rssDeltaBytes: rss() - before };
}

async function timeQueries(index: Index, queries: Float32Array[]) {
  const ids: string[][] = [];
  const t0 = performance.now();
  for (const q of queries) ids.push((await index.search(q, K)).map((h) => h.id));
  return { ids, qps: queries.length / ((performance.now() - t0) / 1000) };
}

function recall(got: string[][], truth: string[][]): number {
  let hit = 0;
  let total = 0;
  got.forEach((ids, i) => {
    const want = new Set(truth[i]);
    hit += ids.filter((id) => want.has(id)).length;
    total += want.size;
  });
  return hit / total;
}

async function benchSet(data: string, vectors: Float32Array[], queries: Float32Array[], rows: Row[]) {
  const n = vectors.length;
  const d = vectors[0]!.length;
  const entries = vectors.map((vector, i) => ({ id: String(i), vector }));
  const log = (r: Row) => {
    rows.push(r);
    console.error(`  ${r.index}: build ${r.buildSeconds.toFixed(1)} s, ${r.qps.toFixed(1)} q/s, recall@10 ${r.recallAt10.toFixed(4)}`);
  };
  console.error(`${data} n=${n} d=${d}, ${queries.length} queries`);

  const scanned = (bytesPerValue: number, qps: number) => n * d * bytesPerValue * qps;
  const flat = await build(async () => new FlatIndex(d, 'none', 1024), entries);
  const exact = await timeQueries(flat.index, queries);
  log({ data, index: 'flat float32', code: 'this', n, dim: d, buildSeconds: flat.buildSeconds, indexBytes: (flat.index as FlatIndex).memoryBytes(), rssDeltaBytes: flat.rssDeltaBytes, queries: queries.length, qps: exact.qps, recallAt10: 1, effectiveBytesPerSecond: scanned(4, exact.qps) });
  await flat.index.dispose();

  // --no-int8 skips it when a run only re-measures the graph (the 1M int8 row takes minutes).
  let thisInt8: string[][] | undefined;
  if (!flags['no-int8']) {
    const int8 = await build(async () => new FlatIndex(d, 'int8', 1024), entries);
    const q8 = await timeQueries(int8.index, queries);
    thisInt8 = q8.ids;
    log({ data, index: 'flat int8', code: 'this', n, dim: d, buildSeconds: int8.buildSeconds, indexBytes: (int8.index as FlatIndex).memoryBytes(), rssDeltaBytes: int8.rssDeltaBytes, queries: queries.length, qps: q8.qps, recallAt10: recall(q8.ids, exact.ids), effectiveBytesPerSecond: scanned(1, q8.qps) });
    await int8.index.dispose();
  }

  if (today) {
    const few = queries.slice(0, baselineQueries);
    for (const quantize of flags['no-int8'] ? ['none'] : ['none', 'int8']) {
      const old = await build(async () => new today!.flat.FlatIndex(d, quantize, 1024), entries);
      const r = await timeQueries(old.index, few);
      const truth = exact.ids.slice(0, few.length);
      const bytes = quantize === 'int8' ? 1 : 4;
      const row = { data, index: quantize === 'int8' ? 'flat int8' : 'flat float32', code: `today (${BASELINE_REV.slice(0, 7)})`, n, dim: d, buildSeconds: old.buildSeconds, indexBytes: (old.index as FlatIndex).memoryBytes(), rssDeltaBytes: old.rssDeltaBytes, queries: few.length, qps: r.qps, recallAt10: recall(r.ids, truth), effectiveBytesPerSecond: scanned(bytes, r.qps) };
      log(row);
      // Same queries, this code's int8 against today's: recall@10 vs exact must not move.
      if (quantize === 'int8' && thisInt8) console.error(`    int8 recall@10 on the same ${few.length} queries: this ${recall(thisInt8.slice(0, few.length), truth).toFixed(4)}, today ${row.recallAt10.toFixed(4)}`);
      await old.index.dispose();
    }
  }
  if (flags['no-hnsw']) return;

  // One graph, queried at each efSearch: ef only affects search, not the build.
  const hnsw = await build(() => HnswIndex.create(d, { initialCapacity: n }), entries);
  const hnswIndex = hnsw.index as HnswIndex;
  for (const ef of efsFor(n)) {
    hnswIndex.setEfSearch(ef);
    const r = await timeQueries(hnswIndex, queries);
    log({ data, index: `hnsw M=16 efC=200 ef=${ef}${ef === defaultEfSearch(n) ? ' (default)' : ''}`, n, dim: d, buildSeconds: hnsw.buildSeconds, indexBytes: hnswIndex.memoryBytes(), rssDeltaBytes: hnsw.rssDeltaBytes, queries: queries.length, qps: r.qps, recallAt10: recall(r.ids, exact.ids) });
  }
  await hnsw.index.dispose();
}

function table(rows: Row[], bandwidth: number): string {
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  const gbs = (r: Row) => (r.effectiveBytesPerSecond ? `${(r.effectiveBytesPerSecond / 1e9).toFixed(2)} (${((100 * r.effectiveBytesPerSecond) / bandwidth).toFixed(0)}%)` : '');
  const lines = [
    `Streaming read bandwidth (WebAssembly SIMD reader, 1 GiB, 1 thread): ${(bandwidth / 1e9).toFixed(2)} GB/s`,
    '',
    '| data | index | code | n | build s | index MB | RSS Δ MB | QPS (1 thread) | GB/s scanned (% of streaming) | recall@10 |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.data} | ${r.index} | ${r.code ?? ''} | ${r.n.toLocaleString('en')} | ${r.buildSeconds.toFixed(1)} | ${mb(r.indexBytes)} | ${mb(r.rssDeltaBytes)} | ${r.qps.toFixed(1)} | ${gbs(r)} | ${r.recallAt10.toFixed(4)} |`),
  ];
  return lines.join('\n');
}

async function main() {
  if (!gc) console.error('note: run with node --expose-gc (npm run bench:search does) for meaningful RSS deltas');
  const rows: Row[] = [];
  const started = new Date().toISOString();
  const load = loadavg();
  const bandwidth = streamingBandwidth(2 ** 30);
  console.error(`streaming read bandwidth: ${(bandwidth / 1e9).toFixed(2)} GB/s`);
  if (!flags['no-baseline']) today = await loadCode('today', extractRevision(BASELINE_REV));
  const kinds = String(flags.data ?? (flags.real ? 'face-like,uniform,lfw' : 'face-like,uniform')).split(',');
  const lfw = kinds.includes('lfw') ? lfwModel() : undefined;
  let fit: FitCheck | undefined;
  if (lfw) {
    const sample = sampleEmbeddings(lfw.model, 20_000, 0, 5);
    const labels = sample.gallery.map((_, i) => String(i % Math.round(20_000 / lfw.model.photosPerIdentity)));
    fit = { real: cosineStats(lfw.real, 20_000, 6), sampled: cosineStats({ vectors: sample.gallery, labels }, 20_000, 6) };
    const f = (x: [number, number]) => `${x[0].toFixed(3)} ± ${x[1].toFixed(3)}`;
    console.error(`lfw model check (within spread ${lfw.model.withinSpread.toFixed(1)}), cosine mean ± sd: genuine real ${f(fit.real.genuine)} vs sampled ${f(fit.sampled.genuine)}; impostor real ${f(fit.real.impostor)} vs sampled ${f(fit.sampled.impostor)}`);
  }
  for (const n of sizes) {
    for (const kind of kinds) {
      if (kind === 'face-like') {
        const sets = faceLikeSets(n, queryCount, 1, dim);
        await benchSet(kind, sets.gallery, sets.queries, rows);
      } else if (kind === 'uniform') {
        await benchSet(kind, uniformSet(n, 1, dim), uniformSet(queryCount, 2, dim), rows);
      } else if (kind === 'lfw' && lfw) {
        const sets = sampleEmbeddings(lfw.model, n, queryCount, 7);
        await benchSet('lfw-fitted', sets.gallery, sets.queries, rows);
      } else throw new Error(`unknown --data ${kind} (face-like, uniform, lfw)`);
    }
  }
  const md = table(rows, bandwidth);
  console.log(md);
  mkdirSync('bench/results', { recursive: true });
  const out = typeof flags.out === 'string' ? `bench/results/${flags.out}.json` : quick ? 'bench/results/search-quick.json' : 'bench/results/search.json';
  console.error(`wrote ${out}`);
  writeFileSync(
    out,
    JSON.stringify({ started, command: `npm run bench:search -- ${process.argv.slice(2).join(' ')}`.trim(), machine: await machineInfo(), loadAverageAtStart: load, loadAverageAtEnd: loadavg(), lock: typeof flags.lock === 'string' ? flags.lock : undefined, k: K, streamingBytesPerSecond: bandwidth, baseline: BASELINE_REV, lfwModelCheck: fit, rows }, null, 2) + '\n',
  );
}

await main();
