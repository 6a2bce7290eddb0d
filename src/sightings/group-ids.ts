/**
 * Stable group ids across regrouping: a group keeps the id most of its faces had before, so a
 * reviewer's bookmark still points at the same child after new photos arrive. When two groups
 * claim one old id, the group holding more of its old faces wins (then the smaller position);
 * groups left without an old id get new ones, in order, so the outcome is deterministic.
 */
export function stableGroupIds(
  /** For each changed group, the id each of its faces had before ('' for new faces). */
  oldIdsPerGroup: readonly (readonly string[])[],
  nextNumber: number,
  /** Ids held by groups that did not change: never reassigned. */
  heldElsewhere: (id: string) => boolean,
): { ids: string[]; next: number } {
  const claims: { group: number; id: string; count: number }[] = [];
  oldIdsPerGroup.forEach((olds, group) => {
    const counts = new Map<string, number>();
    for (const id of olds) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, count] of counts) if (!heldElsewhere(id)) claims.push({ group, id, count });
  });
  claims.sort((a, b) => b.count - a.count || idNumber(a.id) - idNumber(b.id) || a.group - b.group);
  const ids = new Array<string>(oldIdsPerGroup.length).fill('');
  const taken = new Set<string>();
  for (const c of claims) {
    if (ids[c.group] || taken.has(c.id)) continue;
    ids[c.group] = c.id;
    taken.add(c.id);
  }
  let next = nextNumber;
  for (let i = 0; i < ids.length; i++) if (!ids[i]) ids[i] = `g${next++}`;
  return { ids, next };
}

function idNumber(id: string): number {
  const n = Number(id.slice(1));
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}
