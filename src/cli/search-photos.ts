/**
 * The work behind `reunite-face search`: every face of every photo against the gallery, on
 * worker threads, into a LeadsDoc (strongest lead first). Ctrl-C stops taking photos and
 * returns what was searched.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { IdentifyResult, Matcher, NodeMatcherOptions } from '../node.js';
import { LEADS_FORMAT, type CasePhotoReader, type FaceLead, type LeadsDoc, faceLeads, sortFaceLeads } from '../report/index.js';
import { calibrationPairs } from './calibration-pairs.js';
import { PHOTO_KEYS, caseFieldsOf, parseBox, posix } from './case-photos.js';
import { UsageError } from './command.js';
import { openGallery } from './gallery-file.js';
import { errnoText } from './images.js';
import { type MatcherWorker, defaultWorkers, startWorkers } from './pool.js';
import type { Progress } from './progress.js';

export interface SearchRequest {
  photos: string[];
  gallery: string;
  passphrase?: string;
  options: NodeMatcherOptions;
  crop: boolean;
  k: number;
  workers?: number;
  /** Where the case photos are now, when their folder moved since enroll. */
  cases?: string;
  signal: AbortSignal;
  progress(total: number): Progress;
}

export interface SearchOutcome {
  doc: LeadsDoc;
  /** The gallery's matcher, still open (case crops may need it); the caller disposes it. */
  matcher: Matcher;
}

/**
 * What `enroll` recorded about each case photo, read back from a template's metadata; the
 * photo is looked for in `casesDir` (the folder given to enroll, as seen from the gallery
 * file's folder) or in `--cases DIR` when the folder has moved.
 */
export function casePhotoReader(gallery: string, casesOverride?: string): CasePhotoReader {
  return (meta) => {
    const photo = meta[PHOTO_KEYS.photo];
    const root = meta[PHOTO_KEYS.root];
    const sha256 = meta[PHOTO_KEYS.sha256];
    const box = parseBox(meta[PHOTO_KEYS.box]);
    const quality = meta[PHOTO_KEYS.quality];
    const dir = casesOverride ?? (typeof root === 'string' ? resolve(dirname(resolve(gallery)), root) : undefined);
    return {
      ...(typeof photo === 'string' ? { photo } : {}),
      ...(typeof photo === 'string' && dir !== undefined ? { file: posix(relative(process.cwd(), resolve(dir, photo))) } : {}),
      ...(typeof sha256 === 'string' ? { sha256 } : {}),
      ...(box ? { box } : {}),
      issues: typeof quality === 'string' && quality ? quality.split(',') : [],
      fields: caseFieldsOf(meta),
    };
  };
}

export async function searchPhotos(req: SearchRequest): Promise<SearchOutcome> {
  if (req.photos.length === 0) throw new UsageError('no photos to search (folders are searched for .jpg, .png, .webp, ... files)');
  const { matcher: m } = await openGallery(req.gallery, { ...req.options, threads: 1, ...(req.passphrase ? { passphrase: req.passphrase } : {}) });
  let workers: MatcherWorker[] = [];
  try {
    if (m.size.templates === 0) throw new UsageError(`gallery ${req.gallery} holds no case photos yet: run reunite-face enroll first`);
    // Workers get the decrypted gallery in memory; the passphrase stays in this thread.
    workers = await startWorkers(req.workers ?? defaultWorkers(req.photos.length), { options: req.options, gallery: await m.save() });
    const found: { photo: string; faces: IdentifyResult[] }[] = [];
    const problems: LeadsDoc['problems'] = [];
    const bar = req.progress(req.photos.length);
    let next = 0;
    let searched = 0;
    const runner = async (w: MatcherWorker) => {
      while (next < req.photos.length && !req.signal.aborted) {
        const file = req.photos[next++]!;
        const photo = posix(file);
        let bytes: Uint8Array | undefined;
        try {
          bytes = await readFile(file);
        } catch (e) {
          problems.push({ photo, problem: `cannot read: ${errnoText(e)}` });
        }
        if (bytes) {
          const r = await w.run({ kind: 'identify', bytes, k: req.k, crop: req.crop });
          if (r.ok && r.kind === 'identify') found.push({ photo, faces: r.faces });
          else if (!r.ok) problems.push({ photo, problem: `${r.message} [${r.code}]` });
        }
        searched++;
        bar.tick();
      }
    };
    try {
      await Promise.all(workers.map(runner));
    } finally {
      bar.done();
    }
    found.sort((a, b) => a.photo.localeCompare(b.photo));
    const read = casePhotoReader(req.gallery, req.cases);
    const faces: FaceLead[] = found.flatMap((f) => faceLeads(f.photo, f.faces, read));
    const doc: LeadsDoc = {
      format: LEADS_FORMAT,
      version: 1,
      id: randomUUID(),
      generatedAt: new Date().toISOString(),
      gallery: { name: basename(req.gallery), cases: m.size.subjects, photos: m.size.templates },
      threshold: m.threshold,
      calibrationPairs: await calibrationPairs(m.embedderId.id),
      k: req.k,
      searched: { photos: searched, of: req.photos.length, interrupted: req.signal.aborted && searched < req.photos.length },
      noFace: found.filter((f) => f.faces.length === 0).map((f) => f.photo),
      problems: problems.sort((a, b) => a.photo.localeCompare(b.photo)),
      faces: sortFaceLeads(faces),
    };
    return { doc, matcher: m };
  } catch (e) {
    await m.dispose();
    throw e;
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}
