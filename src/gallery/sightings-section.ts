/**
 * The sightings part of a gallery file (format version 2): street photos with their faces,
 * the grouping's ids and options, and the reviewer's decisions. Vectors are stored packed
 * beside the templates' (see format.ts); this module checks and (de)serialises the rest.
 */
import { z } from 'zod';
import type { MatcherErrorCode } from '../core/errors.js';
import type { FaceQuality } from '../core/quality.js';
import type { Box, Point } from '../core/types.js';
import type { Metadata } from '../indexes/index.js';
import { groupingOptionsSchema, type ResolvedGroupingOptions } from '../sightings/options.js';
import { fail, isIsoDate, metadataProblem } from './records.js';

export interface SightingFaceRecord {
  box: Box;
  score: number;
  landmarks: Point[];
  quality?: FaceQuality;
  assumedCrop?: boolean;
  /** Unit-length embedding. */
  vector: Float32Array;
}

export interface SightingRecord {
  sightingId: string;
  metadata: Metadata;
  /** ISO 8601 date-time the photo was added. */
  addedAt: string;
  /** Largest first, as `detect` orders them; face i is addressed as (sightingId, i). */
  faces: SightingFaceRecord[];
}

export interface SightingsGrouping {
  options: ResolvedGroupingOptions;
  /** Number of the next new group id (ids are never reused). */
  nextGroup: number;
  /** Face id (`sightingId#faceIndex`) -> group id. */
  groupOf: Record<string, string>;
  decisions: { together: string[][]; apart: [string[], string[]][] };
}

export interface SightingsState {
  sightings: SightingRecord[];
  grouping: SightingsGrouping;
}

export function faceId(sightingId: string, faceIndex: number): string {
  return `${sightingId}#${faceIndex}`;
}

const SIGHTING_KEYS = new Set(['sightingId', 'metadata', 'addedAt', 'faces']);
const FACE_KEYS = new Set(['box', 'score', 'landmarks', 'quality', 'assumedCrop']);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function faceProblem(f: unknown): string | undefined {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) return 'not an object';
  const r = f as Record<string, unknown>;
  for (const key in r) if (!FACE_KEYS.has(key)) return `unknown field '${key}'`;
  const b = r.box as Record<string, unknown> | undefined;
  if (!b || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height) || b.width < 0 || b.height < 0) return 'box must hold finite x, y, width, height';
  if (!finite(r.score)) return 'score must be a finite number';
  if (!Array.isArray(r.landmarks) || !r.landmarks.every((p) => Array.isArray(p) && p.length === 2 && finite(p[0]) && finite(p[1]))) return 'landmarks must be [x, y] pairs';
  if (r.assumedCrop !== undefined && typeof r.assumedCrop !== 'boolean') return 'assumedCrop must be a boolean';
  if (r.quality !== undefined) {
    const q = r.quality as Record<string, unknown>;
    if (typeof q !== 'object' || q === null || !['eyeDistance', 'sharpness', 'yaw', 'roll', 'detectorScore'].every((k) => finite(q[k])) || typeof q.ok !== 'boolean' || !Array.isArray(q.issues)) {
      return 'quality is malformed';
    }
  }
  return undefined;
}

function sightingProblem(s: unknown): string | undefined {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return 'not an object';
  const r = s as Record<string, unknown>;
  for (const key in r) if (!SIGHTING_KEYS.has(key)) return `unknown field '${key}'`;
  if (typeof r.sightingId !== 'string' || r.sightingId.length === 0 || r.sightingId.length > 256) return 'sightingId must be a string of 1 to 256 characters';
  if (!isIsoDate(r.addedAt)) return 'addedAt must be an ISO 8601 date-time';
  if (!Array.isArray(r.faces)) return 'faces must be an array';
  for (let i = 0; i < r.faces.length; i++) {
    const p = faceProblem(r.faces[i]);
    if (p) return `face ${i}: ${p}`;
  }
  return metadataProblem(r.metadata);
}

const groupingSchema = z
  .object({
    options: groupingOptionsSchema,
    nextGroup: z.number().int().min(1),
    groupOf: z.record(z.string(), z.string().min(1)),
    decisions: z
      .object({
        together: z.array(z.array(z.string())),
        apart: z.array(z.tuple([z.array(z.string()), z.array(z.string())])),
      })
      .strict(),
  })
  .strict();

type SightingJson = Omit<SightingRecord, 'faces'> & { faces: Omit<SightingFaceRecord, 'vector'>[] };

/** The JSON part (without vectors), after checking the state the way `checkSightingsJson` checks a file. */
export function sightingsJson(state: SightingsState, dim: number): { json: unknown; vectors: Float32Array[] } {
  const vectors: Float32Array[] = [];
  const sightings: SightingJson[] = state.sightings.map((s) => ({
    sightingId: s.sightingId,
    metadata: s.metadata,
    addedAt: s.addedAt,
    faces: s.faces.map(({ vector, ...face }) => {
      if (!(vector instanceof Float32Array) || vector.length !== dim) fail('INVALID_ARGUMENT', `sighting ${s.sightingId}: vectors must be Float32Arrays of ${dim} elements`);
      vectors.push(vector);
      return face;
    }),
  }));
  const json = { sightings, grouping: state.grouping };
  checkSightingsJson(JSON.parse(JSON.stringify(json)), vectors.length, 'INVALID_ARGUMENT');
  return { json, vectors };
}

/** Validates the section read from a file (or about to be written) and returns it typed. */
export function checkSightingsJson(json: unknown, faceCount: number, code: MatcherErrorCode): { sightings: SightingJson[]; grouping: SightingsGrouping } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(code, 'sightings section must be an object');
  const { sightings, grouping, ...rest } = json as Record<string, unknown>;
  if (Object.keys(rest).length) fail(code, `sightings section: unknown field '${Object.keys(rest)[0]}'`);
  if (!Array.isArray(sightings)) fail(code, 'sightings must be an array');
  const ids = new Set<string>();
  const faces = new Set<string>();
  sightings.forEach((s, i) => {
    const p = sightingProblem(s);
    if (p) fail(code, `sighting ${i}: ${p}`);
    const rec = s as SightingJson;
    if (ids.has(rec.sightingId)) fail(code, `sighting ${i}: sightingId '${rec.sightingId}' appears twice`);
    ids.add(rec.sightingId);
    rec.faces.forEach((_, f) => faces.add(faceId(rec.sightingId, f)));
  });
  if (faces.size !== faceCount) fail(code, `sightings hold ${faces.size} faces but the file has ${faceCount} sighting vectors`);
  const g = groupingSchema.safeParse(grouping);
  if (!g.success) fail(code, `sightings grouping: ${g.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
  const unknown = [...Object.keys(g.data.groupOf), ...g.data.decisions.together.flat(), ...g.data.decisions.apart.flat(2)].find((f) => !faces.has(f));
  if (unknown !== undefined) fail(code, `sightings grouping names face '${unknown}', which is not in the file`);
  return { sightings: sightings as SightingJson[], grouping: g.data as SightingsGrouping };
}

/** Puts the vectors back on their faces, in file order. */
export function withVectors(sightings: readonly SightingJson[], vector: (i: number) => Float32Array): SightingRecord[] {
  let i = 0;
  return sightings.map((s) => ({ ...s, faces: s.faces.map((f) => ({ ...f, vector: vector(i++) })) }));
}
