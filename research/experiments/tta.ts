/**
 * Test-time options measured before any becomes a default (issue 8): flip averaging, grey
 * embeddings (child photos are often black-and-white), a second alignment at another scale,
 * and their fusions, on lag-dev, cacd-vs and lfw.
 *   npx tsx research/experiments/tta.ts lag-dev [cacd-vs lfw] [--limit N]
 * Prints a markdown table, writes bench/results/tta.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { decodeImage, Matcher, type RawImage } from '../../src/node.js';
import { warpInverse, toRGB } from '../../src/core/image.js';
import { ARCFACE_TEMPLATE_112, invertAffine, similarityTransform } from '../../src/core/similarity-transform.js';
import type { Point } from '../../src/core/types.js';
import type { FaceQuality } from '../../src/core/quality.js';
import { centralFace } from '../../bench/lib/embed-set.js';
import { parseArgs, machineInfo } from '../../bench/lib/args.js';
import { loadPairs, type Pair, type SetName } from '../../bench/lib/datasets.js';
import { auc, tarAtFar, tenFold } from '../../bench/lib/verification.js';

function mirror(a: RawImage): RawImage {
  const out = new Uint8Array(a.data.length);
  const w = a.width;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = a.data[(y * w + (w - 1 - x)) * 3 + c]!;
    }
  }
  return { ...a, data: out };
}

function grey(a: RawImage): RawImage {
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < a.data.length; i += 3) {
    const g = Math.round(0.299 * a.data[i]! + 0.587 * a.data[i + 1]! + 0.114 * a.data[i + 2]!);
    out[i] = out[i + 1] = out[i + 2] = g;
  }
  return { ...a, data: out };
}

function isGreyImage(img: RawImage): boolean {
  const rgb = toRGB(img);
  let diff = 0;
  for (let i = 0; i < rgb.data.length; i += 3 * 7) diff += Math.abs(rgb.data[i]! - rgb.data[i + 1]!) + Math.abs(rgb.data[i + 1]! - rgb.data[i + 2]!);
  return diff / (rgb.data.length / 21) < 2;
}

/** The ArcFace template shrunk (k < 1: more context) or enlarged around its centre. */
function alignScaled(img: RawImage, five: Point[], k: number): RawImage {
  const c: Point = [56, 56];
  const dst = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [c[0] + (x - c[0]) * k, c[1] + (y - c[1]) * k]);
  return warpInverse(toRGB(img), invertAffine(similarityTransform(five, dst)), 112, 112, 0);
}

const VARIANTS = ['color', 'flip', 'grey', 'greyflip', 'zoomout', 'zoomin'] as const;
type Variant = (typeof VARIANTS)[number];

interface ImageEmb {
  v: Record<Variant, Float32Array>;
  isGrey: boolean;
  quality: FaceQuality | undefined;
}

function add(...vs: Float32Array[]): Float32Array {
  const out = new Float32Array(vs[0]!.length);
  for (const v of vs) for (let i = 0; i < v.length; i++) out[i]! += v[i]!;
  let n = 0;
  for (let i = 0; i < out.length; i++) n += out[i]! * out[i]!;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

const FUSIONS: Record<string, (a: ImageEmb, b: ImageEmb) => number> = {
  'color (baseline)': (a, b) => dot(a.v.color, b.v.color),
  'flip avg': (a, b) => dot(add(a.v.color, a.v.flip), add(b.v.color, b.v.flip)),
  grey: (a, b) => dot(a.v.grey, b.v.grey),
  'grey + flip avg': (a, b) => dot(add(a.v.grey, a.v.greyflip), add(b.v.grey, b.v.greyflip)),
  'color+grey avg': (a, b) => dot(add(a.v.color, a.v.grey), add(b.v.color, b.v.grey)),
  'grey if either photo is grey': (a, b) => (a.isGrey || b.isGrey ? dot(a.v.grey, b.v.grey) : dot(a.v.color, b.v.color)),
  'grey-if-grey + flip': (a, b) =>
    a.isGrey || b.isGrey ? dot(add(a.v.grey, a.v.greyflip), add(b.v.grey, b.v.greyflip)) : dot(add(a.v.color, a.v.flip), add(b.v.color, b.v.flip)),
  'two alignments (x0.9, x1.0) avg': (a, b) => dot(add(a.v.color, a.v.zoomout), add(b.v.color, b.v.zoomout)),
  'three alignments (x0.9, x1, x1.1) avg': (a, b) => dot(add(a.v.color, a.v.zoomout, a.v.zoomin), add(b.v.color, b.v.zoomout, b.v.zoomin)),
  'all six avg': (a, b) => dot(add(...VARIANTS.map((k) => a.v[k])), add(...VARIANTS.map((k) => b.v[k]))),
};

async function embedImage(m: Matcher, path: string): Promise<ImageEmb | null> {
  const img = await decodeImage(path, { maxPixels: 1e8, maxBytes: 1e8 });
  const faces = await m.embed(img, { crop: true, aligned: true });
  const f = faces[0]?.face.assumedCrop ? faces[0] : centralFace(faces, img.width, img.height);
  if (!f?.aligned) return null;
  const five = f.face.landmarks;
  const crops: Record<Variant, RawImage> = {
    color: f.aligned,
    flip: mirror(f.aligned),
    grey: grey(f.aligned),
    greyflip: mirror(grey(f.aligned)),
    zoomout: alignScaled(img, five, 0.9),
    zoomin: alignScaled(img, five, 1.1),
  };
  const embs = await m.embedAligned(VARIANTS.map((k) => crops[k]));
  const v = Object.fromEntries(VARIANTS.map((k, i) => [k, embs[i]!])) as Record<Variant, Float32Array>;
  return { v, isGrey: isGreyImage(img), quality: f.face.quality };
}

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const sets = (positional.length ? positional : ['lag-dev']) as SetName[];
  const limit = flags['limit'] ? Number(flags['limit']) : 0;
  const m = await Matcher.create({ threshold: 0 });
  const rows: Record<string, unknown>[] = [];
  const qualityStats: Record<string, unknown>[] = [];
  for (const set of sets) {
    let pairs: Pair[] = loadPairs(set);
    if (limit) pairs = pairs.filter((_, i) => i % Math.ceil(pairs.length / limit) === 0);
    const paths = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const embs = new Map<string, ImageEmb | null>();
    for (let i = 0; i < paths.length; i++) {
      embs.set(paths[i]!, await embedImage(m, paths[i]!).catch(() => null));
      if (i % 100 === 0) process.stderr.write(`\r${set} ${i}/${paths.length}`);
    }
    process.stderr.write('\n');
    const labels = pairs.map((p) => p.same);
    const folds = pairs.map((p) => p.fold);
    for (const [name, f] of Object.entries(FUSIONS)) {
      const scores = pairs.map((p) => {
        const a = embs.get(p.a);
        const b = embs.get(p.b);
        return a && b ? f(a, b) : -Infinity;
      });
      rows.push({ set, fusion: name, pairs: pairs.length, accuracy: tenFold(scores, labels, folds).accuracy, tar1e3: tarAtFar(scores, labels, 1e-3).tar, auc: auc(scores, labels) });
    }
    // Face quality: the same baseline on the pairs where neither face is flagged.
    const q = [...embs.values()].filter((e): e is ImageEmb => Boolean(e?.quality)).map((e) => e.quality!);
    const pctl = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
    qualityStats.push({
      set,
      images: q.length,
      eyeDistance: [0.01, 0.05, 0.5].map((p) => pctl(q.map((x) => x.eyeDistance), p)),
      sharpness: [0.01, 0.05, 0.5].map((p) => pctl(q.map((x) => x.sharpness), p)),
      absYaw: [0.5, 0.95, 0.99].map((p) => pctl(q.map((x) => Math.abs(x.yaw)), p)),
      flagged: q.filter((x) => !x.ok).length,
      byIssue: Object.fromEntries((['small', 'blurred', 'turned'] as const).map((k) => [k, q.filter((x) => x.issues.includes(k)).length])),
    });
    const okPair = (p: Pair) => Boolean(embs.get(p.a)?.quality?.ok && embs.get(p.b)?.quality?.ok);
    const kept = pairs.filter(okPair);
    if (kept.length >= 20 && kept.some((p) => p.same) && kept.some((p) => !p.same)) {
      const scores = kept.map((p) => dot(embs.get(p.a)!.v.color, embs.get(p.b)!.v.color));
      const l = kept.map((p) => p.same);
      rows.push({ set, fusion: `color, pairs with a flagged face excluded (${pairs.length - kept.length} excluded)`, pairs: kept.length, accuracy: tenFold(scores, l, kept.map((p) => p.fold)).accuracy, tar1e3: tarAtFar(scores, l, 1e-3).tar, auc: auc(scores, l) });
    }
  }
  await m.dispose();
  console.log('| set | test-time option | pairs | accuracy | TAR@FAR1e-3 | AUC |\n|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r['set']} | ${r['fusion']} | ${r['pairs']} | ${(100 * (r['accuracy'] as number)).toFixed(2)}% | ${(100 * (r['tar1e3'] as number)).toFixed(2)}% | ${(r['auc'] as number).toFixed(4)} |`);
  }
  console.log('\nFace quality (percentiles over detected faces):');
  for (const q of qualityStats) console.log(JSON.stringify(q));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/tta.json', JSON.stringify({ date: new Date().toISOString(), command: `npm run bench:tta -- ${process.argv.slice(2).join(' ')}`, machine: await machineInfo(), rows, qualityStats }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
