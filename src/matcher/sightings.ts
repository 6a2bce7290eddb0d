/** The sightings calls: street photos in, groups of one child out, and the cases searched with a whole group. */
import { MatcherError } from '../core/errors.js';
import { identifyGroupOptionsSchema } from '../sightings/options.js';
import { rankGroup } from '../sightings/rank-group.js';
import type { AddedSighting } from '../sightings/store.js';
import type { MatcherCore } from './core.js';
import { checkMetadata } from './enroll.js';
import type { StillWanted } from './guard.js';
import type { AddSightingOptions, Candidate, IdentifyGroupOptions } from './types.js';

/** Every face of the photo (largest first) goes into the store; the groups it touches are updated. */
export async function addSighting<Input>(core: MatcherCore<Input>, input: Input, options: AddSightingOptions, stillWanted: StillWanted): Promise<AddedSighting> {
  const sightingId = options.sightingId ?? globalThis.crypto.randomUUID();
  if (typeof sightingId !== 'string' || sightingId.trim().length === 0 || sightingId.length > 256) {
    throw new MatcherError('INVALID_ARGUMENT', 'sightingId must be a non-empty string of at most 256 characters');
  }
  if (core.sightings.has(sightingId)) throw new MatcherError('INVALID_ARGUMENT', `sighting ${sightingId} is already in the store`);
  const metadata = checkMetadata(options.metadata);
  const faces = await core.pipeline.embed(input, { crop: options.crop ?? false });
  if (faces.length === 0) {
    throw new MatcherError('NO_FACE', `no face found in the sighting${options.crop ? '' : '; if it is a tight face crop, pass { crop: true }'}`);
  }
  const addedAt = new Date().toISOString();
  const record = {
    sightingId,
    metadata,
    addedAt,
    faces: faces.map(({ face, embedding }) => ({ ...face, landmarks: face.landmarks.map((p): [number, number] => [p[0], p[1]]), vector: embedding })),
  };
  await core.sightings.add(record, stillWanted);
  return { sightingId, faces: faces.map((f) => f.face) };
}

/** The cases ranked against all faces of a group, in `identify`'s candidate shape. */
export async function identifyGroup(core: MatcherCore<unknown>, groupId: string, options: IdentifyGroupOptions): Promise<Candidate[]> {
  const parsed = identifyGroupOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new MatcherError('INVALID_ARGUMENT', `identifyGroup options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const { templates, scores, parts } = core;
  const ranked = await rankGroup({
    faces: core.sightings.groupFaces(groupId),
    method: parsed.data.combine,
    k: parsed.data.k,
    search: (q, n) => parts.index.search(q, n),
    subjectOf: (id) => templates.get(id)?.subjectId,
    perSubject: templates.maxPerSubject,
    templates: templates.size.templates,
  });
  const threshold = scores.threshold;
  return ranked.map((r) => ({
    ...r,
    metadata: templates.get(r.templateId)!.metadata,
    match: r.score >= threshold,
    falseMatchRate: scores.falseMatchRates(r.score),
  }));
}
