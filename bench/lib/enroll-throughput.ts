/**
 * Enrolment throughput baselines, in photos per second over the same files: one matcher with 2
 * ONNX Runtime intra-op threads, and the README's worker recipe (2 worker threads with one
 * matcher on 1 ORT thread each, bench/lib/enroll-worker.ts), worker start-up included.
 */
import { Worker } from 'node:worker_threads';
import { Matcher } from '../../src/node.js';

export async function oneMatcherRate(files: string[]): Promise<number> {
  const single = await Matcher.create({ threads: 2, threshold: 0 });
  try {
    const t0 = performance.now();
    for (const f of files) await single.embed(f, { crop: true });
    return files.length / ((performance.now() - t0) / 1000);
  } finally {
    await single.dispose();
  }
}

export async function workerRecipeRate(files: string[], workers = 2): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const mine = files.filter((_, i) => i % workers === w);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL('./enroll-worker.mjs', import.meta.url), { workerData: { files: mine } });
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
    }),
  );
  return files.length / ((performance.now() - t0) / 1000);
}
