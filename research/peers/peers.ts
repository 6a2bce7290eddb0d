/**
 * Peer libraries (@vladmandic/human, @vladmandic/face-api) measured the same
 * way as reunite-face. Import `createPeer` to run them next to ours; run this
 * file to benchmark them alone:
 *
 *   npm run bench:peers -- [--folds 1,2] [--photos 50] [--repeats 10] [--peers human,face-api]
 *                          [--pairs-per-fold 600] [--out bench/results/peers.json]
 *
 * Prints a markdown table and writes bench/results/peers.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseLfwPairs, type LfwPair } from '../../bench/lib/verification.js';
import { createFaceApiPeer } from './face-api-peer.js';
import { createHumanPeer } from './human-peer.js';
import { makeFullHdPhoto } from './image-tensor.js';
import { installNetworkGuard } from './network-guard.js';
import { PEER_NAMES, type Peer, type PeerName } from './peer.js';
import { evaluatePairs, timeEmbeds, type PairEvaluation, type TimingStats } from './peer-bench.js';
import { renderPeerTable, type PeerRow } from './report.js';

export type { Peer, PeerName } from './peer.js';
export { PEER_NAMES } from './peer.js';

export async function createPeer(name: PeerName): Promise<Peer> {
  switch (name) {
    case 'human':
      return createHumanPeer();
    case 'face-api':
      return createFaceApiPeer();
    default:
      throw new Error(`unknown peer "${String(name)}"; known: ${PEER_NAMES.join(', ')}`);
  }
}

const HERE = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(HERE, '../../../shared/data/faces');
const LFW = join(DATA, 'lfw');
const FULL_HD_SOURCE = join(DATA, 'public-domain/obama.jpg');
const WARM_UP_PHOTOS = 3;

interface CliOptions {
  folds: number[];
  photos: number;
  repeats: number;
  peers: PeerName[];
  /** For quick runs: per fold, keep the first pairsPerFold/2 same-person and different-person pairs. */
  pairsPerFold: number;
  out: string;
}

function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = {
    folds: [1, 2],
    photos: 50,
    repeats: 10,
    peers: [...PEER_NAMES],
    pairsPerFold: 600,
    out: resolve(HERE, '../../bench/results/peers.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--folds') opts.folds = value.split(',').map(Number);
    else if (flag === '--photos') opts.photos = Number(value);
    else if (flag === '--repeats') opts.repeats = Number(value);
    else if (flag === '--peers') opts.peers = value.split(',') as PeerName[];
    else if (flag === '--pairs-per-fold') opts.pairsPerFold = Number(value);
    else if (flag === '--out') opts.out = resolve(value);
    else throw new Error(`unknown option ${flag}`);
    i++;
  }
  if (opts.folds.length < 2 || opts.folds.some((f) => !Number.isInteger(f) || f < 1 || f > 10)) {
    throw new Error('--folds needs at least two fold numbers between 1 and 10');
  }
  if (!Number.isInteger(opts.photos) || opts.photos < 1) throw new Error('--photos must be a positive integer');
  if (!Number.isInteger(opts.repeats) || opts.repeats < 1) throw new Error('--repeats must be a positive integer');
  if (!Number.isInteger(opts.pairsPerFold) || opts.pairsPerFold < 2 || opts.pairsPerFold % 2) {
    throw new Error('--pairs-per-fold must be an even integer >= 2');
  }
  for (const p of opts.peers) if (!PEER_NAMES.includes(p)) throw new Error(`unknown peer ${p}`);
  return opts;
}

interface PeerResult {
  name: PeerName;
  backend: string;
  metric: string;
  versions: Record<string, string>;
  loadMs: number;
  /** os.loadavg() before and after this peer ran: other work on the machine inflates timings. */
  loadAverage: { before: number[]; after: number[] };
  lfwTiming: TimingStats;
  fullHdTiming: TimingStats;
  fullHdFaceFound: boolean;
  accuracy: PairEvaluation;
}

/** The chosen folds, each cut to its first `perFold / 2` same and different pairs. */
function selectPairs(pairs: LfwPair[], folds: number[], perFold: number): LfwPair[] {
  const kept = new Map<string, number>();
  return pairs.filter((p) => {
    if (!folds.includes(p.fold)) return false;
    const key = `${p.fold}:${p.same}`;
    const n = kept.get(key) ?? 0;
    kept.set(key, n + 1);
    return n < perFold / 2;
  });
}

async function benchPeer(name: PeerName, opts: CliOptions, fullHd: Buffer): Promise<PeerResult> {
  const pairs = parseLfwPairs(LFW);
  const timingPhotos = pairs.slice(0, opts.photos).map((p) => p.a);
  const warmUps = pairs.slice(0, WARM_UP_PHOTOS).map((p) => p.b);
  const log = (msg: string) => process.stderr.write(`[${name}] ${msg}\n`);

  const loadBefore = os.loadavg();
  const t0 = performance.now();
  const peer = await createPeer(name);
  const loadMs = performance.now() - t0;
  try {
    log(`loaded in ${loadMs.toFixed(0)} ms on ${peer.backend}`);
    for (const w of warmUps) await peer.embed(w);
    // One untimed pass at the large size too: the first call at a new input
    // shape pays for allocations the later ones do not.
    await peer.embed(fullHd);
    const lfw = await timeEmbeds(peer, timingPhotos);
    log(`LFW 250x250: median ${lfw.stats.medianMs.toFixed(1)} ms over ${lfw.stats.count} photos`);
    const big = await timeEmbeds(peer, Array.from({ length: opts.repeats }, () => fullHd));
    log(`1920x1080: median ${big.stats.medianMs.toFixed(1)} ms over ${big.stats.count} runs`);

    const known = new Map(timingPhotos.map((p, i) => [p, lfw.embeddings[i]!] as const));
    const selected = selectPairs(pairs, opts.folds, opts.pairsPerFold);
    const t1 = performance.now();
    const accuracy = await evaluatePairs(peer, selected, {
      known,
      onProgress: (done, total) => {
        if (done % 200 === 0 || done === total) log(`embedded ${done}/${total} photos`);
      },
    });
    const loadAfter = os.loadavg();
    log(`accuracy pass took ${((performance.now() - t1) / 1000).toFixed(0)} s; load average ${loadAfter[0]!.toFixed(1)}`);
    return {
      name,
      backend: peer.backend,
      metric: peer.metric,
      versions: peer.versions,
      loadMs,
      loadAverage: { before: loadBefore, after: loadAfter },
      lfwTiming: lfw.stats,
      fullHdTiming: big.stats,
      fullHdFaceFound: big.embeddings.every((e) => e !== null),
      accuracy,
    };
  } finally {
    peer.dispose();
  }
}

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  // Installed before any peer code loads, so model or wasm fetches from the
  // network are caught rather than silently used.
  const guard = installNetworkGuard();
  const fullHd = await makeFullHdPhoto(FULL_HD_SOURCE);
  const results: PeerResult[] = [];
  for (const name of opts.peers) results.push(await benchPeer(name, opts, fullHd));
  guard.restore();
  if (guard.attempts.length > 0) {
    throw new Error(`network was attempted during the benchmark: ${guard.attempts.join(', ')}`);
  }

  const rows: PeerRow[] = results.map((r) => ({
    peer: r.name,
    backend: r.backend,
    lfwMedianMs: r.lfwTiming.medianMs,
    lfwMeanMs: r.lfwTiming.meanMs,
    fullHdMedianMs: r.fullHdTiming.medianMs,
    fullHdMeanMs: r.fullHdTiming.meanMs,
    accuracy: r.accuracy.crossValidation.accuracy,
    accuracyStd: r.accuracy.crossValidation.std,
    auc: r.accuracy.auc,
    failedPairs: r.accuracy.failedPairs,
    pairs: r.accuracy.pairs,
  }));
  const machine = machineInfo();
  console.log(renderPeerTable(rows, { folds: opts.folds, photos: opts.photos, repeats: opts.repeats }));
  console.log(`\nMachine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}. Network attempts: 0.`);
  for (const r of results) {
    const [b, a] = [r.loadAverage.before[0]!, r.loadAverage.after[0]!];
    console.log(`${r.name}: 1-min load average ${b.toFixed(1)} before, ${a.toFixed(1)} after (timings are inflated when it exceeds ${machine.cores})`);
  }
  for (const r of results) console.log(`${r.name}: score = ${r.metric}`);

  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(
    opts.out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        protocol: {
          lfwPairs: 'pairs.txt (View 2)',
          folds: opts.folds,
          pairsPerFold: opts.pairsPerFold,
          crossValidation: `${opts.folds.length}-fold: threshold chosen on the other selected folds, tested on the held-out one`,
          failures: 'a pair with a missing face is wrong at every threshold (score -Infinity, null in scores)',
          timingPhotos: `first image of the first ${opts.photos} pairs, after ${WARM_UP_PHOTOS} warm-up photos`,
          fullHd: `obama.jpg at 648 px high centred on a grey 1920x1080 canvas, JPEG q90 in memory, ${opts.repeats} timed runs after 1 untimed`,
          timingIncludes: 'JPEG decode (sharp) + tensor creation + the library pipeline up to the descriptor',
        },
        networkAttempts: guard.attempts,
        peers: results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${opts.out}`);
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
