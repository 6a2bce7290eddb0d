/**
 * Gallery bookkeeping: which templates the matcher holds (subject, metadata, enrolment time)
 * beside the vectors in the index, kept consistent with it: adds are all-or-nothing.
 */
import { MatcherError } from '../core/errors.js';
import type { EmbedderId, GalleryState, GalleryTemplate } from '../gallery/format.js';
import { SubjectTemplates } from '../gallery/subjects.js';
import type { Index, Metadata } from '../indexes/index.js';
import type { StillWanted } from './guard.js';

export interface TemplateRecord {
  subjectId: string;
  metadata: Metadata;
  enrolledAt: string;
}

/**
 * Refuses a persistent index holding another embedder's vectors (scores between two
 * embedders' vectors mean nothing), and records this one in an index that has no record yet.
 */
export async function claimIndex(index: Index, embedder: EmbedderId, what: string): Promise<void> {
  if (!index.note) return;
  const mine = `reunite-face embedder ${embedder.id} ${embedder.sha256}`;
  const note = await index.note.read();
  if (note === mine) return;
  if (note?.startsWith('reunite-face embedder ')) {
    throw new MatcherError('GALLERY_MODEL_MISMATCH', `the ${what} index (${index.kind}) holds vectors of ${note.split(' ').slice(2, 3).join('')}, this matcher's embedder is ${embedder.id}: use another table`);
  }
  // Someone else's note is left alone (the index is then not protected).
  if (!note) await index.note.write(mine);
}

export class Templates {
  private readonly records = new Map<string, TemplateRecord>();
  private readonly subjects = new SubjectTemplates();
  /** Template ids being added right now (see add). */
  private readonly pending = new Set<string>();

  constructor(private readonly index: Index) {}

  get size(): { subjects: number; templates: number } {
    return { subjects: this.subjects.subjects, templates: this.records.size };
  }

  /** The most templates any one subject has: how many hits cover one subject in a search. */
  get maxPerSubject(): number {
    return this.subjects.maxPerSubject;
  }

  get(templateId: string): TemplateRecord | undefined {
    return this.records.get(templateId);
  }

  private track(templateId: string, rec: TemplateRecord): void {
    this.records.set(templateId, rec);
    this.subjects.add(rec.subjectId, templateId);
  }

  /**
   * A persistent index (pgvector) may already hold templates from an earlier run: take them
   * into the subject map. Template ids are `subjectId#uuid`, so the subject is recoverable.
   * An index keeps no enrolment time, so an adopted template is dated when it was adopted: a
   * valid ISO date (the gallery format requires one) that is never earlier than the real one.
   */
  async adoptIndexEntries(): Promise<void> {
    if ((await this.index.size()) === 0) return;
    const adoptedAt = new Date().toISOString();
    for (const e of await this.index.entries()) {
      const cut = e.id.lastIndexOf('#');
      const subjectId = cut > 0 ? e.id.slice(0, cut) : e.id;
      this.track(e.id, { subjectId, metadata: e.metadata ?? {}, enrolledAt: adoptedAt });
    }
  }

  /**
   * Adds templates all-or-nothing. Ids are reserved before the first await so two concurrent
   * adds cannot both pass the clash check; `stillWanted` is checked after the index write and
   * the write is rolled back when the caller has given up (timeout, dispose).
   */
  async add(templates: readonly GalleryTemplate[], stillWanted: StillWanted): Promise<void> {
    const ids = templates.map((t) => t.templateId);
    const clash = ids.find((id) => this.records.has(id) || this.pending.has(id)) ?? ids.find((id, i) => ids.indexOf(id) !== i);
    if (clash) throw new MatcherError('GALLERY_INVALID', `template ${clash} is already in this gallery`);
    for (const id of ids) this.pending.add(id);
    try {
      stillWanted();
      await this.index.add(templates.map((t) => ({ id: t.templateId, vector: t.vector, metadata: t.metadata })));
      try {
        stillWanted();
      } catch (e) {
        await this.index.remove(ids).catch(() => undefined);
        throw e;
      }
      for (const t of templates) {
        this.track(t.templateId, { subjectId: t.subjectId, metadata: t.metadata, enrolledAt: t.enrolledAt });
      }
    } finally {
      for (const id of ids) this.pending.delete(id);
    }
  }

  /** Removes every template of the subject; returns how many were removed. */
  async removeSubject(subjectId: string): Promise<number> {
    const ids = this.subjects.templatesOf(subjectId);
    if (ids.length === 0) return 0;
    await this.index.remove(ids);
    for (const id of ids) this.records.delete(id);
    this.subjects.removeSubject(subjectId);
    return ids.length;
  }

  /** Every template with its vector, read back from the index. */
  async export(embedder: EmbedderId): Promise<GalleryState> {
    const vectors = new Map((await this.index.entries()).map((e) => [e.id, e.vector]));
    const templates = [...this.records].map(([templateId, rec]) => {
      const vector = vectors.get(templateId);
      if (!vector) throw new MatcherError('INDEX_ERROR', `template ${templateId} is missing from the index`);
      return { templateId, subjectId: rec.subjectId, vector, metadata: rec.metadata, enrolledAt: rec.enrolledAt };
    });
    return { embedder, templates };
  }
}
