/**
 * Worker threads for `enroll` and `search`: one Matcher with one ONNX Runtime thread per core
 * beats one Matcher with all cores (the pipeline has long single-threaded stretches; README,
 * "Enrolling a large folder"). Each worker serves one job at a time.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MatcherError } from '../node.js';
import type { Hello, Job, Reply, WorkerInit } from './worker.js';

/** dist/cli.js starts dist/cli-worker.js; from source, the .ts worker through tsx. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./worker-dev.mjs', here) : new URL('./cli-worker.js', here);
}

export function defaultWorkers(jobs: number): number {
  return Math.max(1, Math.min(availableParallelism(), jobs));
}

type JobInput = Job extends infer J ? (J extends Job ? Omit<J, 'id'> : never) : never;

export class MatcherWorker {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      w?.resolve(r);
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new MatcherError('INFERENCE_FAILED', `a worker thread stopped (exit code ${code})`)));
  }

  static async start(init: WorkerInit): Promise<MatcherWorker> {
    const worker = new Worker(workerUrl(), { workerData: init });
    const hello = await new Promise<Hello>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new MatcherError('INFERENCE_FAILED', `a worker thread stopped while starting (exit code ${code})`)));
    });
    if (!hello.ready) {
      await worker.terminate();
      throw new MatcherError(hello.code as never, hello.message);
    }
    return new MatcherWorker(worker);
  }

  /** Photo bytes are copied, not transferred: a file's Buffer may share memory with others. */
  run(job: JobInput): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...job, id });
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** Starts `n` workers (all or none: a failure stops the ones already started). */
export async function startWorkers(n: number, init: WorkerInit): Promise<MatcherWorker[]> {
  const started = await Promise.allSettled(Array.from({ length: n }, () => MatcherWorker.start(init)));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((s) => (s as PromiseFulfilledResult<MatcherWorker>).value);
}
