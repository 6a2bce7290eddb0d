/** Validation shared by the gallery file's sections: hand-written, because a 100k-record gallery made zod take over a second. */
import { MatcherError, type MatcherErrorCode } from '../core/errors.js';
import type { Metadata } from '../indexes/index.js';

/** Vectors must be unit length, as every index expects. */
const NORM_TOLERANCE = 1e-3;

export function fail(code: MatcherErrorCode, message: string, cause?: unknown): never {
  throw new MatcherError(code, message, cause === undefined ? undefined : { cause });
}

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface TemplateRecord {
  templateId: string;
  subjectId: string;
  metadata: Metadata;
  enrolledAt: string;
}

const RECORD_KEYS = new Set(['templateId', 'subjectId', 'metadata', 'enrolledAt']);

/** A problem description, or undefined when the record is valid. */
function recordProblem(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'not an object';
  const rec = r as Record<string, unknown>;
  for (const key in rec) if (!RECORD_KEYS.has(key)) return `unknown field '${key}'`;
  if (typeof rec.templateId !== 'string' || rec.templateId.length === 0) return 'templateId must be a non-empty string';
  if (typeof rec.subjectId !== 'string' || rec.subjectId.length === 0) return 'subjectId must be a non-empty string';
  if (!isIsoDate(rec.enrolledAt)) return 'enrolledAt must be an ISO 8601 date-time';
  return metadataProblem(rec.metadata);
}

export function isIsoDate(x: unknown): x is string {
  return typeof x === 'string' && isoDate.test(x) && !Number.isNaN(Date.parse(x));
}

/** A problem description for anything that is not flat metadata, or undefined. */
export function metadataProblem(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'metadata must be an object';
  for (const key in m) {
    const v = (m as Record<string, unknown>)[key];
    if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
      return `metadata '${key}' must be a string, finite number, boolean or null`;
    }
  }
  return undefined;
}

/** Checks `count` packed vectors; returns the index of the first bad one, or -1. */
export function firstBadVector(data: Float32Array, offset: number, dim: number, count: number): number {
  for (let t = 0, base = offset; t < count; t++, base += dim) {
    let sum = 0;
    for (let i = base; i < base + dim; i++) {
      const x = data[i]!;
      sum += x * x;
    }
    // A NaN or infinite element makes the sum NaN or infinite, which fails this test too.
    if (!(Math.abs(Math.sqrt(sum) - 1) <= NORM_TOLERANCE)) return t;
  }
  return -1;
}

export function checkRecords(records: unknown[], code: MatcherErrorCode): asserts records is TemplateRecord[] {
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const problem = recordProblem(records[i]);
    if (problem) fail(code, `template ${i}: ${problem}`);
    const id = (records[i] as TemplateRecord).templateId;
    if (seen.has(id)) fail(code, `template ${i}: templateId '${id}' appears twice`);
    seen.add(id);
  }
}

