/**
 * `embedders.ts run`: embeds the cached crops with every embedder (cached per set and embedder in
 * bench/results/embeddings/<set>-<id>.f32), then evaluates singles and fusions with ours.
 * Fusion scores never see the test set's statistics: z-normalisation uses the impostor pairs of
 * another set (lag-dev: LFW folds 1-3, else cacd-vs; LFW: cacd-vs; cacd-vs: LFW), and the weighted
 * fusion picks its weight on the training folds of each cross-validation split only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matcher } from '../../src/node.js';
import { machineInfo } from '../../bench/lib/args.js';
import type { Pair, SetName } from '../../bench/lib/datasets.js';
import { auc } from '../../bench/lib/verification.js';
import { readCrops, readIndex } from './lib-crops.js';
import { convertedPath, HUMAN_EMBEDDERS, HumanEmbedder, modelMB, type HumanEmbedderSpec } from './lib-human-embedders.js';
import { experimentPairs, uniquePaths } from './lib-sets.js';
import { aucDiffInterval, bootstrapSamples, dot, impostorStats, l2normalise, metrics, pairScores, pct, type Metrics } from './lib-stats.js';

const OURS = 'ours (mobilefacenet@fp32)';
const OURS_FILE = join('models', 'mobilefacenet-fp32.onnx');
const CHUNK = 64;
const BATCH = 16;

type Vecs = Map<string, Float32Array | null>;

function cacheFiles(set: string, id: string): { f32: string; meta: string } {
  const dir = join('bench', 'results', 'embeddings');
  mkdirSync(dir, { recursive: true });
  return { f32: join(dir, `${set}-x-${id}.f32`), meta: join(dir, `${set}-x-${id}.meta.json`) };
}

function loadCached(set: string, id: string, paths: string[], ok: boolean[]): Vecs | null {
  const { f32, meta } = cacheFiles(set, id);
  if (!existsSync(meta)) return null;
  const m = JSON.parse(readFileSync(meta, 'utf8')) as { n: number; dim: number };
  if (m.n !== paths.length) return null;
  const buf = readFileSync(f32);
  const all = new Float32Array(buf.buffer, buf.byteOffset, m.n * m.dim);
  return new Map(paths.map((p, i) => [p, ok[i] ? l2normalise(all.slice(i * m.dim, (i + 1) * m.dim)) : null]));
}

async function embedSetWith(set: string, spec: HumanEmbedderSpec, paths: string[], ok: boolean[], deadline: number): Promise<Vecs | null> {
  const cached = loadCached(set, spec.id, paths, ok);
  if (cached) return cached;
  if (performance.now() > deadline) {
    process.stderr.write(`  ${set} ${spec.id}: skipped (time budget spent)\n`);
    return null;
  }
  const e = await HumanEmbedder.create(spec);
  const t0 = performance.now();
  let dim = 0;
  const parts: Float32Array[] = [];
  try {
    for (let from = 0; from < paths.length; from += CHUNK) {
      const recs = readCrops(set, from, Math.min(paths.length, from + CHUNK));
      for (let b = 0; b < recs.length; b += BATCH) {
        const crops = recs.slice(b, b + BATCH).map((r) => (spec.crop === 'human' ? r.human : r.aligned));
        for (const v of await e.embed(crops)) {
          dim = v.length;
          parts.push(v);
        }
      }
      process.stderr.write(`\r  ${set} ${spec.id} ${Math.min(paths.length, from + CHUNK)}/${paths.length}`);
    }
  } finally {
    await e.dispose();
  }
  process.stderr.write(` (${((performance.now() - t0) / paths.length).toFixed(1)} ms/image)\n`);
  const flat = new Float32Array(parts.length * dim);
  parts.forEach((v, i) => flat.set(v, i * dim));
  const { f32, meta } = cacheFiles(set, spec.id);
  writeFileSync(f32, Buffer.from(flat.buffer));
  writeFileSync(meta, JSON.stringify({ n: paths.length, dim, spec }));
  return loadCached(set, spec.id, paths, ok)!;
}

/** Ours: the embedding stored with the crops (m.embed on the aligned crop); spot-checked against m.embedAligned. */
async function oursVecs(set: string, paths: string[], ok: boolean[]): Promise<Vecs> {
  const vecs: Vecs = new Map();
  for (let from = 0; from < paths.length; from += CHUNK) {
    readCrops(set, from, Math.min(paths.length, from + CHUNK)).forEach((r, k) => vecs.set(paths[from + k]!, ok[from + k] ? l2normalise(r.ours) : null));
  }
  const m = await Matcher.create({ threshold: 0 });
  try {
    const sample = readCrops(set, 0, Math.min(8, paths.length)).filter((_, i) => ok[i]);
    const again = await m.embedAligned(sample.map((r) => r.aligned));
    const worst = Math.min(...again.map((v, i) => dot(l2normalise(v), l2normalise(sample[i]!.ours))));
    if (!(worst > 0.999)) throw new Error(`${set}: cached ours embeddings disagree with m.embedAligned (cosine ${worst})`);
  } finally {
    await m.dispose();
  }
  return vecs;
}

interface Row extends Metrics {
  name: string;
  set: string;
  pairs: number;
  mb: number;
  aucDiff?: { lo: number; hi: number; mean: number };
  detail?: string;
}

function zScores(scores: number[], s: { mean: number; sd: number }): number[] {
  return scores.map((x) => (x - s.mean) / s.sd);
}

/**
 * Per held-out fold: both scores z-normalised with the training folds' impostor statistics, and the
 * weight of the second picked on the training folds (by AUC); the test fold is never looked at.
 */
function cvWeighted(pairs: Pair[], sa: number[], sb: number[]): { scores: number[]; weights: number[] } {
  const folds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  const out = new Array<number>(pairs.length).fill(-Infinity);
  const weights: number[] = [];
  for (const f of folds) {
    const train = pairs.map((p, i) => (p.fold !== f ? i : -1)).filter((i) => i >= 0);
    const labels = train.map((i) => pairs[i]!.same);
    const trainPairs = train.map((i) => pairs[i]!);
    const za = zScores(sa, impostorStats(trainPairs, train.map((i) => sa[i]!)));
    const zb = zScores(sb, impostorStats(trainPairs, train.map((i) => sb[i]!)));
    let best = { w: 0, auc: -1 };
    for (let k = 0; k <= 20; k++) {
      const w = k / 20;
      const a = auc(train.map((i) => (1 - w) * za[i]! + w * zb[i]!), labels);
      if (a > best.auc) best = { w, auc: a };
    }
    weights.push(best.w);
    pairs.forEach((p, i) => {
      if (p.fold === f) out[i] = (1 - best.w) * za[i]! + best.w * zb[i]!;
    });
  }
  return { scores: out, weights };
}

function concatScores(pairs: Pair[], a: Vecs, b: Vecs): number[] {
  const cat = (p: string): Float32Array | null => {
    const x = a.get(p), y = b.get(p);
    if (!x || !y) return null;
    const v = new Float32Array(x.length + y.length);
    v.set(x);
    v.set(y, x.length);
    return l2normalise(v);
  };
  const cache: Vecs = new Map();
  for (const p of uniquePaths(pairs)) cache.set(p, cat(p));
  return pairScores(pairs, cache);
}

export async function run(sets: SetName[], lfwAll: boolean, budgetMs: number, only?: string[]): Promise<void> {
  const deadline = performance.now() + budgetMs;
  const specs = HUMAN_EMBEDDERS.filter((s) => existsSync(convertedPath(s.file)) && (!only || only.includes(s.id)));
  if (specs.length < HUMAN_EMBEDDERS.length) process.stderr.write('some converted models missing: run `npm run models:convert`\n');
  const ready = sets.filter((s) => {
    const idx = readIndex(s);
    const n = uniquePaths(experimentPairs(s, lfwAll)).length;
    if (!idx || idx.done < n) process.stderr.write(`${s}: crops not complete (${idx?.done ?? 0}/${n}); run prep first\n`);
    return idx && idx.done >= n;
  });
  // Per set: pairs and per-embedder scores; ids: 'ours' and spec ids.
  const data = new Map<string, { pairs: Pair[]; vecs: Map<string, Vecs>; scores: Map<string, number[]> }>();
  for (const set of ready) {
    const pairs = experimentPairs(set, lfwAll);
    const idx = readIndex(set)!;
    const vecs = new Map<string, Vecs>([['ours', await oursVecs(set, idx.paths, idx.ok)]]);
    for (const spec of specs) {
      const v = await embedSetWith(set, spec, idx.paths, idx.ok, deadline);
      if (v) vecs.set(spec.id, v);
    }
    const scores = new Map([...vecs].map(([id, v]) => [id, pairScores(pairs, v)]));
    data.set(set, { pairs, vecs, scores });
  }
  const reference = (set: string, id: string): string | undefined =>
    (set === 'lfw' ? ['cacd-vs'] : set === 'cacd-vs' ? ['lfw'] : ['lfw', 'cacd-vs']).find((r) => data.get(r)?.scores.has(id));

  const rows: Row[] = [];
  const oursMB = modelMB(OURS_FILE);
  for (const [set, d] of data) {
    const labels = d.pairs.map((p) => p.same);
    const samples = set === 'lag-dev' ? bootstrapSamples(d.pairs.length, 1000, 20261129) : null;
    const base = d.scores.get('ours')!;
    const add = (name: string, scores: number[], mb: number, detail?: string) =>
      rows.push({ name, set, pairs: d.pairs.length, mb, ...metrics(d.pairs, scores), ...(samples && name !== OURS ? { aucDiff: aucDiffInterval(labels, base, scores, samples) } : {}), ...(detail ? { detail } : {}) });
    add(OURS, base, oursMB);
    const have = specs.filter((sp) => d.scores.has(sp.id));
    for (const spec of have) add(`${spec.id} (${spec.note})`, d.scores.get(spec.id)!, modelMB(convertedPath(spec.file)));
    for (const spec of have) {
      const mb = oursMB + modelMB(convertedPath(spec.file));
      add(`ours ⊕ ${spec.id} concat`, concatScores(d.pairs, d.vecs.get('ours')!, d.vecs.get(spec.id)!), mb);
      const ref = reference(set, spec.id);
      if (ref) {
        const rd = data.get(ref)!;
        const zs = (id: string) => zScores(d.scores.get(id)!, impostorStats(rd.pairs, rd.scores.get(id)!));
        const zb = zs(spec.id);
        add(`ours + ${spec.id} z-score avg (z on ${ref})`, zs('ours').map((x, i) => (x + zb[i]!) / 2), mb, `z-norm on ${ref} impostors`);
      }
      const cv = cvWeighted(d.pairs, d.scores.get('ours')!, d.scores.get(spec.id)!);
      add(`ours + ${spec.id} z-avg weighted (CV)`, cv.scores, mb, `w per fold ${cv.weights.join(',')}; z-norm and w from training folds`);
    }
  }

  const lines = [
    '| embedder / fusion | set | pairs | accuracy | TAR@FAR1e-3 | AUC | ΔAUC vs ours [95% CI] | model MB |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.set} | ${r.pairs} | ${pct(r.accuracy)} | ${pct(r.tar1e3)} | ${r.auc.toFixed(4)} | ${r.aucDiff ? `${r.aucDiff.mean >= 0 ? '+' : ''}${r.aucDiff.mean.toFixed(4)} [${r.aucDiff.lo.toFixed(4)}, ${r.aucDiff.hi.toFixed(4)}]` : ''} | ${r.mb.toFixed(1)} |`,
    ),
  ];
  const markdown = lines.join('\n');
  console.log(markdown);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/embedders.json',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        command: `npm run bench:embedders -- run ${sets.join(' ')}${lfwAll ? ' --lfw-all' : ''}`,
        machine: await machineInfo(),
        sets: [...data.keys()],
        lfwFolds: lfwAll ? 'all' : '1-3',
        bootstrap: { set: 'lag-dev', resamples: 1000, seed: 20261129, statistic: 'AUC(candidate) - AUC(ours), paired resampling of pairs' },
        embedders: specs,
        rows,
        markdown,
      },
      null,
      2,
    ),
  );
}
