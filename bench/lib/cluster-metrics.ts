/**
 * How well predicted groups match true identities. BCubed averages over faces: a face's
 * precision is the share of its group that is the same person, its recall the share of its
 * person's faces that are in its group. Pairwise counts pairs of faces put together.
 */
export interface ClusterScores {
  bcubedPrecision: number;
  bcubedRecall: number;
  pairwisePrecision: number;
  pairwiseRecall: number;
  groups: number;
  people: number;
  /** Groups holding faces of more than one person. */
  impureGroups: number;
}

/** `predicted[i]` and `truth[i]` label face i (any values; equal means same group / person). */
export function clusterScores<P, T>(predicted: readonly P[], truth: readonly T[]): ClusterScores {
  if (predicted.length !== truth.length) throw new RangeError('predicted and truth differ in length');
  const n = predicted.length;
  const groupSize = new Map<P, number>();
  const personSize = new Map<T, number>();
  const cell = new Map<P, Map<T, number>>();
  for (let i = 0; i < n; i++) {
    const p = predicted[i]!;
    const t = truth[i]!;
    groupSize.set(p, (groupSize.get(p) ?? 0) + 1);
    personSize.set(t, (personSize.get(t) ?? 0) + 1);
    let row = cell.get(p);
    if (!row) cell.set(p, (row = new Map()));
    row.set(t, (row.get(t) ?? 0) + 1);
  }
  let bp = 0;
  let br = 0;
  let together = 0;
  let togetherRight = 0;
  let impure = 0;
  for (const [p, row] of cell) {
    const g = groupSize.get(p)!;
    together += (g * (g - 1)) / 2;
    if (row.size > 1) impure++;
    for (const [t, c] of row) {
      // c faces each see c of their kind in a group of g, out of personSize(t).
      bp += (c * c) / g;
      br += (c * c) / personSize.get(t)!;
      togetherRight += (c * (c - 1)) / 2;
    }
  }
  let samePairs = 0;
  for (const s of personSize.values()) samePairs += (s * (s - 1)) / 2;
  return {
    bcubedPrecision: n ? bp / n : 1,
    bcubedRecall: n ? br / n : 1,
    pairwisePrecision: together ? togetherRight / together : 1,
    pairwiseRecall: samePairs ? togetherRight / samePairs : 1,
    groups: groupSize.size,
    people: personSize.size,
    impureGroups: impure,
  };
}
