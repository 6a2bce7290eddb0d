/**
 * Cohort score normalisation for cross-age matching (issue 8), with cohorts from data disjoint from
 * the test set (other sets, or other people of lag-dev standing in for the user's own gallery): s'(a,b) = s(a,b) - 0.5 * (m(a) + m(b)), m(x) = mean of x's top-K cosine scores against
 * the cohort (K = all or 50). Embedder: ours (mobilefacenet@fp32).
 *   npm run bench:cohort
 * Uses bench/results/embeddings/<set>-mobilefacenet@fp32.json (bench:accuracy --cache) when present,
 * else the embeddings cached with the crops of bench:embedders prep. Writes bench/results/cohort.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo } from '../../bench/lib/args.js';
import type { Pair, SetName } from '../../bench/lib/datasets.js';
import { readCrops, readIndex } from './lib-crops.js';
import { experimentPairs } from './lib-sets.js';
import { aucDiffInterval, bootstrapSamples, dot, l2normalise, metrics, pairScores, pct, type Metrics } from './lib-stats.js';

type Vecs = Map<string, Float32Array | null>;

function loadOurs(set: SetName): { vecs: Vecs; source: string } | null {
  const file = join('bench', 'results', 'embeddings', `${set}-mobilefacenet@fp32.json`);
  if (existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as { paths: string[]; vectors: (number[] | null)[] };
    return { vecs: new Map(c.paths.map((p, i) => [p, c.vectors[i] ? l2normalise(Float32Array.from(c.vectors[i]!)) : null])), source: file };
  }
  const idx = readIndex(set);
  if (!idx || idx.done < idx.paths.length) return null;
  const vecs: Vecs = new Map();
  for (let from = 0; from < idx.paths.length; from += 256) {
    readCrops(set, from, Math.min(idx.paths.length, from + 256)).forEach((r, k) =>
      vecs.set(idx.paths[from + k]!, idx.ok[from + k] ? l2normalise(r.ours) : null),
    );
  }
  return { vecs, source: `bench/results/aligned/${set}.bin` };
}

/** Mean of the top-K scores of each probe against the cohort (K = Infinity: all). */
function cohortMeans(probes: Vecs, cohort: Float32Array[], k: number): Map<string, number> {
  const out = new Map<string, number>();
  const s = new Float32Array(cohort.length);
  for (const [p, v] of probes) {
    if (!v) continue;
    for (let j = 0; j < cohort.length; j++) s[j] = dot(v, cohort[j]!);
    if (k >= cohort.length) out.set(p, s.reduce((a, b) => a + b, 0) / cohort.length);
    else {
      const top = Float32Array.from(s).sort().subarray(cohort.length - k);
      out.set(p, top.reduce((a, b) => a + b, 0) / k);
    }
  }
  return out;
}

interface Row extends Metrics {
  set: string;
  pairs: number;
  method: string;
  cohortSize: number;
  aucDiff?: { lo: number; hi: number; mean: number };
}

/** lag-dev identity of an image path: the folder under lag-dev/; `/y/` marks the young photos. */
function lagIdentity(path: string): { id: string; young: boolean } {
  const rel = path.slice(path.indexOf('lag-dev/') + 'lag-dev/'.length);
  return { id: rel.split('/')[0]!, young: rel.split('/')[1] === 'y' };
}

/**
 * The cohort a deployment has without shipping research data: the user's own gallery. Simulated
 * on lag-dev by scoring each pair against the other lag-dev photos, leaving out both people of
 * the pair (a gallery holds other missing children, child and adult photos). 'cross-age' uses
 * only the photos of the other age group, the cohort the pre-study found useful.
 */
function galleryCohortRows(o: { vecs: Vecs } | undefined): Row[] {
  if (!o) return [];
  const pairs: Pair[] = experimentPairs('lag-dev').filter((p) => o.vecs.has(p.a) && o.vecs.has(p.b));
  const labels = pairs.map((p) => p.same);
  const base = pairScores(pairs, o.vecs);
  const samples = bootstrapSamples(pairs.length, 1000, 20261129);
  const all = [...o.vecs].filter((e): e is [string, Float32Array] => e[1] !== null).map(([p, v]) => ({ v, ...lagIdentity(p) }));
  const rows: Row[] = [];
  for (const crossAge of [false, true]) {
    for (const k of [Infinity, 50]) {
      const mean = (x: string, exclude: Set<string>) => {
        const me = lagIdentity(x);
        const v = o.vecs.get(x)!;
        const s: number[] = [];
        for (const c of all) if (!exclude.has(c.id) && (!crossAge || c.young !== me.young)) s.push(dot(v, c.v));
        const n = s.length;
        if (k < s.length) s.sort((a, b) => b - a).length = k;
        return { m: s.reduce((a, b) => a + b, 0) / s.length, n };
      };
      let size = 0;
      const scores = base.map((sc, i) => {
        if (!Number.isFinite(sc)) return sc;
        const p = pairs[i]!;
        const exclude = new Set([lagIdentity(p.a).id, lagIdentity(p.b).id]);
        const ma = mean(p.a, exclude);
        const mb = mean(p.b, exclude);
        size = Math.max(size, ma.n, mb.n);
        return sc - 0.5 * (ma.m + mb.m);
      });
      rows.push({
        set: 'lag-dev',
        pairs: pairs.length,
        method: `cohort: own gallery${crossAge ? ', other age group' : ''} (other lag-dev people, up to ${size} faces), K=${k === Infinity ? 'all' : k}`,
        cohortSize: size,
        ...metrics(pairs, scores),
        aucDiff: aucDiffInterval(labels, base, scores, samples),
      });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const ours = new Map<SetName, { vecs: Vecs; source: string }>();
  for (const s of ['lag-dev', 'cacd-vs', 'lfw'] as SetName[]) {
    const o = loadOurs(s);
    if (o) ours.set(s, o);
    else process.stderr.write(`${s}: no cached embeddings (run bench:accuracy --cache or bench:embedders prep)\n`);
  }
  const cohortOf = (s: SetName): Float32Array[] => [...(ours.get(s)?.vecs.values() ?? [])].filter((v): v is Float32Array => v !== null);
  const plans: { set: SetName; cohorts: SetName[] }[] = [
    { set: 'lag-dev', cohorts: ['lfw', 'cacd-vs'] },
    { set: 'lfw', cohorts: ['cacd-vs'] },
  ];
  const rows: Row[] = [];
  for (const { set, cohorts } of plans) {
    const o = ours.get(set);
    if (!o) continue;
    const pairs: Pair[] = experimentPairs(set).filter((p) => o.vecs.has(p.a) && o.vecs.has(p.b));
    const labels = pairs.map((p) => p.same);
    const base = pairScores(pairs, o.vecs);
    const samples = set === 'lag-dev' ? bootstrapSamples(pairs.length, 1000, 20261129) : null;
    rows.push({ set, pairs: pairs.length, method: 'none (cosine)', cohortSize: 0, ...metrics(pairs, base) });
    for (const c of cohorts) {
      const cohort = cohortOf(c);
      if (!cohort.length) continue;
      for (const k of [Infinity, 50]) {
        const means = cohortMeans(o.vecs, cohort, k);
        const scores = base.map((s, i) => (Number.isFinite(s) ? s - 0.5 * (means.get(pairs[i]!.a)! + means.get(pairs[i]!.b)!) : s));
        rows.push({
          set,
          pairs: pairs.length,
          method: `cohort ${c} (${cohort.length} faces), K=${k === Infinity ? 'all' : k}`,
          cohortSize: cohort.length,
          ...metrics(pairs, scores),
          ...(samples ? { aucDiff: aucDiffInterval(labels, base, scores, samples) } : {}),
        });
      }
    }
  }
  rows.push(...galleryCohortRows(ours.get('lag-dev')));
  const markdown = [
    '| set | pairs | normalisation | accuracy | TAR@FAR1e-3 | AUC | ΔAUC vs none [95% CI] |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.set} | ${r.pairs} | ${r.method} | ${pct(r.accuracy)} | ${pct(r.tar1e3)} | ${r.auc.toFixed(4)} | ${r.aucDiff ? `${r.aucDiff.mean >= 0 ? '+' : ''}${r.aucDiff.mean.toFixed(4)} [${r.aucDiff.lo.toFixed(4)}, ${r.aucDiff.hi.toFixed(4)}]` : ''} |`,
    ),
  ].join('\n');
  console.log(markdown);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/cohort.json',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        command: 'npm run bench:cohort',
        machine: await machineInfo(),
        embedder: 'mobilefacenet@fp32',
        formula: "s'(a,b) = s(a,b) - 0.5*(mean top-K cohort scores of a + of b)",
        lfwFolds: '1-3',
        sources: Object.fromEntries([...ours].map(([s, o]) => [s, o.source])),
        bootstrap: { resamples: 1000, seed: 20261129 },
        rows,
        markdown,
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
