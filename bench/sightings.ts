/**
 * Grouping street sightings: every algorithm on real labelled photos, the default at scale,
 * and searching the cases with a whole group.
 *   npm run bench:sightings -- [--sets lfw,lag-dev] [--scale 100000] [--added 1000] [--ef 128] [--out NAME]
 * - Real sets (all photos, the labelled face of each): LFW (7,701 photos, 4,281 people) and
 *   lag-dev (1,696 photos, childhood and adult photos of one person are one person), and
 *   lag-dev's childhood photos alone (street children are photographed as children).
 *   BCubed and pairwise precision/recall, groups vs people and time for each algorithm on one
 *   shared kNN graph; single linkage swept finely to compare recall at equal precision.
 * - Scale (--scale 0 skips): n sightings drawn from the model fitted to the LFW embeddings,
 *   grouped through an HNSW index; then --added more photos, vs regrouping everything.
 * - lag-dev: identifyGroup's ways of combining a group's faces vs one photo alone, both ways.
 * Embeddings are cached in bench/results/embeddings; results go to bench/results/sightings.json.
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Matcher } from '../src/node.js';
import { DEFAULT_GROUPING } from '../src/sightings/options.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { facesRoot, loadPairs } from './lib/datasets.js';
import { embedFaces } from './lib/embed-faces.js';
import { identifyGroups, type IdentifyFace } from './lib/sightings-identify.js';
import { evaluateSet, type LabelledFace, type SetEvaluation } from './lib/sightings-eval.js';
import { scaleRun, type ScaleResult } from './lib/sightings-scale.js';
import { sightingsMarkdown, writeResult } from './lib/sightings-report.js';

const { flags } = parseArgs(process.argv.slice(2));
const sets = String(flags.sets ?? 'lfw,lag-dev').split(',').filter(Boolean);
const scale = Number(flags.scale ?? 100_000);
const added = Number(flags.added ?? 1000);
const ef = Number(flags.ef ?? 128);

/** Variants of the default measured beside it (each changes one thing). */
const VARIANTS = {
  'no crowd correction': { crowdWeight: 0 },
  'crowd weight 0.75': { crowdWeight: 0.75 },
  'crowd baseline 0.31': { crowdBaseline: 0.31 },
  'pair 0.5': { pairThreshold: 0.5 },
  'pair 0.55': { pairThreshold: 0.55 },
  'group 0.25': { groupThreshold: 0.25 },
  'group 0.35': { groupThreshold: 0.35 },
  'k 10': { k: 10 },
  'k 40': { k: 40 },
};

function lagDevPaths(): string[] {
  const root = join(facesRoot(), 'lag-dev');
  const out: string[] = [];
  for (const person of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const sub of ['', 'y']) {
      const dir = join(root, person, sub);
      let names: string[] = [];
      try {
        names = readdirSync(dir).filter((n) => n.endsWith('.png')).sort();
      } catch {
        continue;
      }
      out.push(...names.map((n) => join(dir, n)));
    }
  }
  return out;
}

/** lag-dev's person is the folder under lag-dev/, whether the photo is in its y/ (young) sub-folder or not. */
function lagDevPerson(path: string): { person: string; young: boolean } {
  const young = basename(dirname(path)) === 'y';
  return { person: basename(young ? dirname(dirname(path)) : dirname(path)), young };
}

async function main() {
  const started = new Date().toISOString();
  const loadAtStart = loadavg().map((x) => +x.toFixed(2));
  // The shipped threshold (LFW, false-match rate 1e-3) is what `match` uses in identifyGroup.
  const m = await Matcher.create();
  // The default embedder's map was fitted on lag-dev's people: on lag-dev it would be measured on
  // the people it learnt, so lag-dev runs through the bare embedder (its own threshold).
  const bare = await Matcher.create({ embedder: { name: 'mobilefacenet', map: 'none' } });
  const embedderOf: Record<string, string> = {};
  const evaluations: SetEvaluation[] = [];
  let identify: Awaited<ReturnType<typeof identifyGroups>> = [];
  let lfwFaces: LabelledFace[] | undefined;
  const embedded: Record<string, { photos: number; missing: number }> = {};
  for (const set of sets) {
    const paths = set === 'lfw' ? [...new Set(loadPairs('lfw').flatMap((p) => [p.a, p.b]))].sort() : set === 'lag-dev' ? lagDevPaths() : [];
    if (!paths.length) throw new Error(`unknown set ${set} (lfw, lag-dev)`);
    console.error(`${set}: ${paths.length} photos`);
    const em = set === 'lag-dev' ? bare : m;
    embedderOf[set] = em.embedderId.id;
    const { faces, missing } = await embedFaces(em, paths, `sightings-${set}-${em.embedderId.id}`);
    embedded[set] = { photos: paths.length, missing };
    const labelled = faces.map((f) => ({ id: f.path, vector: f.vector, label: set === 'lfw' ? basename(dirname(f.path)) : lagDevPerson(f.path).person }));
    if (set === 'lfw') lfwFaces = labelled;
    const ev = await evaluateSet(set, labelled, DEFAULT_GROUPING, VARIANTS);
    evaluations.push(ev);
    console.error(`  graph ${ev.graphSeconds.toFixed(1)} s; default BCubed P ${ev.rows.find((r) => r.algorithm.includes('default'))!.bcubedPrecision.toFixed(4)}`);
    if (set === 'lag-dev') {
      // Street children are photographed as children: the same grouping on the childhood photos alone.
      const young = labelled.filter((f) => lagDevPerson(f.id).young);
      evaluations.push(await evaluateSet('lag-dev, childhood photos only', young, DEFAULT_GROUPING, VARIANTS));
      const ifaces: IdentifyFace[] = faces.map((f) => ({ id: f.path, vector: f.vector, ...lagDevPerson(f.path), ...(f.quality ? { quality: f.quality } : {}) }));
      identify = await identifyGroups(ifaces, bare.threshold);
    }
  }
  const threshold = sets.includes('lag-dev') ? bare.threshold : m.threshold;
  await m.dispose();
  await bare.dispose();
  let scaleResult: ScaleResult | undefined;
  if (scale > 0) {
    if (!lfwFaces) throw new Error('--scale needs the lfw set (the model is fitted to its embeddings)');
    scaleResult = await scaleRun({ vectors: lfwFaces.map((f) => f.vector), labels: lfwFaces.map((f) => f.label) }, DEFAULT_GROUPING, scale, added, ef, (s) => console.error(`  scale: ${s}`));
  }
  const result = {
    date: new Date().toISOString(),
    started,
    command: `npm run bench:sightings -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: await machineInfo(),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)),
    defaults: DEFAULT_GROUPING,
    embedded,
    embedderOf,
    evaluations,
    identify,
    threshold,
    scale: scaleResult,
  };
  console.log(sightingsMarkdown(result));
  writeResult(result, typeof flags.out === 'string' ? flags.out : 'sightings');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
