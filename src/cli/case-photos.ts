/**
 * The case folder `enroll` reads: one sub-folder per case (folder name = case id), photos in
 * it (sub-folders walked), and an optional case.json of flat fields stored with every photo.
 * What each template records about its photo is here too, because `search` reads it back.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { MatcherError, type Box, type Face, type Metadata } from '../node.js';
import { UsageError } from './command.js';
import { imagesUnder, isImageName } from './images.js';

export interface CasePhoto {
  caseId: string;
  /** Path to read. */
  file: string;
  /** Path relative to the case folder root, with `/`: what reports and summaries name. */
  rel: string;
  /** The case's case.json fields. */
  fields: Metadata;
}

export interface Problem {
  file: string;
  problem: string;
}

export interface CaseScan {
  cases: number;
  photos: CasePhoto[];
  problems: Problem[];
}

/**
 * Template metadata keys the CLI writes (case.json may not use them): where the photo was,
 * its content hash (so a re-run skips it, and a report can tell it changed), the face box.
 */
export const PHOTO_KEYS = { photo: 'photo', sha256: 'photoSha256', box: 'faceBox', quality: 'faceQuality', root: 'casesDir' } as const;
const RESERVED = new Set<string>(Object.values(PHOTO_KEYS));

export const posix = (p: string) => p.split(sep).join('/');

export async function scanCases(dir: string): Promise<CaseScan> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new MatcherError('FILE_NOT_FOUND', `case folder ${dir} does not exist or cannot be read`);
  }
  const scan: CaseScan = { cases: 0, photos: [], problems: [] };
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isDirectory() === true);
    if (!isDir && isImageName(e.name)) scan.problems.push({ file: e.name, problem: 'not in a case folder (one sub-folder per case), skipped' });
    if (!isDir) continue;
    scan.cases++;
    let fields: Metadata;
    try {
      fields = await caseFields(join(path, 'case.json'));
    } catch (err) {
      scan.problems.push({ file: `${e.name}/case.json`, problem: `${(err as Error).message}; the case's photos were skipped` });
      continue;
    }
    for (const file of await imagesUnder(path)) scan.photos.push({ caseId: e.name, file, rel: posix(relative(dir, file)), fields });
  }
  if (scan.cases === 0) throw new UsageError(`${dir} has no case folders: put each case's photos in a sub-folder named after the case`);
  return scan;
}

async function caseFields(file: string): Promise<Metadata> {
  let text: string;
  try {
    if (!(await stat(file)).isFile()) return {};
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('must be a JSON object of fields');
  const out: Metadata = {};
  for (const [k, v] of Object.entries(value)) {
    if (RESERVED.has(k)) throw new Error(`field "${k}" is reserved (the CLI records it for every photo)`);
    const t = typeof v;
    if (!(v === null || t === 'string' || t === 'boolean' || (t === 'number' && Number.isFinite(v)))) {
      throw new Error(`field "${k}" must be a string, number, boolean or null (no nested objects or lists)`);
    }
    out[k] = v as Metadata[string];
  }
  return out;
}

/** The metadata stored with a case photo's template. */
export function photoMetadata(p: CasePhoto, sha256: string, casesDir: string): Metadata {
  return { ...p.fields, [PHOTO_KEYS.photo]: p.rel, [PHOTO_KEYS.sha256]: sha256, [PHOTO_KEYS.root]: casesDir };
}

/** Adds what only the enrolment knows (the face found) to the metadata. */
export function withFace(meta: Metadata, face: Face): Metadata {
  const b = face.box;
  const issues = [...(face.quality?.issues ?? []), ...(face.assumedCrop ? ['no-face-detected'] : [])];
  return {
    ...meta,
    [PHOTO_KEYS.box]: [b.x, b.y, b.width, b.height].map((v) => Math.round(v)).join(','),
    ...(issues.length ? { [PHOTO_KEYS.quality]: issues.join(',') } : {}),
  };
}

export function parseBox(s: unknown): Box | undefined {
  if (typeof s !== 'string') return undefined;
  const n = s.split(',').map(Number);
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v))) return undefined;
  return { x: n[0]!, y: n[1]!, width: n[2]!, height: n[3]! };
}

/** The case.json fields of a template's metadata (what the CLI recorded left out). */
export function caseFieldsOf(meta: Metadata): Metadata {
  return Object.fromEntries(Object.entries(meta).filter(([k]) => !RESERVED.has(k)));
}
