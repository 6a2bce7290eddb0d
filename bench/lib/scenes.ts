/**
 * Street-photo stand-ins with faces of known size: LFW photos (read in place from
 * ../shared, never stored) pasted at seeded random places into a synthetic textured scene
 * (smooth colour fields, mid-scale blotches, fine grain: clutter for the detector, no faces).
 * Same seed, same photo, byte for byte.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { Box, RawImage } from '../../src/core/types.js';
import { seededRandom } from './seeded-random.js';

/** LFW photos are 250x250 with the face centred: its box is about this tall, centred at (125, 126). */
const LFW_FACE_HEIGHT = 120;
const LFW_FACE_CENTRE = [125, 126] as const;
/** Side of the LFW crop pasted (face plus some head and shoulders). */
const LFW_CROP = 200;

export interface PlacedFace {
  /** Nominal face box in scene pixels: height = the requested size. */
  box: Box;
  size: number;
  source: string;
}

export interface Scene {
  width: number;
  height: number;
  raw: RawImage;
  faces: PlacedFace[];
}

/** Value noise at one scale: a seeded grid of `cells` colours, smoothly upscaled. */
async function noiseLayer(rand: () => number, width: number, height: number, cellsX: number, amplitude: number): Promise<Uint8Array> {
  const cellsY = Math.max(2, Math.round((cellsX * height) / width));
  const grid = Buffer.alloc(cellsX * cellsY * 3);
  // Mostly brightness, some colour: walls, pavement and clothes rather than a rainbow.
  for (let i = 0; i < grid.length; i += 3) {
    const v = 128 + amplitude * (rand() * 2 - 1);
    for (let c = 0; c < 3; c++) grid[i + c] = Math.max(0, Math.min(255, Math.round(v + 0.35 * amplitude * (rand() * 2 - 1))));
  }
  const out = await sharp(grid, { raw: { width: cellsX, height: cellsY, channels: 3 } }).resize(width, height, { kernel: 'cubic', fit: 'fill' }).raw().toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

async function background(rand: () => number, width: number, height: number): Promise<Uint8Array> {
  const layers = [
    await noiseLayer(rand, width, height, 12, 110),
    await noiseLayer(rand, width, height, Math.round(width / 40), 60),
    await noiseLayer(rand, width, height, Math.round(width / 6), 25),
  ];
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, layers[0]![i]! + layers[1]![i]! + layers[2]![i]! - 256));
  return out;
}

function overlaps(a: Box, b: Box, margin: number): boolean {
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}

/**
 * A width x height scene with one face per entry of `sizes` (face heights in pixels), LFW
 * photos drawn from `photos` with the scene's seed, placed apart from each other.
 */
export async function makeScene(seed: number, width: number, height: number, sizes: number[], photos: string[]): Promise<Scene> {
  const rand = seededRandom(seed);
  const bg = await background(rand, width, height);
  const faces: PlacedFace[] = [];
  const pastes: OverlayOptions[] = [];
  const taken: Box[] = [];
  for (const size of sizes) {
    const k = size / LFW_FACE_HEIGHT;
    const side = Math.round(LFW_CROP * k);
    let spot: Box | undefined;
    for (let attempt = 0; attempt < 200 && !spot; attempt++) {
      const c = { x: Math.floor(rand() * (width - side)), y: Math.floor(rand() * (height - side)), width: side, height: side };
      if (!taken.some((t) => overlaps(t, c, side / 2))) spot = c;
    }
    if (!spot) throw new Error(`no room for a ${size}-px face in ${width}x${height}`);
    taken.push(spot);
    const source = photos[Math.floor(rand() * photos.length)]!;
    const crop = { left: Math.round(LFW_FACE_CENTRE[0] - LFW_CROP / 2), top: Math.round(LFW_FACE_CENTRE[1] - LFW_CROP / 2), width: LFW_CROP, height: LFW_CROP };
    pastes.push({ input: await sharp(source).extract(crop).resize(side, side).toBuffer(), left: spot.x, top: spot.y });
    const fw = size * 0.78;
    faces.push({
      box: { x: spot.x + side / 2 - fw / 2, y: spot.y + side / 2 - size / 2 + (LFW_FACE_CENTRE[1] - crop.top - LFW_CROP / 2) * k, width: fw, height: size },
      size,
      source,
    });
  }
  const { data } = await sharp(bg, { raw: { width, height, channels: 3 } }).composite(pastes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width, height, raw: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width, height, channels: 3 }, faces };
}

/** The scene as the JPEG a phone would save (quality 90), for end-to-end timing with decode. */
export async function sceneJpeg(scene: Scene): Promise<Uint8Array> {
  const { data, width, height } = scene.raw;
  return new Uint8Array(await sharp(Buffer.from(data.buffer, data.byteOffset, data.length), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
}

/**
 * A placed face counts as found when a detection's centre lies within 35% of its height of
 * the nominal centre and the detection's height is within a factor 1.6 of it.
 */
export function found(face: PlacedFace, detections: { box: Box }[]): boolean {
  const cx = face.box.x + face.box.width / 2;
  const cy = face.box.y + face.box.height / 2;
  return detections.some(({ box }) => {
    const dx = box.x + box.width / 2 - cx;
    const dy = box.y + box.height / 2 - cy;
    const r = box.height / face.size;
    return Math.hypot(dx, dy) <= 0.35 * face.size && r >= 1 / 1.6 && r <= 1.6;
  });
}
