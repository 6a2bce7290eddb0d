// Calibration inputs built from the research-only face sets, read in place (never copied).
// Only used with `npm run models:build -- --calibrate`; the committed ranges make normal builds photo-free.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cropResize, packTensor } from '../../src/core/image.js';
import type { ModelInput } from '../../src/core/manifest.js';
import type { Box, RawImage } from '../../src/core/types.js';
import { Matcher, decodeImage } from '../../src/node.js';

export const FACES_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'faces');

export interface Sample {
  data: Float32Array;
  dims: number[];
}

export interface ImageSet {
  /** Held-out sets use other people than the calibration sets. */
  purpose: 'calibration' | 'holdout';
  paths: string[];
  description: string;
}

/**
 * Every `step`-th LFW person (first photo) from `offset`, and young+adult lag-dev photos from
 * every `step`-th pairs line: spread over many identities, ages and cameras, fixed by the lists' order.
 */
export function pickImages(lfwCount: number, lagCount: number, purpose: ImageSet['purpose']): ImageSet {
  const offset = purpose === 'calibration' ? 0 : 1;
  const lfwDir = join(FACES_DIR, 'lfw');
  const people = readdirSync(lfwDir).filter((p) => !p.includes('.')).sort();
  const lfwStep = Math.floor(people.length / lfwCount / 2) * 2;
  const lfw = Array.from({ length: lfwCount }, (_, i) => {
    const p = people[i * lfwStep + offset]!;
    const first = readdirSync(join(lfwDir, p)).sort()[0]!;
    return join(lfwDir, p, first);
  });
  const lines = readFileSync(join(FACES_DIR, 'lag-dev', 'pairs.txt'), 'utf8').split('\n').filter(Boolean);
  const lagStep = Math.floor(lines.length / Math.max(1, lagCount / 2) / 2) * 2;
  const lag: string[] = [];
  for (let i = 0; lag.length < lagCount && i * lagStep + offset < lines.length; i++) {
    const [, young, adult] = lines[i * lagStep + offset]!.split('\t');
    lag.push(join(FACES_DIR, 'lag-dev', young!), join(FACES_DIR, 'lag-dev', adult!));
  }
  return {
    purpose,
    paths: [...lfw, ...lag.slice(0, lagCount)],
    description: `${lfwCount} LFW photos (first photo of every ${lfwStep}th person from #${offset}) + ${Math.min(lagCount, lag.length)} lag-dev photos (young and adult of every ${lagStep}th pair from #${offset})`,
  };
}

/** The detector's first window: the whole photo letterboxed to the input, padded with the mean. */
function letterbox(img: RawImage, w: number, h: number, fill: number): RawImage {
  const s = Math.min(w / img.width, h / img.height);
  const box: Box = { x: (img.width - w / s) / 2, y: (img.height - h / s) / 2, width: w / s, height: h / s };
  return cropResize(img, box, w, h, fill);
}

export async function detectorSamples(paths: string[], input: ModelInput): Promise<Sample[]> {
  const [, , h, w] = input.shape as [number, number, number, number];
  const out: Sample[] = [];
  for (const p of paths) {
    const img = await decodeImage(p, { maxPixels: 1e8, maxBytes: 64 << 20 });
    const frame = letterbox(img, w, h, input.mean[0]!);
    out.push({ data: packTensor([frame], input.layout, input.color, input.mean, input.std), dims: [1, 3, h, w] });
  }
  return out;
}

/** Grey crops of the largest detected face, cut the way the landmarks68 aligner cuts them. */
export async function landmarkSamples(m: Matcher, paths: string[], input: ModelInput): Promise<Sample[]> {
  const sz = input.shape[3]!;
  const out: Sample[] = [];
  for (const p of paths) {
    const img = await decodeImage(p, { maxPixels: 1e8, maxBytes: 64 << 20 });
    const faces = await m.detect(img, { crop: true });
    const box = faces[0]!.box;
    const side = box.height;
    const crop: Box = { x: box.x + box.width / 2 - side / 2, y: box.y, width: side, height: side };
    const patch = cropResize(img, crop, sz, sz, 0);
    out.push({ data: packTensor([patch], input.layout, input.color, input.mean, input.std), dims: [1, 1, sz, sz] });
  }
  return out;
}

/** Aligned 112x112 faces exactly as the pipeline feeds the embedder. */
export async function embedderSamples(m: Matcher, paths: string[], input: ModelInput): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const p of paths) {
    const faces = await m.embed(p, { crop: true, aligned: true });
    const aligned = faces[0]!.aligned!;
    out.push({
      data: packTensor([aligned], input.layout, input.color, input.mean, input.std),
      dims: [1, input.color === 'GRAY' ? 1 : 3, aligned.height, aligned.width],
    });
  }
  return out;
}

export async function fp32Matcher(modelsDir: string): Promise<Matcher> {
  return Matcher.create({ modelsDir, precision: 'fp32', threads: 2 });
}
