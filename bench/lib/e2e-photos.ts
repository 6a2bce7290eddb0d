/**
 * The photos the end-to-end bench times and the scenes it measures recall on, all made from
 * seeds: LFW portraits (250x250, as stored), and street-photo stand-ins of 1920x1080 and
 * 4000x3000 (bench/lib/scenes.ts) as JPEG bytes, so decoding is part of every time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { facesRoot } from './datasets.js';
import { makeScene, sceneJpeg, type PlacedFace } from './scenes.js';
import { parseLfwPairs } from './verification.js';

export const PHOTO_SIZES = { portrait: [250, 250], fullHd: [1920, 1080], twelveMp: [4000, 3000] } as const;
export type PhotoSize = keyof typeof PHOTO_SIZES;
/** Face heights of the recall scenes, in photo pixels. */
export const FACE_SIZES = [20, 30, 40, 60, 80, 120];

export interface TimedPhoto {
  size: PhotoSize;
  input: string | Uint8Array;
}

export interface RecallScene {
  size: PhotoSize;
  jpeg: Uint8Array;
  faces: PlacedFace[];
}

/** One photo per person of LFW (first alphabetically), the pool pasted faces are drawn from. */
export function lfwPool(): string[] {
  const root = join(facesRoot(), 'lfw');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => join(root, name, readdirSync(join(root, name)).filter((f) => f.endsWith('.jpg')).sort()[0]!));
}

/** `n` photos of each size; scenes hold one 120-px face each (the timing setup). */
export async function timedPhotos(n: number): Promise<TimedPhoto[]> {
  const pool = lfwPool();
  const lfw = parseLfwPairs(join(facesRoot(), 'lfw')).slice(0, n).map((p) => p.a);
  const out: TimedPhoto[] = lfw.map((input) => ({ size: 'portrait', input }));
  for (const size of ['fullHd', 'twelveMp'] as const) {
    const [w, h] = PHOTO_SIZES[size];
    for (let i = 0; i < n; i++) out.push({ size, input: await sceneJpeg(await makeScene(500 + i, w, h, [120], pool)) });
  }
  return out;
}

/** Scenes for recall: each face size `perSize` times per scene. */
export async function recallScenes(size: 'fullHd' | 'twelveMp', scenes: number, perSize: number): Promise<RecallScene[]> {
  const pool = lfwPool();
  const [w, h] = PHOTO_SIZES[size];
  const sizes = Array.from({ length: perSize }, () => FACE_SIZES).flat();
  const out: RecallScene[] = [];
  for (let i = 0; i < scenes; i++) {
    const scene = await makeScene((size === 'fullHd' ? 2000 : 3000) + i, w, h, sizes, pool);
    out.push({ size, jpeg: await sceneJpeg(scene), faces: scene.faces });
  }
  return out;
}
