/**
 * Which face of a photo is the person: a case photo from parents can hold the child and adults,
 * and a silently wrong face is a case that can never be found. Pure functions on detected boxes,
 * shared by `enroll`/`verify` and the benchmarks, so the figures are those of the library's rule.
 */
import { iou } from './nms.js';
import type { Box } from './types.js';

/**
 * - a number: that face, in the order `detect`/`embed` return them (largest first);
 * - a box: the detected face overlapping it most (intersection over union >= 0.3);
 * - 'largest': the largest face;
 * - 'central': among the faces at least 30% of the largest's area, the one nearest the centre
 *   of the photo (portraits and dataset photos centre the person).
 */
export type FaceChoice = number | Box | 'largest' | 'central';

/** A second face at least this fraction of the largest's area makes an unspecified choice ambiguous. */
export const AMBIGUOUS_AREA_RATIO = 0.5;

const CENTRAL_MIN_AREA = 0.3;
const BOX_MIN_IOU = 0.3;

function area(b: Box): number {
  return Math.max(0, b.width) * Math.max(0, b.height);
}

/** True when a second face is nearly as large as the largest: the photo does not say which is meant. */
export function isAmbiguous(boxes: readonly Box[]): boolean {
  if (boxes.length < 2) return false;
  const areas = boxes.map(area).sort((x, y) => y - x);
  return areas[1]! >= AMBIGUOUS_AREA_RATIO * areas[0]!;
}

/**
 * Index of the chosen face among `boxes`, or -1 when the choice names no face (an index out of
 * range, a box overlapping no face). `width`/`height` are the photo's, for 'central'.
 */
export function chooseFace(boxes: readonly Box[], choice: FaceChoice, width: number, height: number): number {
  if (boxes.length === 0) return -1;
  if (typeof choice === 'number') return Number.isInteger(choice) && choice >= 0 && choice < boxes.length ? choice : -1;
  if (choice === 'largest') return boxes.reduce((best, b, i) => (area(b) > area(boxes[best]!) ? i : best), 0);
  if (choice === 'central') {
    const maxArea = Math.max(...boxes.map(area));
    let best = -1;
    let bestD = Infinity;
    boxes.forEach((b, i) => {
      if (area(b) < CENTRAL_MIN_AREA * maxArea) return;
      const d = Math.hypot(b.x + b.width / 2 - width / 2, b.y + b.height / 2 - height / 2);
      if (d < bestD) [best, bestD] = [i, d];
    });
    return best;
  }
  let best = -1;
  let bestIou = BOX_MIN_IOU;
  boxes.forEach((b, i) => {
    const o = iou(b, choice);
    if (o >= bestIou) [best, bestIou] = [i, o];
  });
  return best;
}

/** Checks a user's `face` option; returns a message naming the fault, or undefined when valid. */
export function faceChoiceError(choice: unknown): string | undefined {
  if (choice === 'largest' || choice === 'central') return undefined;
  if (typeof choice === 'number') return Number.isInteger(choice) && choice >= 0 ? undefined : 'face: an index must be an integer >= 0';
  if (typeof choice === 'object' && choice !== null) {
    const b = choice as Box;
    const ok = [b.x, b.y, b.width, b.height].every((x) => typeof x === 'number' && Number.isFinite(x)) && b.width > 0 && b.height > 0;
    return ok ? undefined : 'face: a box needs finite x, y and positive width, height';
  }
  return "face must be an index, a box {x, y, width, height}, 'largest' or 'central'";
}
