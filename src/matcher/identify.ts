/** Who is this: identify (every face of a photo against the gallery) and verify (two photos). */
import { dot } from '../core/vectors.js';
import type { MatcherCore } from './core.js';
import { checkK, rankSubjects } from './ranking.js';
import type { FaceOptions, IdentifyOptions, IdentifyResult, VerifyResult } from './types.js';

export async function identify<Input>(core: MatcherCore<Input>, input: Input, options: IdentifyOptions): Promise<IdentifyResult[]> {
  const k = checkK(options.k ?? 5);
  const faces = await core.pipeline.embed(input, options);
  const gallery = { index: core.parts.index, templates: core.templates, scores: core.scores };
  const out: IdentifyResult[] = [];
  for (const f of faces) out.push({ face: f.face, candidates: await rankSubjects(gallery, f.embedding, k, options) });
  return out;
}

export async function verify<Input>(core: MatcherCore<Input>, a: Input, b: Input, options: FaceOptions): Promise<VerifyResult> {
  const fa = await core.pipeline.largestFace(a, options, 'first photo');
  const fb = await core.pipeline.largestFace(b, options, 'second photo');
  const score = dot(fa.embedding, fb.embedding);
  const threshold = core.scores.threshold;
  return { score, match: score >= threshold, threshold };
}
