import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { randomInt, seededRandom } from './seeded.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'demo');
export const PORTRAITS = { collins: join(FIXTURES, 'astronaut.png'), hopper: join(FIXTURES, 'grace_hopper.jpg') } as const;

export interface Variant {
  who: keyof typeof PORTRAITS;
  bytes: Uint8Array;
}

/**
 * `count` degraded copies of the two demo portraits, in memory: random crop around the face,
 * small rotation, brightness change, blur and JPEG quality, all seeded. Side `size` pixels.
 */
export async function portraitVariants(count: number, size: number, seed: number): Promise<Variant[]> {
  const rand = seededRandom(seed);
  const out: Variant[] = [];
  for (let i = 0; i < count; i++) {
    const who = i % 2 === 0 ? 'collins' : 'hopper';
    const src = sharp(PORTRAITS[who]);
    const { width = 0, height = 0 } = await src.metadata();
    // Crops keep 75-100 % of the shorter side so the face stays in the picture.
    const side = Math.floor(Math.min(width, height) * (0.75 + 0.25 * rand()));
    const left = randomInt(rand, 0, width - side + 1);
    const top = randomInt(rand, 0, Math.min(height - side, Math.floor(height * 0.1)) + 1);
    const bytes = await src
      .extract({ left, top, width: side, height: side })
      .rotate(Math.round((rand() - 0.5) * 16), { background: { r: 128, g: 128, b: 128 } })
      .resize(size, size, { fit: 'cover' })
      .modulate({ brightness: 0.75 + 0.5 * rand() })
      .blur(rand() < 0.3 ? 0.3 + rand() : false)
      .jpeg({ quality: randomInt(rand, 35, 96) })
      .toBuffer();
    out.push({ who, bytes: new Uint8Array(bytes) });
  }
  return out;
}
