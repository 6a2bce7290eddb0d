/**
 * What a review holds, as plain data: one entry per face found in the searched photos, with
 * its ranked cases. The CLI writes it as JSON, renders it as the HTML report, and the browser
 * demo builds the same thing in the page. No Node or DOM here.
 */
import type { Box, Candidate, IdentifyResult, Metadata } from '../public.js';

export const LEADS_FORMAT = 'reunite-face-leads';

export interface CaseLead {
  rank: number;
  caseId: string;
  templateId: string;
  /** Cosine similarity of the two faces. */
  score: number;
  /** score >= the threshold. */
  match: boolean;
  falseMatchRate: { adult?: number; childAdult?: number };
  /** The case photo that matched best (its template), when the gallery recorded it. */
  casePhoto?: string;
  /** Where that photo was found when the leads were made, and its SHA-256 then (crops are checked against it). */
  casePhotoFile?: string;
  casePhotoSha256?: string;
  caseBox?: Box;
  /** Quality issues of the case photo's face. */
  caseIssues: string[];
  /** What is known about the case (case.json): shown with the lead. */
  fields: Metadata;
}

export interface FaceLead {
  /** `photo#face`: the key decisions refer to. */
  id: string;
  photo: string;
  /** 1 = the largest face of the photo. */
  face: number;
  box: Box;
  /** 'small', 'blurred', 'turned', 'no-face-detected'. */
  issues: string[];
  candidates: CaseLead[];
}

export interface LeadsDoc {
  format: typeof LEADS_FORMAT;
  version: 1;
  /** Random: ties exported decisions to this review. */
  id: string;
  generatedAt: string;
  gallery: { name: string; cases: number; photos: number };
  threshold: number;
  /**
   * Impostor pairs behind each false-match rate: a rate of 1/pairs means "this many or fewer"
   * (no impostor of the calibration set scored as high).
   */
  calibrationPairs?: { adult?: number; childAdult?: number };
  k: number;
  searched: { photos: number; of: number; interrupted: boolean };
  /** Photos searched in which no face was found. */
  noFace: string[];
  problems: { photo: string; problem: string }[];
  /** Strongest leads first (see sortFaceLeads). */
  faces: FaceLead[];
}

/** How a gallery's template metadata names the case photo; the default reads nothing. */
export interface CasePhotoReader {
  (metadata: Metadata): { photo?: string; file?: string; sha256?: string; box?: Box; issues?: string[]; fields: Metadata };
}

const plainFields: CasePhotoReader = (metadata) => ({ fields: metadata });

export function faceIssues(face: IdentifyResult['face']): string[] {
  return [...(face.quality?.issues ?? []), ...(face.assumedCrop ? ['no-face-detected'] : [])];
}

export function caseLead(c: Candidate, rank: number, read: CasePhotoReader = plainFields): CaseLead {
  const p = read(c.metadata);
  return {
    rank,
    caseId: c.subjectId,
    templateId: c.templateId,
    score: c.score,
    match: c.match,
    falseMatchRate: { ...c.falseMatchRate },
    ...(p.photo !== undefined ? { casePhoto: p.photo } : {}),
    ...(p.file !== undefined ? { casePhotoFile: p.file } : {}),
    ...(p.sha256 !== undefined ? { casePhotoSha256: p.sha256 } : {}),
    ...(p.box !== undefined ? { caseBox: p.box } : {}),
    caseIssues: p.issues ?? [],
    fields: p.fields,
  };
}

/** The faces of one searched photo as leads (faces keep the matcher's order: largest first). */
export function faceLeads(photo: string, results: IdentifyResult[], read?: CasePhotoReader): FaceLead[] {
  return results.map((r, i) => ({
    id: `${photo}#${i + 1}`,
    photo,
    face: i + 1,
    box: roundBox(r.face.box),
    issues: faceIssues(r.face),
    candidates: r.candidates.map((c, j) => caseLead(c, j + 1, read)),
  }));
}

function roundBox(b: Box): Box {
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
}

/** Strongest lead first: by each face's best score; faces without candidates last; ties by photo name. */
export function sortFaceLeads(faces: FaceLead[]): FaceLead[] {
  const best = (f: FaceLead) => f.candidates[0]?.score ?? -Infinity;
  return [...faces].sort((a, b) => best(b) - best(a) || a.photo.localeCompare(b.photo) || a.face - b.face);
}

/**
 * The impostor pairs behind `falseMatchRate.adult` (LFW) and `.childAdult` (lag-dev) for an
 * embedder, from the shipped models/calibration.json (read by the CLI, fetched by a page).
 */
export function calibrationPairsOf(calibrations: unknown, embedderId: string): LeadsDoc['calibrationPairs'] {
  const list = (calibrations as Record<string, { set?: string; impostorPairs?: number }[]> | null)?.[embedderId];
  if (!Array.isArray(list)) return undefined;
  const pairs = (set: string) => list.find((c) => c.set === set)?.impostorPairs;
  const adult = pairs('lfw');
  const childAdult = pairs('lag-dev');
  return { ...(adult ? { adult } : {}), ...(childAdult ? { childAdult } : {}) };
}
