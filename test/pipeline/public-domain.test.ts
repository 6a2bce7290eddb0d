import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/node.js';
import { FIXTURES, hasData, PUBLIC_DOMAIN } from '../helpers/data.js';

const pd = (f: string) => join(PUBLIC_DOMAIN, f);

describe.runIf(hasData('public-domain'))('verify and detect on public-domain photos', () => {
  let m: Matcher;
  beforeAll(async () => {
    m = await Matcher.create();
  });
  afterAll(() => m.dispose());

  it('matches two different photos of Obama', async () => {
    const r = await m.verify(pd('obama.jpg'), pd('obama2.jpg'));
    expect(r.match).toBe(true);
    expect(r.score).toBeGreaterThan(r.threshold);
  });

  it('does not match Obama with Biden, nor the astronaut with Grace Hopper', async () => {
    expect((await m.verify(pd('obama.jpg'), pd('biden.jpg'))).match).toBe(false);
    expect((await m.verify(pd('astronaut.png'), pd('grace_hopper.jpg'))).match).toBe(false);
  });

  it('finds exactly the 2 faces in two_people.jpg, each with 5 landmarks inside its box', async () => {
    const faces = await m.detect(pd('two_people.jpg'));
    expect(faces).toHaveLength(2);
    for (const f of faces) {
      expect(f.landmarks).toHaveLength(5);
      for (const [x, y] of f.landmarks) {
        expect(x).toBeGreaterThan(f.box.x);
        expect(x).toBeLessThan(f.box.x + f.box.width);
        expect(y).toBeGreaterThan(f.box.y);
        expect(y).toBeLessThan(f.box.y + f.box.height);
      }
    }
  });
});

describe('large photos (committed public-domain fixture)', () => {
  let m: Matcher;
  beforeAll(async () => {
    m = await Matcher.create();
  });
  afterAll(() => m.dispose());

  it('finds a 48-px face in a 4000x3000 photo, where the face is', async () => {
    const src = join(FIXTURES, 'astronaut.png');
    // The astronaut's face is ~112 px tall in the 512-px portrait: scale it to ~48 px.
    const small = await sharp(src).resize(Math.round(512 * (48 / 112))).png().toBuffer();
    const left = 2700;
    const top = 1900;
    const scene = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#6b7a5c' } })
      .composite([{ input: small, left, top }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const faces = await m.detect(scene);
    expect(faces.length).toBeGreaterThanOrEqual(1);
    const f = faces[0]!;
    const size = Math.max(f.box.width, f.box.height);
    console.log(`48-px face in 4000x3000: found at ${f.box.x.toFixed(0)},${f.box.y.toFixed(0)} size ${f.box.width.toFixed(0)}x${f.box.height.toFixed(0)} score ${f.score.toFixed(3)}`);
    expect(size).toBeGreaterThan(30);
    expect(size).toBeLessThan(80);
    expect(f.box.x).toBeGreaterThan(left);
    expect(f.box.x + f.box.width).toBeLessThan(left + 220);
    expect(f.box.y).toBeGreaterThan(top);
    // And it is the astronaut: the small face still matches the full portrait.
    await m.enroll('astronaut', src);
    const [hit] = await m.identify(scene, { k: 1 });
    expect(hit!.candidates[0]!.subjectId).toBe('astronaut');
  });

  it('finds a face that fills the whole frame', async () => {
    const src = join(FIXTURES, 'grace_hopper.jpg');
    // Crop tightly to the face so it touches the edges.
    const tight = await sharp(src).extract({ left: 185, top: 140, width: 170, height: 185 }).png().toBuffer();
    const faces = await m.detect(tight);
    expect(faces.length).toBe(1);
  });
});
