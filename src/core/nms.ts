import type { Box } from './types.js';

export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy non-maximum suppression, highest score first. */
export function nms<T extends { box: Box; score: number }>(items: readonly T[], iouThreshold: number): T[] {
  const sorted = [...items].sort((p, q) => q.score - p.score);
  const kept: T[] = [];
  for (const it of sorted) {
    if (kept.every((k) => iou(k.box, it.box) <= iouThreshold && !contains(k.box, it.box))) kept.push(it);
  }
  return kept;
}

/** A box lying almost wholly inside a kept one is the same face seen at another tile/scale. */
function contains(outer: Box, inner: Box): boolean {
  const x1 = Math.max(outer.x, inner.x);
  const y1 = Math.max(outer.y, inner.y);
  const x2 = Math.min(outer.x + outer.width, inner.x + inner.width);
  const y2 = Math.min(outer.y + outer.height, inner.y + inner.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter >= 0.8 * inner.width * inner.height;
}
