/** Markdown rendering of the peer benchmark. */

export interface PeerRow {
  peer: string;
  backend: string;
  lfwMedianMs: number;
  lfwMeanMs: number;
  fullHdMedianMs: number;
  fullHdMeanMs: number;
  accuracy: number;
  accuracyStd: number;
  auc: number;
  failedPairs: number;
  pairs: number;
}

const ms = (median: number, mean: number) => `${median.toFixed(1)} / ${mean.toFixed(1)}`;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export function renderPeerTable(rows: PeerRow[], setup: { folds: number[]; photos: number; repeats: number }): string {
  const n = setup.folds.length;
  const header = [
    'peer',
    'backend',
    `ms/photo LFW 250x250 (median / mean, ${setup.photos} photos)`,
    `ms/photo 1920x1080 (median / mean, ${setup.repeats} runs)`,
    `LFW acc, folds ${setup.folds.join(',')} (${n}-fold CV, ± std)`,
    'AUC',
    'failures (pairs)',
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${[
          r.peer,
          r.backend,
          ms(r.lfwMedianMs, r.lfwMeanMs),
          ms(r.fullHdMedianMs, r.fullHdMeanMs),
          `${pct(r.accuracy)} ± ${pct(r.accuracyStd)}`,
          r.auc.toFixed(4),
          `${r.failedPairs} / ${r.pairs}`,
        ].join(' | ')} |`,
    ),
  ];
  return lines.join('\n');
}
