/**
 * How far this code's faces and embeddings are from today's (BASELINE_REV) on the labelled
 * sets, photo by photo: a cheap check that a speed change leaves accuracy where it was (the
 * full figures come from npm run bench:accuracy).
 *   npx tsx bench/pipeline-diff.ts [-- --photos 200] [--sets lfw,lag-dev,cacd-vs] [--baseline REV]
 * For each set, the first N distinct photos of its pairs, embedded as bench:accuracy does
 * ({ crop: true }, the face nearest the centre): the share whose embedding moved (cosine to
 * today's below 0.9999), the lowest cosine, and the largest box change in pixels.
 * Prints a table and writes bench/results/pipeline-diff.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { machineInfo, parseArgs } from './lib/args.js';
import { BASELINE_REV, todayAndThis } from './lib/code-under-test.js';
import { loadPairs, type SetName } from './lib/datasets.js';
import { centralFace } from './lib/embed-set.js';
import { cosine } from './lib/similarity.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const { flags } = parseArgs(process.argv.slice(2));
const n = Number(flags['photos'] ?? 200);
const sets = String(flags['sets'] ?? 'lfw,lag-dev,cacd-vs').split(',') as SetName[];
const rev = typeof flags['baseline'] === 'string' ? flags['baseline'] : BASELINE_REV;
const LIMITS = { maxPixels: 1e8, maxBytes: 1e8 };

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const loadAtStart = loadavg()[0]!;
  const codes = await todayAndThis(rev);
  const matchers = await Promise.all(codes.map((c) => c.node.Matcher.create({ threads: 1, threshold: 0 })));
  const one = async (i: number, path: string) => {
    const img = await codes[i]!.node.decodeImage(path, LIMITS);
    const faces = (await matchers[i]!.embed(img, { crop: true })) as Json[];
    return faces[0]?.face.assumedCrop ? faces[0] : centralFace(faces, img.width, img.height);
  };
  const rows = [];
  for (const set of sets) {
    const photos = [...new Set(loadPairs(set).flatMap((p) => [p.a, p.b]))].slice(0, n);
    let moved = 0;
    let minCos = 1;
    let maxBox = 0;
    let lost = 0;
    for (const path of photos) {
      const [a, b] = [await one(0, path), await one(1, path)];
      if (!a || !b) {
        if (a !== b) lost++;
        continue;
      }
      const c = cosine(a.embedding, b.embedding);
      if (c < 0.9999) moved++;
      minCos = Math.min(minCos, c);
      const d = ['x', 'y', 'width', 'height'].map((k) => Math.abs(a.face.box[k] - b.face.box[k]));
      maxBox = Math.max(maxBox, ...d);
    }
    rows.push({ set, photos: photos.length, movedShare: moved / photos.length, minCosine: minCos, maxBoxChangePx: maxBox, faceFoundByOnlyOne: lost });
    console.error(`${set}: done`);
  }
  await Promise.all(matchers.map((m) => m.dispose()));
  console.log(`\nThis code vs today's (${rev.slice(0, 7)}), same photos:\n`);
  console.log('| set | photos | embedding moved (cos < 0.9999) | lowest cosine | largest box change px | face found by one code only |\n|---|--:|--:|--:|--:|--:|');
  for (const r of rows) console.log(`| ${r.set} | ${r.photos} | ${(100 * r.movedShare).toFixed(1)}% | ${r.minCosine.toFixed(5)} | ${r.maxBoxChangePx.toFixed(2)} | ${r.faceFoundByOnlyOne} |`);
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/pipeline-diff.json`;
  writeFileSync(out, `${JSON.stringify({ date: started, command: `npx tsx bench/pipeline-diff.ts ${process.argv.slice(2).join(' ')}`.trim(), baseline: rev, machine: await machineInfo(), loadAverageAtStart: loadAtStart, rows }, null, 2)}\n`);
  console.error(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
