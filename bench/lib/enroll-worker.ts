/** Worker for the enrollment throughput bench: one matcher, one ORT thread, its share of the files. */
import { parentPort, workerData } from 'node:worker_threads';
import { Matcher } from '../../src/node.js';

const { files } = workerData as { files: string[] };
const m = await Matcher.create({ threads: 1, threshold: 0 });
for (const f of files) await m.embed(f, { crop: true });
await m.dispose();
parentPort!.postMessage('done');
