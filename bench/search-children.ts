/**
 * The reviewer's benchmark: a gallery of missing children searched with later photos, the way a
 * case worker reads the top candidates, for the shipped pipeline and every lever in one table.
 *   npm run bench:search-children -- [--resamples 1000]
 * - lag-dev (child -> adult): cases = people with childhood photos (the first one, or all of them
 *   combined by each method of src/core/combine-scores.ts), probes = their adult photos.
 *   Closed set (CMC, candidates opened before the right one) and open set (half the people out
 *   of the gallery: FNIR at FPIR 0.01 / 0.1, false candidates per probe at the threshold).
 *   Verification on lag-dev's 1,600 pairs (AUC, TAR at FAR 1e-3).
 * - cacd-vs (adults, years apart) as a control; LFW 10-fold accuracy as the cost of a map.
 * - Maps are fitted and tested on 5 identity-disjoint folds of lag-dev (bench/lib/search-maps.ts);
 *   cacd-vs and LFW use the map fitted on all of lag-dev (other people). Bootstrap intervals over
 *   people for the change in rank-10 and AUC against the default.
 * The labelled face of each photo is chosen by the library's 'central' rule (src/core/face-choice.ts).
 * Faces are cached in bench/results/cache/; results go to bench/results/search-children.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { EmbeddingMap } from '../src/core/embedding-map.js';
import { chooseFace } from '../src/core/face-choice.js';
import { dot as cosine } from '../src/core/vectors.js';
import { SHIPPED_MAPS } from '../src/embedders/shipped-maps.js';
import { Matcher } from '../src/node.js';
import { evaluate } from './accuracy.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { bootstrapOverPeople, byPerson, type Interval } from './lib/bootstrap.js';
import { facesRoot, loadPairs, type Pair } from './lib/datasets.js';
import { BARE_EMBEDDER, cacheKey } from './lib/embed-sets-cli.js';
import { cachedFaces, type CachedPhoto } from './lib/face-cache.js';
import { closedSet, COMBINE_METHODS, openSet, type ClosedSet, type OpenSet } from './lib/search-eval.js';
import { casesOf, foldMaps, identityFolds, MAP_LEVERS, mapFaces, probesOf, type FoldMaps, type LabelledFace } from './lib/search-maps.js';
import { searchMarkdown } from './lib/search-report.js';
import { cacdPhotos, lagDevPhotos, lfwPaths, type LabelledPhoto } from './lib/search-sets.js';
import { auc, tarAtFar } from './lib/verification.js';

const { flags } = parseArgs(process.argv.slice(2));
const resamples = Number(flags.resamples ?? 1000);
const K = 5;
/** The embedder as 0.1.0 shipped it: the baseline every change is measured against. */
const NO_MAP = 'no map';
/** The map the embedder applies by default (models/), to mark its lever in the table. */
const SHIPPED_MAP_ID = (JSON.parse(readFileSync(join('models', SHIPPED_MAPS['mobilefacenet']!.file), 'utf8')) as { id: string }).id;

function labelled(photos: readonly LabelledPhoto[], cache: Map<string, CachedPhoto>): { faces: LabelledFace[]; missing: number } {
  const faces: LabelledFace[] = [];
  let missing = 0;
  for (const p of photos) {
    const c = cache.get(p.path)!;
    const i = chooseFace(c.faces.map((f) => f.box), 'central', c.width, c.height);
    if (i < 0) missing++;
    else faces.push({ ...p, vector: c.faces[i]!.embedding, ...(c.faces[i]!.quality ? { quality: c.faces[i]!.quality } : {}) });
  }
  return { faces, missing };
}

/** lag-dev's pair paths name the person as the folder above `y/` or above the photo. */
function lagPerson(path: string): string {
  return basename(dirname(path)) === 'y' ? basename(dirname(dirname(path))) : basename(dirname(path));
}

export interface SearchRow {
  lever: string;
  gallery: string;
  closed: Omit<ClosedSet, 'ranks'>;
  open: OpenSet;
  rank10Change?: Interval;
}

export interface LeverResult {
  lever: string;
  chosenRanks?: [number, number][];
  shippedMap?: { id: string; napRank: number; wccnRank: number; directions: number };
  lfw: { accuracy: number; std: number; tarAtFar1e3: number; threshold: number };
  lagDevVerification: { auc: number; tarAtFar1e3: number; accuracy: number; aucChange?: Interval };
  cacd: { closed: Omit<ClosedSet, 'ranks'>; open: OpenSet };
}

async function main() {
  const started = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => +x.toFixed(2));
  const m = await Matcher.create({ threads: 1, embedder: BARE_EMBEDDER });
  const id = m.embedderId.id;
  const shippedThreshold = m.threshold;
  const lag = labelled(lagDevPhotos(), await cachedFaces(m, lagDevPhotos().map((p) => p.path), cacheKey('lag-dev', id)));
  const cacd = labelled(cacdPhotos(), await cachedFaces(m, cacdPhotos().map((p) => p.path), cacheKey('cacd-vs', id)));
  // --no-lfw: a quick look while LFW's 7,701 photos are still being embedded (no LFW figures).
  const lfwCache = flags['no-lfw'] ? new Map<string, CachedPhoto>() : await cachedFaces(m, lfwPaths(), cacheKey('lfw', id));
  await m.dispose();
  const lfwVec = new Map<string, Float32Array | null>();
  for (const [path, c] of lfwCache) {
    const i = chooseFace(c.faces.map((f) => f.box), 'central', c.width, c.height);
    lfwVec.set(path, i < 0 ? null : c.faces[i]!.embedding);
  }
  const lfwPairs = lfwCache.size ? loadPairs('lfw') : [];
  const lagPairs = loadPairs('lag-dev');
  const lagVec = new Map(lag.faces.map((f) => [f.path, f]));
  const folds = identityFolds(lag.faces.map((f) => f.person), K);
  const probes = probesOf(lag.faces);
  console.error(`lag-dev: ${lag.faces.length} faces (${lag.missing} photos without one), ${casesOf(lag.faces, false).length} cases, ${probes.length} probes; cacd-vs: ${cacd.faces.length} faces`);

  const rows: SearchRow[] = [];
  const levers: LeverResult[] = [];
  /** Per lever and gallery set-up: each probe's rank (for the bootstrap against the default). */
  const ranksOf = new Map<string, { person: string; rank: number }[]>();
  const pairScoresOf = new Map<string, number[]>();
  const leverDefs: { name: string; maps?: FoldMaps }[] = [{ name: NO_MAP }];
  for (const lever of MAP_LEVERS) {
    const t0 = performance.now();
    leverDefs.push({ name: lever.name, maps: foldMaps(lag.faces, folds, K, lever) });
    console.error(`${lever.name}: fitted in ${((performance.now() - t0) / 1000).toFixed(1)} s, ranks ${leverDefs.at(-1)!.maps!.chosen.map((c) => c.join('/')).join(' ')}`);
  }
  for (const { name, maps } of leverDefs) {
    const full: EmbeddingMap | undefined = maps?.full;
    // LFW: the cost of the map on adults, and the threshold at FAR 1e-3 it brings.
    const lfwScores = lfwPairs.map((p) => pairScore(lfwVec.get(p.a), lfwVec.get(p.b), full));
    const lfwEval = lfwPairs.length ? evaluate('lfw', lfwPairs as Pair[], lfwScores) : { accuracy: NaN, accuracyStd: NaN, tarAtFar1e3: NaN };
    const threshold = lfwPairs.length ? tarAtFar(lfwScores, lfwPairs.map((p) => p.same), 1e-3).threshold : shippedThreshold;
    // Every probe is searched through its own fold's map, gallery included.
    const mappedByFold = Array.from({ length: K }, (_, f) => mapFaces(lag.faces, maps?.byFold[f]));
    const foldOf = (person: string) => folds.get(person)!;
    const mappedProbe = new Map<string, LabelledFace>();
    for (let f = 0; f < K; f++) for (const p of probesOf(mappedByFold[f]!)) if (foldOf(p.person) === f) mappedProbe.set(p.path, p);
    const foldProbes = probes.map((p) => mappedProbe.get(p.path)!);
    for (const all of [false, true]) {
      const casesByFold = mappedByFold.map((fs) => casesOf(fs, all));
      const casesFor = (p: { person: string }) => casesByFold[foldOf(p.person)]!;
      for (const method of all ? COMBINE_METHODS : (['best'] as const)) {
        const gallery = all ? `all childhood photos, ${method}` : 'one childhood photo';
        const closed = closedSet(casesFor, foldProbes, method);
        const key = `${name}|${gallery}`;
        ranksOf.set(key, closed.ranks);
        const { ranks: _r, ...closedFigures } = closed;
        const row: SearchRow = { lever: name, gallery, closed: closedFigures, open: openSet(casesFor, foldProbes, method, threshold) };
        const base = ranksOf.get(`${NO_MAP}|${gallery}`)!;
        if (name !== NO_MAP) row.rank10Change = rank10Interval(base, closed.ranks);
        rows.push(row);
        console.error(`  ${name} | ${gallery}: R1 ${closed.cmc['rank1']!.toFixed(3)} R10 ${closed.cmc['rank10']!.toFixed(3)}`);
      }
    }
    // lag-dev verification: a pair of two people is scored through a map that saw neither.
    const lagScores = lagPairs.map((p) => {
      const a = lagVec.get(p.a);
      const b = lagVec.get(p.b);
      if (!a || !b) return -Infinity;
      const map = maps ? maps.forFolds(foldOf(lagPerson(p.a)), foldOf(lagPerson(p.b))) : undefined;
      return pairScore(a.vector, b.vector, map);
    });
    pairScoresOf.set(name, lagScores);
    const lagEval = evaluate('lag-dev', lagPairs, lagScores);
    const cacdMapped = mapFaces(cacd.faces, full);
    const cacdCases = casesOf(cacdMapped, false);
    const cacdClosed = closedSet(() => cacdCases, probesOf(cacdMapped), 'best');
    const { ranks: _c, ...cacdClosedFigures } = cacdClosed;
    levers.push({
      lever: name,
      ...(maps ? { chosenRanks: maps.chosen, shippedMap: { id: maps.full.id, napRank: Number(/nap(\d+)/.exec(maps.full.id)![1]), wccnRank: Number(/wccn(\d+)/.exec(maps.full.id)![1]), directions: maps.full.directions.length } } : {}),
      lfw: { accuracy: lfwEval.accuracy, std: lfwEval.accuracyStd, tarAtFar1e3: lfwEval.tarAtFar1e3, threshold },
      lagDevVerification: {
        auc: lagEval.auc,
        tarAtFar1e3: lagEval.tarAtFar1e3,
        accuracy: lagEval.accuracy,
        ...(name !== NO_MAP ? { aucChange: aucInterval(lagPairs, pairScoresOf.get(NO_MAP)!, lagScores) } : {}),
      },
      cacd: { closed: cacdClosedFigures, open: openSet(() => cacdCases, probesOf(cacdMapped), 'best', threshold) },
    });
  }
  const result = {
    date: new Date().toISOString(),
    started,
    command: `npm run bench:search-children -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: await machineInfo(),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)),
    embedder: id,
    shippedMapId: SHIPPED_MAP_ID,
    faceChoice: 'central',
    folds: K,
    resamples,
    sets: {
      lagDev: { faces: lag.faces.length, missingPhotos: lag.missing, cases: casesOf(lag.faces, false).length, probes: probes.length, childhoodPhotosPerCase: casesOf(lag.faces, true).reduce((a, c) => a + c.photos.length, 0) / casesOf(lag.faces, true).length },
      cacd: { faces: cacd.faces.length, missingPhotos: cacd.missing },
      lfw: { pairs: lfwPairs.length, photosWithoutFace: [...lfwVec.values()].filter((v) => !v).length },
    },
    rows,
    levers,
  };
  console.log(searchMarkdown(result));
  writeFileSync(join('bench', 'results', 'search-children.json'), JSON.stringify(result, null, 1) + '\n');

  function rank10Interval(base: { person: string; rank: number }[], lever: { person: string; rank: number }[]): Interval {
    const diffs = byPerson(base.map((b, i) => ({ person: b.person, d: (lever[i]!.rank <= 10 ? 1 : 0) - (b.rank <= 10 ? 1 : 0) })), (x) => x.person);
    return bootstrapOverPeople([...diffs.keys()], (sample) => {
      let s = 0;
      let n = 0;
      for (const p of sample) for (const x of diffs.get(p)!) [s, n] = [s + x.d, n + 1];
      return s / n;
    }, resamples);
  }
}

function pairScore(a: Float32Array | null | undefined, b: Float32Array | null | undefined, map: EmbeddingMap | undefined): number {
  if (!a || !b) return -Infinity;
  const [x, y] = mapFaces([{ person: '', vector: a }, { person: '', vector: b }], map);
  return cosine(x!.vector, y!.vector);
}

/** AUC change, resampling the people of the pairs' childhood photos. */
function aucInterval(pairs: readonly Pair[], base: number[], lever: number[]): Interval {
  const idx = byPerson(pairs.map((p, i) => ({ i, person: lagPerson(p.a) })), (x) => x.person);
  return bootstrapOverPeople([...idx.keys()], (sample) => {
    const is = sample.flatMap((p) => idx.get(p)!.map((x) => x.i));
    const labels = is.map((i) => pairs[i]!.same);
    return auc(is.map((i) => lever[i]!), labels) - auc(is.map((i) => base[i]!), labels);
  }, resamples);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
