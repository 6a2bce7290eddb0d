/** Enrolment: the chosen face of a photo (by default the largest, refused when ambiguous) becomes a template of a subject. */
import { MatcherError } from '../core/errors.js';
import type { Metadata } from '../indexes/index.js';
import type { MatcherCore } from './core.js';
import type { StillWanted } from './guard.js';
import type { EnrollOptions, EnrollResult } from './types.js';

export async function enroll<Input>(
  core: MatcherCore<Input>,
  subjectId: string,
  input: Input,
  options: EnrollOptions,
  stillWanted: StillWanted,
): Promise<EnrollResult> {
  checkSubjectId(subjectId);
  const metadata = checkMetadata(options.metadata);
  const { face, embedding } = await core.pipeline.chosenFace(input, options, 'enrollment photo', options.face);
  // The subject is recoverable from the id (see Templates.adoptIndexEntries).
  const templateId = `${subjectId}#${globalThis.crypto.randomUUID()}`;
  const enrolledAt = new Date().toISOString();
  await core.templates.add([{ templateId, subjectId, vector: embedding, metadata, enrolledAt }], stillWanted);
  return { subjectId, templateId, face };
}

export function checkSubjectId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.trim().length === 0) {
    throw new MatcherError('INVALID_ARGUMENT', `subjectId must be a non-empty string (got ${JSON.stringify(id) ?? String(id)})`);
  }
  if (id.length > 256) throw new MatcherError('INVALID_ARGUMENT', 'subjectId is longer than 256 characters');
}

export function checkMetadata(m: unknown): Metadata {
  if (m === undefined) return {};
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new MatcherError('INVALID_ARGUMENT', 'metadata must be a plain object of string/number/boolean/null values');
  }
  for (const [k, v] of Object.entries(m)) {
    const t = typeof v;
    if (!(v === null || t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v)))) {
      throw new MatcherError('INVALID_ARGUMENT', `metadata.${k} must be a string, finite number, boolean or null`);
    }
  }
  return { ...(m as Metadata) };
}
