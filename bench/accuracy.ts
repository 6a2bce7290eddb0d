/**
 * Verification accuracy of the whole pipeline (decode, detect, align, embed) on labelled sets.
 *   npm run bench:accuracy -- lfw [lag-dev cacd-vs] [--precision fp32] [--limit N] [--calibrate]
 * Prints a markdown table and writes bench/results/accuracy.json. --calibrate writes the
 * embedder's score -> false-match-rate calibration into models/calibration.json (lfw, lag-dev).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Matcher } from '../src/node.js';
import { dot as cosine } from '../src/core/vectors.js';
import type { Calibration } from '../src/core/platform.js';
import { parseArgs, machineInfo } from './lib/args.js';
import { loadPairs, SET_NAMES, type Pair, type SetName } from './lib/datasets.js';
import { embedSet } from './lib/embed-set.js';
import { auc, countFailures, tarAtFar, tenFold } from './lib/verification.js';

export interface SetResult {
  set: string;
  pairs: number;
  accuracy: number;
  accuracyStd: number;
  tarAtFar1e3: number;
  tarAtFar1e2: number;
  auc: number;
  failedPairs: number;
  cropFallbackRate: number;
  images: number;
  msPerImage: number;
}

export function scorePairs(pairs: Pair[], vectors: Map<string, Float32Array | null>): number[] {
  return pairs.map((p) => {
    const a = vectors.get(p.a);
    const b = vectors.get(p.b);
    return a && b ? cosine(a, b) : -Infinity;
  });
}

export function evaluate(set: string, pairs: Pair[], scores: number[]): Omit<SetResult, 'cropFallbackRate' | 'images' | 'msPerImage'> {
  const labels = pairs.map((p) => p.same);
  const tf = tenFold(scores, labels, pairs.map((p) => p.fold));
  return {
    set,
    pairs: pairs.length,
    accuracy: tf.accuracy,
    accuracyStd: tf.std,
    tarAtFar1e3: tarAtFar(scores, labels, 1e-3).tar,
    tarAtFar1e2: tarAtFar(scores, labels, 1e-2).tar,
    auc: auc(scores, labels),
    failedPairs: countFailures(scores),
  };
}

/** Impostor score distribution as (score, fraction of impostors >= score) points. */
export function calibrationFrom(set: string, pairs: Pair[], scores: number[]): Calibration {
  const imp = scores.filter((s, i) => !pairs[i]!.same && Number.isFinite(s)).sort((a, b) => a - b);
  const n = imp.length;
  const points: [number, number][] = [];
  const step = Math.max(1, Math.floor(n / 200));
  for (let i = 0; i < n; i += step) points.push([+imp[i]!.toFixed(5), +((n - i) / n).toPrecision(4)]);
  // Keep every point of the tail, where reviewers' thresholds live.
  for (let i = Math.max(0, n - 50); i < n; i++) points.push([+imp[i]!.toFixed(5), +((n - i) / n).toPrecision(4)]);
  const uniq = [...new Map(points.map((p) => [p[0], p])).values()].sort((a, b) => a[0] - b[0]);
  // Accept iff score > t lets through at most floor(1e-3 * n) impostors.
  const allowed = Math.floor(1e-3 * n);
  const t = imp[n - 1 - allowed]!;
  return { set, impostorPairs: n, points: uniq, thresholdAtFar1e3: +(t + 1e-5).toFixed(5) };
}

function pct(x: number): string {
  return (100 * x).toFixed(2) + '%';
}

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const sets = (positional.length ? positional : ['lfw']) as SetName[];
  for (const s of sets) if (!SET_NAMES.includes(s)) throw new Error(`unknown set ${s}; use ${SET_NAMES.join(', ')}`);
  const precision = (flags['precision'] as 'fp32' | 'int8' | 'int8-weights' | undefined) ?? 'fp32';
  const limit = flags['limit'] ? Number(flags['limit']) : 0;
  const m = await Matcher.create({ precision, threshold: 0 });
  const results: SetResult[] = [];
  const calibrations: Calibration[] = [];
  for (const set of sets) {
    let pairs = loadPairs(set);
    // --limit N keeps the first N pairs of each label in every fold, so folds stay balanced.
    if (limit) {
      const seen = new Map<string, number>();
      pairs = pairs.filter((p) => {
        const key = `${p.fold}:${p.same}`;
        const c = seen.get(key) ?? 0;
        seen.set(key, c + 1);
        return c < limit;
      });
    }
    process.stderr.write(`${set}: ${pairs.length} pairs\n`);
    const cacheKey = flags['cache'] ? `${set}-${m.embedderId.id}` : null;
    const emb = await embedSet(m, pairs, cacheKey);
    const scores = scorePairs(pairs, emb.vectors);
    results.push({
      ...evaluate(set, pairs, scores),
      cropFallbackRate: emb.cropFallbacks / emb.images,
      images: emb.images,
      msPerImage: emb.msPerImage,
    });
    if (flags['calibrate'] && !limit && (set === 'lfw' || set === 'lag-dev')) calibrations.push(calibrationFrom(set, pairs, scores));
  }
  await m.dispose();

  console.log(`\nAccuracy of the full pipeline, embedder ${m.embedderId.id} (10-fold; lag-dev folds = pair index mod 10; cacd-vs 4 folds)\n`);
  console.log('| set | pairs | accuracy | TAR@FAR1e-3 | TAR@FAR1e-2 | AUC | failed pairs | crop fallback | ms/image |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.set} | ${r.pairs} | ${pct(r.accuracy)} ± ${pct(r.accuracyStd)} | ${pct(r.tarAtFar1e3)} | ${pct(r.tarAtFar1e2)} | ${r.auc.toFixed(4)} | ${r.failedPairs} | ${pct(r.cropFallbackRate)} | ${r.msPerImage.toFixed(1)} |`,
    );
  }
  mkdirSync('bench/results', { recursive: true });
  const out = { date: new Date().toISOString(), command: `npm run bench:accuracy -- ${process.argv.slice(2).join(' ')}`, machine: await machineInfo(), embedder: m.embedderId, precision, results };
  // A --limit run is a smoke test: it never replaces the full figures the README shows.
  writeFileSync(`bench/results/accuracy-${m.embedderId.id.replace('@', '-')}${limit ? `-limit${limit}` : ''}.json`, JSON.stringify(out, null, 2));
  if (calibrations.length) {
    const file = 'models/calibration.json';
    const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Calibration[]>) : {};
    const prev = all[m.embedderId.id] ?? [];
    all[m.embedderId.id] = [...prev.filter((c) => !calibrations.some((n) => n.set === c.set)), ...calibrations];
    writeFileSync(file, JSON.stringify(all, null, 1) + '\n');
    console.log(`\nwrote calibration for ${m.embedderId.id} (${calibrations.map((c) => `${c.set}: t@1e-3=${c.thresholdAtFar1e3}`).join(', ')}) to ${file}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
