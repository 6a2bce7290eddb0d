/**
 * Face-verification evaluation shared by every benchmark (ours and peers'),
 * so that all figures come from one implementation of the protocol.
 *
 * Conventions used by every function here:
 * - `scores[i]`: similarity of pair i, higher = more alike. A pair where a face
 *   was not found must be given `-Infinity` (any non-finite value, NaN included,
 *   is treated as such a failure).
 * - `labels[i]`: true when pair i shows the same person.
 * - A pair is declared "same" iff `score > threshold` (strict).
 * - `folds[i]`: fold id of pair i (any integers; for LFW, 1..10 as in parseLfwPairs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LfwPair {
  /** Absolute paths of the two images. */
  a: string;
  b: string;
  same: boolean;
  /** 1-based fold number, 1..10 for the standard file. */
  fold: number;
}

function lfwImagePath(root: string, name: string, index: string): string {
  const n = Number(index);
  if (!Number.isInteger(n) || n < 1) throw new Error(`LFW pairs: bad image index "${index}"`);
  return join(root, name, `${name}_${String(n).padStart(4, '0')}.jpg`);
}

/**
 * Reads `root/pairs.txt` in the standard LFW "View 2" format: a first line
 * `folds pairsPerHalf` (normally `10 300`), then for each fold `pairsPerHalf`
 * same-person lines `name i j` followed by `pairsPerHalf` different-person lines
 * `name1 i name2 j`. Fields are split on whitespace (LFW names contain none).
 */
export function parseLfwPairs(root: string): LfwPair[] {
  const lines = readFileSync(join(root, 'pairs.txt'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(/\s+/).map(Number);
  const [nFolds, perHalf] = header;
  if (header.length !== 2 || !Number.isInteger(nFolds) || !Number.isInteger(perHalf) || nFolds! < 1 || perHalf! < 1) {
    throw new Error(`LFW pairs: bad header "${lines[0] ?? ''}"`);
  }
  const expected = nFolds! * perHalf! * 2;
  if (lines.length - 1 !== expected) {
    throw new Error(`LFW pairs: expected ${expected} pair lines, found ${lines.length - 1}`);
  }
  const pairs: LfwPair[] = [];
  for (let k = 0; k < expected; k++) {
    const fields = lines[k + 1]!.split(/\s+/);
    const fold = Math.floor(k / (2 * perHalf!)) + 1;
    const shouldBeSame = k % (2 * perHalf!) < perHalf!;
    if (shouldBeSame && fields.length === 3) {
      const [name, i, j] = fields as [string, string, string];
      pairs.push({ a: lfwImagePath(root, name, i), b: lfwImagePath(root, name, j), same: true, fold });
    } else if (!shouldBeSame && fields.length === 4) {
      const [n1, i, n2, j] = fields as [string, string, string, string];
      pairs.push({ a: lfwImagePath(root, n1, i), b: lfwImagePath(root, n2, j), same: false, fold });
    } else {
      throw new Error(`LFW pairs: line ${k + 2} "${lines[k + 1]}" does not fit fold ${fold} layout`);
    }
  }
  return pairs;
}

function checkInputs(scores: readonly number[], labels: readonly boolean[]): void {
  if (scores.length !== labels.length) {
    throw new Error(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  }
}

/** Number of pairs whose score is not finite (face not found). */
export function countFailures(scores: readonly number[]): number {
  return scores.filter((s) => !Number.isFinite(s)).length;
}

/**
 * Fraction of pairs answered right at `threshold`. A failed pair is always
 * wrong, whatever its label: "no face found" is not an answer.
 */
export function accuracyAt(scores: readonly number[], labels: readonly boolean[], threshold: number): number {
  checkInputs(scores, labels);
  if (scores.length === 0) return NaN;
  let right = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (Number.isFinite(s) && s > threshold === labels[i]) right++;
  }
  return right / scores.length;
}

/**
 * Threshold maximising accuracyAt on the given pairs. Candidates are
 * "accept everything finite" and the midpoints between consecutive distinct
 * scores (and "accept nothing"); when several tie, the middle one is taken so
 * the choice does not lean towards either end of a flat plateau.
 */
export function bestThreshold(
  scores: readonly number[],
  labels: readonly boolean[],
): { threshold: number; accuracy: number } {
  checkInputs(scores, labels);
  const finite: { s: number; same: boolean }[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (Number.isFinite(scores[i]!)) finite.push({ s: scores[i]!, same: labels[i]! });
  }
  finite.sort((x, y) => x.s - y.s);
  const n = scores.length;
  // Sweep upwards: start with every finite pair accepted, then reject one
  // distinct score value at a time.
  let right = finite.filter((p) => p.same).length;
  const candidates: { threshold: number; right: number }[] = [{ threshold: -Infinity, right }];
  let k = 0;
  while (k < finite.length) {
    const v = finite[k]!.s;
    while (k < finite.length && finite[k]!.s === v) {
      right += finite[k]!.same ? -1 : 1;
      k++;
    }
    const threshold = k < finite.length ? (v + finite[k]!.s) / 2 : v;
    candidates.push({ threshold, right });
  }
  const best = Math.max(...candidates.map((c) => c.right));
  const tied = candidates.filter((c) => c.right === best);
  const chosen = tied[Math.floor((tied.length - 1) / 2)]!;
  return { threshold: chosen.threshold, accuracy: n === 0 ? NaN : best / n };
}

export interface FoldResult {
  fold: number;
  /** Threshold chosen on the other folds. */
  threshold: number;
  /** Accuracy on the held-out fold at that threshold. */
  accuracy: number;
  /** Accuracy of the same threshold on the folds it was chosen on. */
  trainAccuracy: number;
  pairs: number;
}

export interface TenFoldResult {
  /** Mean held-out accuracy over folds. */
  accuracy: number;
  /** Sample standard deviation of the held-out accuracies (0 with one fold). */
  std: number;
  folds: FoldResult[];
}

/**
 * Standard LFW cross-validation generalised to any set of folds: for each
 * distinct fold id, pick the threshold on all other folds (bestThreshold),
 * measure accuracy on the held-out fold, and average. With two folds this is
 * 2-fold cross-validation. Needs at least two distinct fold ids.
 */
export function tenFold(
  scores: readonly number[],
  labels: readonly boolean[],
  folds: readonly number[],
): TenFoldResult {
  checkInputs(scores, labels);
  if (folds.length !== scores.length) {
    throw new Error(`folds (${folds.length}) and scores (${scores.length}) differ in length`);
  }
  const ids = [...new Set(folds)].sort((a, b) => a - b);
  if (ids.length < 2) throw new Error('tenFold needs pairs from at least two folds');
  const results: FoldResult[] = ids.map((fold) => {
    const trainS: number[] = [];
    const trainL: boolean[] = [];
    const testS: number[] = [];
    const testL: boolean[] = [];
    for (let i = 0; i < scores.length; i++) {
      if (folds[i] === fold) {
        testS.push(scores[i]!);
        testL.push(labels[i]!);
      } else {
        trainS.push(scores[i]!);
        trainL.push(labels[i]!);
      }
    }
    const { threshold, accuracy: trainAccuracy } = bestThreshold(trainS, trainL);
    return { fold, threshold, accuracy: accuracyAt(testS, testL, threshold), trainAccuracy, pairs: testS.length };
  });
  const accs = results.map((r) => r.accuracy);
  const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
  const variance = accs.length > 1 ? accs.reduce((a, b) => a + (b - mean) ** 2, 0) / (accs.length - 1) : 0;
  return { accuracy: mean, std: Math.sqrt(variance), folds: results };
}

/**
 * Area under the ROC curve (Mann-Whitney; ties count one half). A failed pair
 * is ranked as badly as possible for its label (a failed same-person pair below
 * everything, a failed different-person pair above everything), consistent with
 * accuracyAt counting failures as wrong.
 */
export function auc(scores: readonly number[], labels: readonly boolean[]): number {
  checkInputs(scores, labels);
  const items = scores.map((s, i) => ({
    s: Number.isFinite(s) ? s : labels[i] ? -Infinity : Infinity,
    same: labels[i]!,
  }));
  const nPos = items.filter((p) => p.same).length;
  const nNeg = items.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  items.sort((x, y) => (x.s === y.s ? 0 : x.s < y.s ? -1 : 1));
  let rankSumPos = 0;
  let k = 0;
  while (k < items.length) {
    let end = k;
    while (end < items.length && items[end]!.s === items[k]!.s) end++;
    const meanRank = (k + 1 + end) / 2; // 1-based ranks k+1..end
    for (let m = k; m < end; m++) if (items[m]!.same) rankSumPos += meanRank;
    k = end;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface TarAtFarResult {
  /** Fraction of same-person pairs accepted. */
  tar: number;
  /** Fraction of different-person pairs accepted at that threshold (<= the asked far). */
  far: number;
  /** Accept iff score > threshold. */
  threshold: number;
}

/**
 * True-accept rate at the lowest threshold whose false-accept rate does not
 * exceed `far`. Here a failed pair is simply not accepted (what a deployed
 * matcher does when it finds no face): it lowers TAR and never raises FAR.
 * With N different-person pairs, FARs below 1/N can only be met by accepting
 * no different pair at all, so small-FAR figures on small sets are coarse.
 */
export function tarAtFar(scores: readonly number[], labels: readonly boolean[], far: number): TarAtFarResult {
  checkInputs(scores, labels);
  if (!(far >= 0 && far <= 1)) throw new Error(`far must be in [0, 1], got ${far}`);
  const pos = scores.filter((s, i) => labels[i]);
  const neg = scores.filter((s, i) => !labels[i]);
  if (pos.length === 0 || neg.length === 0) return { tar: NaN, far: NaN, threshold: NaN };
  const negFinite = neg.filter(Number.isFinite).sort((a, b) => b - a);
  const allowed = Math.floor(far * neg.length + 1e-9);
  // Accepting > negFinite[allowed] lets through at most `allowed` negatives.
  const threshold = allowed < negFinite.length ? negFinite[allowed]! : -Infinity;
  const accepted = (s: number) => Number.isFinite(s) && s > threshold;
  return {
    tar: pos.filter(accepted).length / pos.length,
    far: neg.filter(accepted).length / neg.length,
    threshold,
  };
}
