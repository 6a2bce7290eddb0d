/** Markdown of bench:search-children's result (printed, and copied into README / docs by bench/readme.ts). */
import type { Interval } from './bootstrap.js';

interface Closed {
  probes: number;
  cases: number;
  cmc: Record<string, number>;
  meanOpenedBefore: number;
}
interface Open {
  fnirAtFpir: Record<string, number>;
  falseCandidatesPerProbe: number;
  threshold: number;
}
export interface SearchResultJson {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; node: string };
  loadAverageAtEnd: number[];
  embedder: string;
  /** The map the embedder applies by default: its lever is marked in the tables. */
  shippedMapId?: string;
  sets: { lagDev: { cases: number; probes: number; childhoodPhotosPerCase: number }; cacd: { faces: number } };
  rows: { lever: string; gallery: string; closed: Closed; open: Open; rank10Change?: Interval }[];
  levers: {
    lever: string;
    chosenRanks?: [number, number][];
    shippedMap?: { id: string; napRank: number; wccnRank: number };
    lfw: { accuracy: number; std: number; tarAtFar1e3: number; threshold: number };
    lagDevVerification: { auc: number; tarAtFar1e3: number; accuracy: number; aucChange?: Interval };
    cacd: { closed: Closed; open: Open };
  }[];
}

const pct = (x: number, d = 1) => (Number.isFinite(x) ? (100 * x).toFixed(d) + '%' : 'n/a');
const pts = (i: Interval | undefined, d = 1) => (i ? `${(100 * i.estimate).toFixed(d)} [${(100 * i.low).toFixed(d)}, ${(100 * i.high).toFixed(d)}]` : '');
const dAuc = (i: Interval | undefined) => (i ? `${i.estimate.toFixed(4)} [${i.low.toFixed(4)}, ${i.high.toFixed(4)}]` : '');

export function searchMarkdown(r: SearchResultJson): string {
  const L = r.sets.lagDev;
  const shipped = new Set(r.levers.filter((l) => l.shippedMap && l.shippedMap.id === r.shippedMapId).map((l) => l.lever));
  const name = (lever: string) => (shipped.has(lever) ? `**${lever} (shipped default)**` : lever);
  const out: string[] = [];
  out.push(
    `Search, lag-dev: ${L.cases} children as cases, ${L.probes} adult photos as probes (${L.childhoodPhotosPerCase.toFixed(2)} childhood photos per case when all are enrolled). ` +
      `Open set: half the children out of the gallery, 10 random halvings. Maps fitted and tested on 5 identity-disjoint folds. ` +
      `Change in rank-10 vs no map with the same gallery: points, bootstrap 95% interval over people.`,
    '',
    '| lever | gallery | rank-1 | rank-5 | rank-10 | rank-20 | opened before the right one | FNIR @ FPIR 0.01 | FNIR @ FPIR 0.1 | false candidates / probe at threshold | rank-10 change |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const x of r.rows) {
    const c = x.closed.cmc;
    out.push(
      `| ${name(x.lever)} | ${x.gallery} | ${pct(c['rank1']!)} | ${pct(c['rank5']!)} | ${pct(c['rank10']!)} | ${pct(c['rank20']!)} | ${x.closed.meanOpenedBefore.toFixed(1)} | ${pct(x.open.fnirAtFpir['0.01']!)} | ${pct(x.open.fnirAtFpir['0.1']!)} | ${x.open.falseCandidatesPerProbe.toFixed(2)} (t=${x.open.threshold.toFixed(3)}) | ${pts(x.rank10Change)} |`,
    );
  }
  out.push(
    '',
    `Verification (lag-dev 1,600 pairs, 10-fold), the adult control (cacd-vs: ${r.sets.cacd.faces / 2} people, earlier photo as the case, later as the probe) and the cost on LFW (6,000 pairs, 10-fold). AUC change: bootstrap 95% interval over people.`,
    '',
    '| lever | ranks chosen per fold (NAP/WCCN) | lag-dev AUC | AUC change | lag-dev TAR @ FAR 1e-3 | lag-dev accuracy | cacd-vs rank-1 | cacd-vs rank-10 | cacd-vs FNIR @ FPIR 0.01 | LFW accuracy | LFW TAR @ FAR 1e-3 | LFW threshold @ FAR 1e-3 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const l of r.levers) {
    const v = l.lagDevVerification;
    out.push(
      `| ${name(l.lever)} | ${l.chosenRanks ? l.chosenRanks.map((c) => c.join('/')).join(', ') : ''} | ${v.auc.toFixed(4)} | ${dAuc(v.aucChange)} | ${pct(v.tarAtFar1e3, 2)} | ${pct(v.accuracy, 2)} | ${pct(l.cacd.closed.cmc['rank1']!)} | ${pct(l.cacd.closed.cmc['rank10']!)} | ${pct(l.cacd.open.fnirAtFpir['0.01']!)} | ${pct(l.lfw.accuracy, 2)} ± ${pct(l.lfw.std, 2)} | ${pct(l.lfw.tarAtFar1e3, 2)} | ${l.lfw.threshold.toFixed(4)} |`,
    );
  }
  out.push('', `_${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, load average ${r.loadAverageAtEnd[0]} at the end; ${r.date.slice(0, 10)}; \`${r.command}\`; embedder ${r.embedder} (bare: the maps are applied by the bench); each photo's face by the library's 'central' rule_`);
  return out.join('\n');
}
