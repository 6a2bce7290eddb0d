/** Markdown for bench/sightings.ts's results: printed by the bench, and copied into README by bench/readme.ts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IdentifyRow } from './sightings-identify.js';
import { singleRecallAt, type SetEvaluation } from './sightings-eval.js';
import type { ScaleResult } from './sightings-scale.js';

export interface SightingsResult {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; node: string };
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  embedded: Record<string, { photos: number; missing: number }>;
  /** Embedder id per set (lag-dev runs without the map fitted on its people). */
  embedderOf?: Record<string, string>;
  evaluations: SetEvaluation[];
  identify: IdentifyRow[];
  threshold?: number;
  scale?: ScaleResult;
}

const f4 = (x: number) => x.toFixed(4);
const pct = (x: number) => (100 * x).toFixed(1);
const mb = (b: number) => (b / 2 ** 20).toFixed(0);

export function sightingsMarkdown(r: SightingsResult): string {
  const out: string[] = [
    `_${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}; ${r.date.slice(0, 16).replace('T', ' ')} UTC; load average ${r.loadAverageAtStart.join(', ')} at the start, ${r.loadAverageAtEnd.join(', ')} at the end; \`${r.command}\`_`,
    '',
  ];
  for (const ev of r.evaluations) {
    const e = r.embedded[ev.set];
    const by = r.embedderOf?.[ev.set.startsWith('lag-dev') ? 'lag-dev' : ev.set];
    out.push(
      `**${ev.set}**: ${ev.faces} photos as sightings (the labelled face of each${e?.missing ? `; ${e.missing} photos without any face left out` : ''}), ${ev.people} people${by ? `, embedder ${by}` : ''}. kNN graph (flat index): ${ev.graphSeconds.toFixed(1)} s, shared by every row; seconds are the grouping alone.`,
      '',
      '| algorithm | parameters | BCubed P | BCubed R | pairwise P | pairwise R | groups | impure groups | s |',
      '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const x of ev.rows) {
      out.push(`| ${x.algorithm} | ${x.params} | ${f4(x.bcubedPrecision)} | ${f4(x.bcubedRecall)} | ${f4(x.pairwisePrecision)} | ${f4(x.pairwiseRecall)} | ${x.groups} | ${x.impureGroups} | ${x.seconds.toFixed(2)} |`);
    }
    const def = ev.rows.find((x) => x.algorithm.includes('default'))!;
    const base = singleRecallAt(ev.singleSweep, def.bcubedPrecision);
    out.push(
      '',
      base
        ? `Same run, single linkage swept from cosine 0.40 to 0.70 in steps of 0.01: at BCubed precision >= ${f4(def.bcubedPrecision)} (the default's) its best recall is ${f4(base.bcubedRecall)} (${base.params}, precision ${f4(base.bcubedPrecision)}); the default's is ${f4(def.bcubedRecall)}.`
        : `Same run: no single-linkage threshold from 0.40 to 0.70 reaches the default's BCubed precision ${f4(def.bcubedPrecision)}.`,
      `Outlier flags (default): ${ev.outliers.flagged} faces flagged, ${ev.outliers.flaggedWrong} of them not their group's main person; ${ev.outliers.wrong} faces in all are not their group's main person. Mean crowd level of the faces: ${ev.meanCrowd.toFixed(3)}.`,
      ev.impure.length ? `Groups of the default holding more than one person (${ev.impure.length}): ${ev.impure.slice(0, 12).join('; ')}${ev.impure.length > 12 ? '; ...' : ''}.` : 'Every group of the default holds one person.',
      '',
    );
  }
  if (r.scale) {
    const s = r.scale;
    out.push(
      `**Scale**: ${s.n.toLocaleString('en')} sightings drawn from the model fitted to the LFW embeddings (${s.people.toLocaleString('en')} people, about 3 photos each), HNSW index (M 16, efConstruction 200, efSearch ${s.efSearch}); the graph found ${pct(s.edgeRecall)}% of the exact neighbours above the edge floor (200 faces checked against a flat index).`,
      '',
      '| step | seconds | of which kNN searches | BCubed P | BCubed R | pairwise P | pairwise R |',
      '|---|--:|--:|--:|--:|--:|--:|',
      `| build the HNSW index of ${s.n.toLocaleString('en')} | ${s.indexBuildSeconds.toFixed(0)} | | | | | |`,
      `| group ${s.n.toLocaleString('en')} (default) | ${(s.knnSeconds + s.groupSeconds).toFixed(1)} | ${s.knnSeconds.toFixed(1)} | ${f4(s.quality.bcubedPrecision)} | ${f4(s.quality.bcubedRecall)} | ${f4(s.quality.pairwisePrecision)} | ${f4(s.quality.pairwiseRecall)} |`,
      ...s.single.map((x) => `| single linkage at ${x.threshold}, same graph | ${x.seconds.toFixed(2)} | | ${f4(x.quality.bcubedPrecision)} | ${f4(x.quality.bcubedRecall)} | ${f4(x.quality.pairwisePrecision)} | ${f4(x.quality.pairwiseRecall)} |`),
      `| add ${s.added.toLocaleString('en')} to the grouped store | ${s.incremental.seconds.toFixed(2)} | ${s.incremental.knnSeconds.toFixed(2)} | ${f4(s.incremental.quality.bcubedPrecision)} | ${f4(s.incremental.quality.bcubedRecall)} | ${f4(s.incremental.quality.pairwisePrecision)} | ${f4(s.incremental.quality.pairwiseRecall)} |`,
      `| regroup all ${(s.n + s.added).toLocaleString('en')} from scratch | ${s.regroup.seconds.toFixed(1)} | ${s.regroup.knnSeconds.toFixed(1)} | ${f4(s.regroup.quality.bcubedPrecision)} | ${f4(s.regroup.quality.bcubedRecall)} | ${f4(s.regroup.quality.pairwisePrecision)} | ${f4(s.regroup.quality.pairwiseRecall)} |`,
      `| regroup all, graph kept (no searches) | ${s.regroupGraphOnlySeconds.toFixed(1)} | 0 | | | | |`,
      '',
      `Adding ${s.added.toLocaleString('en')} photos costs 1/${s.incrementalVsRegroup.toFixed(0)} of regrouping from scratch (${(s.regroupGraphOnlySeconds / s.incremental.seconds).toFixed(0)}x less than even a regroup that keeps the graph). Peak resident memory of the bench process: ${mb(s.peakRssBytes)} MB (${mb(s.rssBeforeBytes)} MB before the store was built).`,
      '',
    );
  }
  if (r.identify.length) {
    const first = r.identify[0]!;
    out.push(
      `**Searching the cases with a group (lag-dev)**: ${first.groups} people with photos on both sides (${first.multiPhotoGroups} with 2 or more photos in the group); cases = every person's photos of the other age, one case per person. Rank-k = the right person among the top k cases. The last two columns use the shipped \`match\` threshold (${r.threshold}, LFW at a false-match rate of 1e-3) over every (group, case) pair.${r.embedderOf?.['lag-dev'] ? ` Embedder ${r.embedderOf['lag-dev']}: the default's map was fitted on lag-dev's people, so it is left out here (bench:search-children measures it on held-out people).` : ''}`,
      '',
      '| search | combining | rank-1 % | rank-10 % | rank-1 % (2+ photos) | rank-10 % (2+ photos) | false match % at threshold | true match % at threshold |',
      '|---|---|--:|--:|--:|--:|--:|--:|',
      ...r.identify.map((x) => `| ${x.direction} | ${x.method} | ${pct(x.rank1)} | ${pct(x.rank10)} | ${pct(x.rank1Multi)} | ${pct(x.rank10Multi)} | ${(100 * x.falseMatchRate).toFixed(2)} | ${pct(x.trueMatchRate)} |`),
      '',
    );
  }
  return out.join('\n');
}

export function writeResult(r: SightingsResult, name: string): void {
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${name}.json`;
  writeFileSync(file, JSON.stringify(r, null, 1) + '\n');
  console.error(`wrote ${file}`);
}
