/**
 * A worker thread of `enroll` and `search`: one Matcher on one ONNX Runtime thread (the README's
 * large-folder recipe), taking one job at a time from the main thread. Photos arrive as bytes
 * (the main thread has read them to hash them); results go back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Matcher, MatcherError, type IdentifyResult, type Metadata, type NodeMatcherOptions } from '../node.js';

export interface WorkerInit {
  options: NodeMatcherOptions;
  /** A gallery to search (plain bytes: the main thread has already decrypted it). */
  gallery?: Uint8Array;
}

export type Job =
  | { id: number; kind: 'enroll'; subjectId: string; bytes: Uint8Array; metadata: Metadata; crop: boolean; face?: 'largest' | 'central' }
  | { id: number; kind: 'identify'; bytes: Uint8Array; k: number; crop: boolean };

export type Reply =
  | { id: number; ok: true; kind: 'enroll'; gallery: Uint8Array; face: IdentifyResult['face'] }
  | { id: number; ok: true; kind: 'identify'; faces: IdentifyResult[] }
  | { id: number; ok: false; code: string; message: string };

export type Hello = { ready: true } | { ready: false; code: string; message: string };

async function handle(m: Matcher, job: Job): Promise<Reply> {
  try {
    if (job.kind === 'identify') return { id: job.id, ok: true, kind: 'identify', faces: await m.identify(job.bytes, { k: job.k, crop: job.crop }) };
    const r = await m.enroll(job.subjectId, job.bytes, { metadata: job.metadata, crop: job.crop, ...(job.face ? { face: job.face } : {}) });
    // The template leaves as a one-template gallery for the main thread to merge; this
    // matcher stays empty, so ids never clash.
    const gallery = await m.save();
    await m.remove(job.subjectId);
    return { id: job.id, ok: true, kind: 'enroll', gallery, face: r.face };
  } catch (e) {
    const code = e instanceof MatcherError ? e.code : ((e as NodeJS.ErrnoException).code ?? 'INTERNAL');
    return { id: job.id, ok: false, code, message: (e as Error).message };
  }
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  let m: Matcher;
  try {
    m = await Matcher.create({ ...init.options, threads: 1 });
    if (init.gallery) await m.loadGallery(init.gallery);
  } catch (e) {
    port.postMessage({ ready: false, code: e instanceof MatcherError ? e.code : 'INTERNAL', message: (e as Error).message } satisfies Hello);
    return;
  }
  let chain = Promise.resolve();
  port.on('message', (job: Job) => {
    chain = chain.then(async () => {
      const reply = await handle(m, job);
      port.postMessage(reply, reply.ok && reply.kind === 'enroll' ? [reply.gallery.buffer as ArrayBuffer] : []);
    });
  });
  port.postMessage({ ready: true } satisfies Hello);
}

void main();
