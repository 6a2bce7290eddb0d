/**
 * The work behind `reunite-face enroll`: hash every case photo, skip those the gallery already
 * holds (same case, same content), enroll the rest on worker threads, merge each template into
 * the gallery as it arrives and save it atomically every few seconds and at the end, so a crash
 * or Ctrl-C loses at most the last few seconds and a re-run continues where it stopped.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Matcher, NodeMatcherOptions } from '../node.js';
import { type CasePhoto, type Problem, PHOTO_KEYS, photoMetadata, posix, scanCases } from './case-photos.js';
import { openGallery } from './gallery-file.js';
import { errnoText } from './images.js';
import { type MatcherWorker, defaultWorkers, startWorkers } from './pool.js';
import type { Progress } from './progress.js';

export interface EnrollRequest {
  dir: string;
  gallery: string;
  passphrase?: string;
  options: NodeMatcherOptions;
  crop: boolean;
  /** Which face of a photo with several is the case; without it such photos are listed in `ambiguous`. */
  face?: 'largest' | 'central';
  workers?: number;
  /** Seconds between saves while enrolling. */
  saveEvery: number;
  signal: AbortSignal;
  progress(total: number): Progress;
}

export interface EnrollSummary {
  gallery: string;
  encrypted: boolean;
  cases: number;
  photos: number;
  enrolled: number;
  alreadyEnrolled: number;
  noFace: string[];
  /** Photos with several faces of similar size and no --face rule: not enrolled. */
  ambiguous: string[];
  problems: Problem[];
  galleryCases: number;
  galleryPhotos: number;
  workers: number;
  seconds: number;
  photosPerSecond: number;
  interrupted: boolean;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const key = (caseId: string, sha: string) => `${caseId}\0${sha}`;

/** Case+hash of every template the gallery holds (templates enrolled by other tools have no hash). */
async function enrolledKeys(m: Matcher): Promise<Set<string>> {
  const out = new Set<string>();
  for (const t of (await m.exportGallery()).templates) {
    const sha = t.metadata[PHOTO_KEYS.sha256];
    if (typeof sha === 'string') out.add(key(t.subjectId, sha));
  }
  return out;
}

export async function enrollCases(req: EnrollRequest): Promise<EnrollSummary> {
  const t0 = performance.now();
  const scan = await scanCases(req.dir);
  const casesDir = posix(relative(dirname(resolve(req.gallery)), resolve(req.dir))) || '.';
  const { matcher: m } = await openGallery(req.gallery, { ...req.options, threads: 1, create: true, ...(req.passphrase ? { passphrase: req.passphrase } : {}) });
  const summary: EnrollSummary = {
    gallery: req.gallery,
    encrypted: req.passphrase !== undefined,
    cases: scan.cases,
    photos: scan.photos.length,
    enrolled: 0,
    alreadyEnrolled: 0,
    noFace: [],
    ambiguous: [],
    problems: [...scan.problems],
    galleryCases: 0,
    galleryPhotos: 0,
    workers: 0,
    seconds: 0,
    photosPerSecond: 0,
    interrupted: false,
  };
  const bar = req.progress(scan.photos.length);
  let workers: MatcherWorker[] = [];
  // Merges and saves one at a time: a save must not see a half-merged template.
  let chain: Promise<void> = Promise.resolve();
  const serial = (fn: () => Promise<void>) => (chain = chain.catch(() => undefined).then(fn));
  let dirty = false;
  let lastSave = Date.now();
  const save = async () => {
    if (!dirty) return;
    dirty = false;
    lastSave = Date.now();
    await m.saveToFile(req.gallery, req.passphrase ? { passphrase: req.passphrase } : {});
  };
  const unreadable = (photo: CasePhoto, e: unknown) => {
    summary.problems.push({ file: photo.rel, problem: `cannot read: ${errnoText(e)}` });
    bar.tick();
  };
  let failure: unknown;
  try {
    const known = await enrolledKeys(m);
    const todo: { photo: CasePhoto; sha: string }[] = [];
    for (const photo of scan.photos) {
      let sha: string;
      try {
        sha = await sha256File(photo.file);
      } catch (e) {
        unreadable(photo, e);
        continue;
      }
      if (known.has(key(photo.caseId, sha))) {
        summary.alreadyEnrolled++;
        bar.tick();
        continue;
      }
      // The same photo twice in one case is enrolled once.
      known.add(key(photo.caseId, sha));
      todo.push({ photo, sha });
    }
    const tWork = performance.now();
    if (todo.length > 0 && !req.signal.aborted) {
      workers = await startWorkers(req.workers ?? defaultWorkers(todo.length), { options: req.options });
      summary.workers = workers.length;
      let next = 0;
      const runner = async (w: MatcherWorker) => {
        while (next < todo.length && !req.signal.aborted) {
          const { photo, sha } = todo[next++]!;
          let bytes: Uint8Array;
          try {
            bytes = await readFile(photo.file);
          } catch (e) {
            unreadable(photo, e);
            continue;
          }
          const metadata = photoMetadata(photo, sha, casesDir);
          const r = await w.run({ kind: 'enroll', subjectId: photo.caseId, bytes, metadata, crop: req.crop, ...(req.face ? { face: req.face } : {}) });
          if (r.ok && r.kind === 'enroll') {
            await serial(async () => {
              await m.loadGallery(r.gallery);
              summary.enrolled++;
              dirty = true;
              if (Date.now() - lastSave >= req.saveEvery * 1000) await save();
            });
          } else if (!r.ok && r.code === 'NO_FACE') summary.noFace.push(photo.rel);
          else if (!r.ok && r.code === 'AMBIGUOUS_FACE') summary.ambiguous.push(photo.rel);
          else if (!r.ok) summary.problems.push({ file: photo.rel, problem: `${r.message} [${r.code}]` });
          bar.tick();
        }
      };
      await Promise.all(workers.map(runner));
    }
    summary.interrupted = req.signal.aborted;
    const seconds = (performance.now() - tWork) / 1000;
    summary.photosPerSecond = summary.enrolled > 0 ? summary.enrolled / seconds : 0;
  } catch (e) {
    failure = e;
  }
  bar.done();
  await Promise.all(workers.map((w) => w.close()));
  // Whatever was merged is saved, also when a worker failed; a failed save is never hidden.
  await serial(save).catch((e: unknown) => {
    failure ??= e;
  });
  summary.galleryCases = m.size.subjects;
  summary.galleryPhotos = m.size.templates;
  await m.dispose();
  if (failure !== undefined) throw failure;
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}
