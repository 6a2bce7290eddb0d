/**
 * Time per face (detect + align + embed) in Chromium (onnxruntime-web, wasm) against Node
 * (onnxruntime-node) on the same pixels: each photo is decoded once with sharp and both sides
 * get the same RawImage. Times are measured inside each runtime around `m.embed`, so moving
 * the pixels into the page is not counted. The two sides run one after the other, never at
 * the same time.
 *
 *   npm run bench:browser [-- --lfw 60 --scenes 5 --threads 2] [--lock NOTE]
 *
 * Photo sizes: the public-domain photos (0.3-3.3 MP), LFW 250x250, and --scenes street-photo
 * stand-ins each of 1920x1080 and 4000x3000 with one 120-px face (bench/lib/scenes.ts).
 * Reports ms per face over all photos (as before) and median ms per photo per size, with the
 * Chromium / Node ratio of each. Prints a markdown table and writes bench/results/browser.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { Matcher, decodeImage } from '../src/node.js';
import type { RawImage } from '../src/core/types.js';
import { BrowserEmbedder, embedNode, parityImages } from '../test/browser/embed-both.js';
import { ROOT, ensureWebBuild, hasChromium, openDemo, waitReady } from '../test/browser/harness.js';
import { machineInfo, parseArgs } from './lib/args.js';
import { lfwPool } from './lib/e2e-photos.js';
import { makeScene } from './lib/scenes.js';

const { flags } = parseArgs(process.argv.slice(2));
const LFW = Number(flags['lfw'] ?? 60);
const THREADS = Number(flags['threads'] ?? 2);
const SCENES = Number(flags['scenes'] ?? 5);
const WARMUP = 3;
const LIMITS = { maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024 };

interface SideResult {
  images: number;
  faces: number;
  totalMs: number;
  msPerFace: number;
  medianMsPerImage: number;
}

function summarise(times: number[], faces: number): SideResult {
  const sorted = [...times].sort((a, b) => a - b);
  const totalMs = times.reduce((a, b) => a + b, 0);
  return {
    images: times.length,
    faces,
    totalMs,
    msPerFace: totalMs / Math.max(1, faces),
    medianMsPerImage: sorted[Math.floor(sorted.length / 2)] ?? NaN,
  };
}

async function main(): Promise<void> {
  if (!hasChromium()) throw new Error('/usr/bin/chromium is missing: apt-get install -y chromium');
  await ensureWebBuild();
  const paths = parityImages(LFW);
  if (paths.length === 0) throw new Error('no images: ../shared/data/faces/{public-domain,lfw} are missing');
  const images: { path: string; group: string; raw: RawImage }[] = [];
  for (const path of paths) images.push({ path, group: path.includes('/lfw/') ? 'LFW 250x250' : 'public-domain', raw: await decodeImage(path, LIMITS) });
  const pool = lfwPool();
  for (const [group, w, h] of [['1920x1080', 1920, 1080], ['4000x3000', 4000, 3000]] as const) {
    for (let i = 0; i < SCENES; i++) images.push({ path: `scene-${w}x${h}-${500 + i}`, group, raw: (await makeScene(500 + i, w, h, [120], pool)).raw });
  }
  const load = loadavg()[0]!;

  // Node first, alone.
  const node = await Matcher.create({ threads: THREADS });
  const nodeTimes: number[] = [];
  let nodeFaces = 0;
  // First runs allocate and warm the sessions: not timed.
  for (const img of images.slice(0, WARMUP)) await embedNode(node, img.raw);
  for (const img of images) {
    const r = await embedNode(node, img.raw);
    nodeTimes.push(r.ms);
    nodeFaces += r.value.length;
  }
  await node.dispose();

  // Then Chromium, alone: the demo page's matcher (threads = min(4, cores) on the isolated page).
  const s = await openDemo();
  const webTimes: number[] = [];
  let webFaces = 0;
  let webThreads = 0;
  try {
    await waitReady(s.page);
    webThreads = await s.page.evaluate(() => (self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency) : 1));
    const web = await BrowserEmbedder.attach(s.page);
    for (const img of images.slice(0, WARMUP)) await web.embed(img.raw);
    for (const img of images) {
      const r = await web.embed(img.raw);
      webTimes.push(r.ms);
      webFaces += r.value.length;
    }
    if (s.external.length) throw new Error(`the page tried to reach ${s.external.join(', ')}`);
  } finally {
    await s.close();
  }

  const n = summarise(nodeTimes, nodeFaces);
  const w = summarise(webTimes, webFaces);
  const ratio = w.msPerFace / n.msPerFace;
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  const groups = [...new Set(images.map((i) => i.group))].map((group) => {
    const idx = images.flatMap((img, i) => (img.group === group ? [i] : []));
    const node = median(idx.map((i) => nodeTimes[i]!));
    const web = median(idx.map((i) => webTimes[i]!));
    return { group, photos: idx.length, nodeMedianMs: node, browserMedianMs: web, ratio: web / node };
  });
  const table = [
    `Time per face, detect + align + embed, ${images.length} photos (${groups.map((g) => `${g.photos} ${g.group}`).join(', ')}); load average ${load.toFixed(1)} at start.`,
    '',
    '| runtime | threads | faces | ms / face | median ms / photo | vs Node |',
    '| --- | --- | --- | --- | --- | --- |',
    `| Node, onnxruntime-node | ${THREADS} | ${n.faces} | ${n.msPerFace.toFixed(1)} | ${n.medianMsPerImage.toFixed(1)} | 1.00x |`,
    `| Chromium, onnxruntime-web wasm | ${webThreads} | ${w.faces} | ${w.msPerFace.toFixed(1)} | ${w.medianMsPerImage.toFixed(1)} | ${ratio.toFixed(2)}x |`,
    '',
    'Median ms per photo by size (same photos, same pixels on both sides):',
    '',
    '| photos | n | Node ms | Chromium ms | Chromium / Node |',
    '| --- | --- | --- | --- | --- |',
    ...groups.map((g) => `| ${g.group} | ${g.photos} | ${g.nodeMedianMs.toFixed(1)} | ${g.browserMedianMs.toFixed(1)} | ${g.ratio.toFixed(2)}x |`),
  ].join('\n');
  console.log(table);

  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'browser.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: await machineInfo(),
        loadAverageAtStart: load,
        loadAverageAtEnd: loadavg()[0],
        // How the machine was shared during the run (e.g. "exclusive"), as the other benches record it.
        lock: typeof flags['lock'] === 'string' ? flags['lock'] : undefined,
        command: `npm run bench:browser -- ${process.argv.slice(2).join(' ')}`.trim(),
        images: images.map((i) => basename(i.path)),
        groups,
        node: { runtime: 'onnxruntime-node', threads: THREADS, ...n, perImageMs: nodeTimes },
        browser: { runtime: 'onnxruntime-web wasm (Chromium)', threads: webThreads, ...w, perImageMs: webTimes },
        ratioMsPerFace: ratio,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote bench/results/browser.json`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
