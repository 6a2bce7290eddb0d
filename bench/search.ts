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
 *  - --real: clusters around real face embeddings from bench/results/lfw-embeddings.f32 (raw
 *    float32, --real-dim per vector, default 512) when that file exists.
 * Recall@10 is measured against exact float32 search. One thread; prints a markdown table and
 * writes bench/results/search.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { FlatIndex } from '../src/indexes/flat.js';
import { DEFAULT_EF_SEARCH, HnswIndex } from '../src/indexes/hnsw.js';
import type { Index, IndexEntry } from '../src/indexes/index.js';
import { gaussian, seededRandom, unitVector } from '../test/indexes/random.js';
import { machineInfo, parseArgs } from './lib/args.js';

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
}

const { flags } = parseArgs(process.argv.slice(2));
const quick = flags.quick === true;
const sizes = String(flags.sizes ?? (quick ? '10000' : '10000,100000')).split(',').map(Number);
const queryCount = Number(flags.queries ?? (quick ? 200 : 1000));
const dim = Number(flags.dim ?? 512);
const efs = [...new Set([DEFAULT_EF_SEARCH, ...String(flags.ef ?? (quick ? '64' : '32,64,256')).split(',').map(Number)])].sort((a, b) => a - b);
const K = 10;
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

/** Vectors around real embeddings: each is a real one plus Gaussian noise, re-normalised. */
function realLikeSet(base: Float32Array[], n: number, seed: number, noise: number): Float32Array[] {
  const rand = seededRandom(seed);
  const d = base[0]!.length;
  return Array.from({ length: n }, () => {
    const b = base[Math.floor(rand() * base.length)]!;
    const v = new Float32Array(d);
    let sum = 0;
    for (let i = 0; i < d; i++) {
      const x = b[i]! + gaussian(rand) * noise;
      v[i] = x;
      sum += x * x;
    }
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < d; i++) v[i]! *= inv;
    return v;
  });
}

async function build(make: () => Promise<Index>, entries: IndexEntry[]) {
  const before = rss();
  const t0 = performance.now();
  const index = await make();
  for (let i = 0; i < entries.length; i += 1000) await index.add(entries.slice(i, i + 1000));
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

  const flat = await build(async () => new FlatIndex(d, 'none', 1024), entries);
  const exact = await timeQueries(flat.index, queries);
  log({ data, index: 'flat float32', n, dim: d, buildSeconds: flat.buildSeconds, indexBytes: (flat.index as FlatIndex).memoryBytes(), rssDeltaBytes: flat.rssDeltaBytes, queries: queries.length, qps: exact.qps, recallAt10: 1 });
  await flat.index.dispose();

  const int8 = await build(async () => new FlatIndex(d, 'int8', 1024), entries);
  const q8 = await timeQueries(int8.index, queries);
  log({ data, index: 'flat int8', n, dim: d, buildSeconds: int8.buildSeconds, indexBytes: (int8.index as FlatIndex).memoryBytes(), rssDeltaBytes: int8.rssDeltaBytes, queries: queries.length, qps: q8.qps, recallAt10: recall(q8.ids, exact.ids) });
  await int8.index.dispose();

  // One graph, queried at each efSearch: ef only affects search, not the build.
  const hnsw = await build(() => HnswIndex.create(d, { initialCapacity: n }), entries);
  const hnswIndex = hnsw.index as HnswIndex;
  for (const ef of efs) {
    hnswIndex.setEfSearch(ef);
    const r = await timeQueries(hnswIndex, queries);
    log({ data, index: `hnsw M=16 efC=200 ef=${ef}${ef === DEFAULT_EF_SEARCH ? ' (default)' : ''}`, n, dim: d, buildSeconds: hnsw.buildSeconds, indexBytes: hnswIndex.memoryBytes(), rssDeltaBytes: hnsw.rssDeltaBytes, queries: queries.length, qps: r.qps, recallAt10: recall(r.ids, exact.ids) });
  }
  await hnsw.index.dispose();
}

function table(rows: Row[]): string {
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  const lines = [
    '| data | index | n | build s | index MB | RSS Δ MB | QPS (1 thread) | recall@10 |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.data} | ${r.index} | ${r.n.toLocaleString('en')} | ${r.buildSeconds.toFixed(1)} | ${mb(r.indexBytes)} | ${mb(r.rssDeltaBytes)} | ${r.qps.toFixed(1)} | ${r.recallAt10.toFixed(4)} |`),
  ];
  return lines.join('\n');
}

async function main() {
  if (!gc) console.error('note: run with node --expose-gc (npm run bench:search does) for meaningful RSS deltas');
  const rows: Row[] = [];
  const started = new Date().toISOString();
  const load = loadavg();
  const kinds = String(flags.data ?? 'face-like,uniform').split(',');
  for (const n of sizes) {
    for (const kind of kinds) {
      if (kind === 'face-like') {
        const sets = faceLikeSets(n, queryCount, 1, dim);
        await benchSet(kind, sets.gallery, sets.queries, rows);
      } else if (kind === 'uniform') {
        await benchSet(kind, uniformSet(n, 1, dim), uniformSet(queryCount, 2, dim), rows);
      } else throw new Error(`unknown --data ${kind} (face-like, uniform)`);
    }
  }
  if (flags.real) {
    const file = 'bench/results/lfw-embeddings.f32';
    if (!existsSync(file)) {
      console.error(`--real: ${file} not found (bench:accuracy may write it); skipping real-like data`);
    } else {
      const raw = readFileSync(file);
      const rd = Number(flags['real-dim'] ?? 512);
      const all = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / 4));
      if (all.length % rd !== 0) throw new Error(`${file} holds ${all.length} floats, not a multiple of --real-dim ${rd}`);
      const base = Array.from({ length: all.length / rd }, (_, i) => all.slice(i * rd, (i + 1) * rd));
      // Noise 0.6/sqrt(d) per coordinate keeps each synthetic vector at cosine ~0.85 to its source.
      const noise = 0.6 / Math.sqrt(rd);
      for (const n of sizes) await benchSet(`lfw-like (${base.length} real)`, realLikeSet(base, n, 3, noise), realLikeSet(base, queryCount, 4, noise), rows);
    }
  }
  const md = table(rows);
  console.log(md);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    quick ? 'bench/results/search-quick.json' : 'bench/results/search.json',
    JSON.stringify({ started, machine: await machineInfo(), loadAverageAtStart: load, loadAverageAtEnd: loadavg(), k: K, rows }, null, 2) + '\n',
  );
}

await main();
