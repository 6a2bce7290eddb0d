/**
 * Which templates belong to which subject, and the largest number any subject has.
 * identify asks the index for k x (most templates of one subject) hits, enough to cover k
 * subjects; keeping that maximum up to date here spares a scan of every subject per query,
 * which at a million-template gallery cost more than the search itself.
 */
export class SubjectTemplates {
  private readonly bySubject = new Map<string, Set<string>>();
  /** Template count -> how many subjects have exactly that many. */
  private readonly sizes = new Map<number, number>();

  get subjects(): number {
    return this.bySubject.size;
  }

  /** The most templates any one subject has (0 when empty). */
  get maxPerSubject(): number {
    let max = 0;
    for (const size of this.sizes.keys()) if (size > max) max = size;
    return max;
  }

  templatesOf(subjectId: string): string[] {
    return [...(this.bySubject.get(subjectId) ?? [])];
  }

  add(subjectId: string, templateId: string): void {
    let set = this.bySubject.get(subjectId);
    if (!set) this.bySubject.set(subjectId, (set = new Set()));
    if (set.has(templateId)) return;
    this.count(set.size, -1);
    set.add(templateId);
    this.count(set.size, +1);
  }

  removeSubject(subjectId: string): void {
    const set = this.bySubject.get(subjectId);
    if (!set) return;
    this.count(set.size, -1);
    this.bySubject.delete(subjectId);
  }

  private count(size: number, delta: number): void {
    if (size === 0) return;
    const n = (this.sizes.get(size) ?? 0) + delta;
    if (n === 0) this.sizes.delete(size);
    else this.sizes.set(size, n);
  }
}
