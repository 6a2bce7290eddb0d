/** Ranking: index hits -> one candidate per subject (its best template), scored and calibrated. */
import { MatcherError } from '../core/errors.js';
import type { Index } from '../indexes/index.js';
import type { Scores } from './scores.js';
import type { Templates } from './templates.js';
import type { Candidate, IdentifyOptions } from './types.js';

export type RankOptions = Pick<IdentifyOptions, 'minScore' | 'filter'>;

export function checkK(k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new MatcherError('INVALID_ARGUMENT', `k must be a positive integer (got ${k})`);
  return k;
}

/** Best template per subject: asks the index for enough templates to cover k subjects. */
export async function rankSubjects(
  gallery: { index: Index; templates: Templates; scores: Scores },
  query: Float32Array,
  k: number,
  options: RankOptions,
): Promise<Candidate[]> {
  const { index, templates, scores } = gallery;
  const perSubject = Math.max(1, templates.maxPerSubject);
  const want = Math.min(templates.size.templates, k * perSubject);
  if (want === 0) return [];
  const hits = await index.search(query, want, options.filter ? { filter: options.filter } : {});
  const best = new Map<string, Candidate>();
  const threshold = scores.threshold;
  for (const h of hits) {
    const rec = templates.get(h.id);
    if (!rec || best.has(rec.subjectId)) continue;
    if (options.minScore !== undefined && h.score < options.minScore) continue;
    best.set(rec.subjectId, {
      subjectId: rec.subjectId,
      templateId: h.id,
      score: h.score,
      metadata: rec.metadata,
      match: h.score >= threshold,
      falseMatchRate: scores.falseMatchRates(h.score),
    });
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, k);
}
