/**
 * Ranks the cases (subjects) against every face of a sightings group, through the cases
 * index's own search, so it works the same on flat, HNSW and pgvector indexes.
 */
import { combinedQuery, combineFaceScores, type CombineMethod, type ScoredFace } from '../core/combine-scores.js';

export interface TemplateHit {
  id: string;
  score: number;
}

export interface RankedSubject {
  subjectId: string;
  /** The template behind the score (for per-face methods, the one the best face matched). */
  templateId: string;
  score: number;
}

export interface RankGroupInput {
  faces: readonly ScoredFace[];
  method: CombineMethod;
  k: number;
  /** Top templates for a query vector, best first. */
  search: (query: Float32Array, n: number) => Promise<TemplateHit[]>;
  subjectOf: (templateId: string) => string | undefined;
  /** Templates to ask for per wanted subject (the most templates any subject has). */
  perSubject: number;
  /** Templates in the gallery: never ask for more. */
  templates: number;
}

/** Best template of each subject among hits, best first. */
function bestPerSubject(hits: readonly TemplateHit[], subjectOf: (id: string) => string | undefined): Map<string, TemplateHit> {
  const best = new Map<string, TemplateHit>();
  for (const h of hits) {
    const s = subjectOf(h.id);
    if (s !== undefined && !best.has(s)) best.set(s, h);
  }
  return best;
}

/**
 * Each face's own top list covers enough subjects for k; a subject missing from one face's
 * list is scored for that face at the list's lowest score, an upper bound of its true score
 * (exact for `best`: a subject in the true top k is in some face's list at its best score).
 */
export async function rankGroup(input: RankGroupInput): Promise<RankedSubject[]> {
  const { faces, method, k, search, subjectOf } = input;
  const want = Math.min(input.templates, k * Math.max(1, input.perSubject));
  if (want === 0 || faces.length === 0) return [];
  const query = combinedQuery(method, faces);
  if (query) {
    const best = bestPerSubject(await search(query, want), subjectOf);
    return [...best].map(([subjectId, h]) => ({ subjectId, templateId: h.id, score: h.score })).slice(0, k);
  }
  const perFace: Map<string, TemplateHit>[] = [];
  const floor: number[] = [];
  for (const f of faces) {
    const hits = await search(f.embedding, want);
    perFace.push(bestPerSubject(hits, subjectOf));
    floor.push(hits.length === want ? hits[hits.length - 1]!.score : -1);
  }
  const subjects = new Set(perFace.flatMap((m) => [...m.keys()]));
  const ranked: RankedSubject[] = [];
  for (const subjectId of subjects) {
    let top: TemplateHit | undefined;
    const scores = perFace.map((m, i) => {
      const h = m.get(subjectId);
      if (h && (!top || h.score > top.score)) top = h;
      return h ? h.score : floor[i]!;
    });
    ranked.push({ subjectId, templateId: top!.id, score: combineFaceScores(method as 'best' | 'top2-mean', scores) });
  }
  return ranked.sort((a, b) => b.score - a.score || (a.subjectId < b.subjectId ? -1 : 1)).slice(0, k);
}
