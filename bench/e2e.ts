/**
 * Where the time goes per photo, today's code against this code in the same run, and the
 * peers on the same job.
 *   npm run bench:e2e [-- --quick] [--photos 8] [--scenes 8] [--threads 1,2] [--peers human,face-api|none] [--baseline REV] [--enroll 1000]
 *   [--out NAME] [--lock NOTE]
 *
 * - End to end through Matcher.embed (JPEG bytes in: decode, detect, align, embed every
 *   face): LFW 250x250 portraits and 1920x1080 / 4000x3000 street-photo stand-ins with one
 *   120-px face (bench/lib/scenes.ts), per ORT thread count; libvips (sharp) gets as many.
 * - Per stage: decode, detect (with the detector's own stages), landmarks, warp, embed.
 * - Recall per face size (20-120 px, three of each per scene, seeded) on 4000x3000 and
 *   1920x1080 scenes, with ms per photo, for both codes and for @vladmandic/human and
 *   @vladmandic/face-api with their defaults and their smallest-face settings
 *   (research/peers/race.ts).
 * "Today's code" is the library at BASELINE_REV (bench/lib/code-under-test.ts), extracted
 * with git archive and imported next to this checkout's code; the two alternate photo by
 * photo. Also: enrollment throughput of this code (--enroll N LFW photos, 0 to skip) with
 * 2 ORT threads vs 2 worker threads. Prints markdown tables and writes bench/results/e2e.json
 * (--out NAME: bench/results/NAME.json, e.g. a short run without peers on a quiet machine;
 * --lock NOTE records how the machine was shared during the run, e.g. "exclusive").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { createRacePeers } from '../research/peers/race.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { BASELINE_REV, todayAndThis } from './lib/code-under-test.js';
import { FACE_SIZES, PHOTO_SIZES, recallScenes, timedPhotos, type PhotoSize } from './lib/e2e-photos.js';
import { endToEnd, recallOf, stages, type RecallRow } from './lib/e2e-run.js';
import { oneMatcherRate, workerRecipeRate } from './lib/enroll-throughput.js';
import { facesRoot } from './lib/datasets.js';
import { parseLfwPairs } from './lib/verification.js';
import { join } from 'node:path';

const { flags } = parseArgs(process.argv.slice(2));
const quick = flags['quick'] === true;
const nPhotos = Number(flags['photos'] ?? (quick ? 2 : 8));
const nScenes = Number(flags['scenes'] ?? (quick ? 1 : 8));
const threadList = String(flags['threads'] ?? '1,2').split(',').map(Number);
const peerNames = flags['peers'] === 'none' ? [] : (String(flags['peers'] ?? 'human,face-api').split(',') as ('human' | 'face-api')[]);
const nEnroll = Number(flags['enroll'] ?? (quick ? 0 : 1000));
const rev = typeof flags['baseline'] === 'string' ? flags['baseline'] : BASELINE_REV;
const f1 = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const loadAtStart = loadavg()[0]!;
  const [today, mine] = await todayAndThis(rev);
  const codes = [today, mine];
  const photos = await timedPhotos(nPhotos);
  const timing: Record<number, Record<string, Record<string, unknown>>> = {};
  const stageTimes: Record<number, unknown> = {};
  for (const threads of threadList) {
    sharp.concurrency(threads);
    console.error(`end to end, ${threads} thread(s)`);
    timing[threads] = await endToEnd(codes, photos, threads);
    console.error(`stages, ${threads} thread(s)`);
    stageTimes[threads] = await stages(codes, photos, threads);
  }

  sharp.concurrency(1);
  const recall: Record<string, RecallRow[]> = {};
  const scenesBySize = { twelveMp: await recallScenes('twelveMp', nScenes, 3), fullHd: await recallScenes('fullHd', nScenes, 3) };
  for (const [size, scenes] of Object.entries(scenesBySize)) {
    recall[size] = [];
    for (const c of codes) {
      const m = await c.node.Matcher.create({ threads: 1, threshold: 0 });
      const faces = async (jpeg: Uint8Array) => ((await m.embed(jpeg)) as { face: { box: { x: number; y: number; width: number; height: number } } }[]).map((e) => e.face.box);
      console.error(`recall ${size}: ${c.label}`);
      recall[size].push(await recallOf(`reunite-face, ${c.label}`, 'default (minFaceSize 40)', 'onnxruntime-node, 1 thread', scenes, faces));
      await m.dispose();
    }
  }
  // Each peer library is loaded once for both photo sizes: a second Human in one process breaks tfjs.
  for (const name of peerNames) {
    const peers = await createRacePeers(name);
    for (const [size, scenes] of Object.entries(scenesBySize)) {
      for (const p of [...peers].reverse()) {
        console.error(`recall ${size}: ${name} ${p.setting}`);
        recall[size]!.push(await recallOf(name, p.settings, p.backend, scenes, (jpeg) => p.facesIn(jpeg)));
      }
    }
    for (const p of [...peers].reverse()) p.dispose();
  }

  sharp.concurrency(0);
  const pairs = parseLfwPairs(join(facesRoot(), 'lfw'));
  const enrollFiles = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].slice(0, nEnroll);
  const throughput = nEnroll > 0 ? { photos: enrollFiles.length, intraOpThreads2: await oneMatcherRate(enrollFiles), workers2x1: await workerRecipeRate(enrollFiles) } : undefined;

  const label = (s: string) => `${s} (${PHOTO_SIZES[s as PhotoSize].join('x')})`;
  const ms = (t: number, code: string, size: string) => (timing[t]![code]![size] as { medianMs: number }).medianMs;
  for (const t of threadList) {
    console.log(`\nEnd to end per photo (median ms), ${t} thread(s): ${today.label} vs ${mine.label}, same run\n`);
    console.log('| photo | today | this code | today / this | this / portrait |\n|---|--:|--:|--:|--:|');
    for (const size of Object.keys(PHOTO_SIZES)) {
      const a = ms(t, today.label, size);
      const b = ms(t, mine.label, size);
      console.log(`| ${label(size)} | ${f1(a)} | ${f1(b)} | ${(a / b).toFixed(2)}x | ${(b / ms(t, mine.label, 'portrait')).toFixed(2)}x |`);
    }
  }
  console.log('\nRecall per face size and ms per photo (full pipeline, every face), 1 thread\n');
  for (const [size, rows] of Object.entries(recall)) {
    console.log(`${label(size)}, ${nScenes} scenes, ${rows[0]!.facesPerSize} faces per size\n`);
    console.log(`| library | settings | ${FACE_SIZES.map((s) => `${s} px`).join(' | ')} | other detections / photo | ms / photo |\n|---|---|${FACE_SIZES.map(() => '--:').join('|')}|--:|--:|`);
    for (const r of rows) console.log(`| ${r.name} | ${r.settings} | ${FACE_SIZES.map((s) => r.recall[s]!.toFixed(2)).join(' | ')} | ${f1(r.otherDetectionsPerPhoto)} | ${f1(r.msPerPhoto.medianMs)} |`);
    console.log('');
  }
  if (throughput) console.log(`Enrolling ${throughput.photos} LFW photos: ${f1(throughput.intraOpThreads2)} photos/s with one matcher (2 ORT threads), ${f1(throughput.workers2x1)} photos/s with 2 worker threads x 1 ORT thread`);
  mkdirSync('bench/results', { recursive: true });
  const out = typeof flags['out'] === 'string' ? `bench/results/${flags['out']}.json` : quick ? 'bench/results/e2e-quick.json' : 'bench/results/e2e.json';
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: started,
        command: `npm run bench:e2e -- ${process.argv.slice(2).join(' ')}`.trim(),
        baseline: { rev, how: 'git archive of src/ and models/ at rev into bench/results/baseline/<rev>/, imported in the same process' },
        machine: await machineInfo(),
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadavg()[0],
        lock: typeof flags['lock'] === 'string' ? flags['lock'] : undefined,
        photos: { perSize: nPhotos, sizes: PHOTO_SIZES, timedFace: '120 px', scenes: nScenes, faceSizes: FACE_SIZES },
        codes: { today: today.label, this: mine.label },
        timing,
        stages: stageTimes,
        recall,
        throughput,
      },
      null,
      2,
    )}\n`,
  );
  console.error(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
