import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/node.js';
import { FIXTURES } from '../helpers/data.js';

const astro = join(FIXTURES, 'astronaut.png');
const grace = join(FIXTURES, 'grace_hopper.jpg');

describe('enroll / identify / remove', () => {
  let m: Matcher;
  beforeAll(async () => {
    m = await Matcher.create();
  });
  afterAll(() => m.dispose());

  it('ranks subjects by their best template and reports sizes', async () => {
    await m.enroll('collins', astro, { metadata: { region: 'north', status: 'open' } });
    await m.enroll('collins', await sharp(astro).resize(200).png().toBuffer(), { metadata: { region: 'north', status: 'open' } });
    await m.enroll('hopper', grace, { metadata: { region: 'south', status: 'closed' } });
    expect(m.size).toEqual({ subjects: 2, templates: 3 });
    const res = await m.identify(await sharp(grace).rotate(10, { background: '#888' }).png().toBuffer());
    expect(res).toHaveLength(1);
    const c = res[0]!.candidates;
    expect(c.map((x) => x.subjectId)).toEqual(['hopper', 'collins']);
    expect(c[0]!.match).toBe(true);
    expect(c[0]!.metadata).toEqual({ region: 'south', status: 'closed' });
    expect(c[0]!.falseMatchRate?.adult).toBeLessThan(1e-2);
    expect(c[0]!.score).toBeGreaterThan(c[1]!.score);
  });

  it('filters by metadata and honours k and minScore', async () => {
    const only = await m.identify(grace, { filter: { region: 'north' } });
    expect(only[0]!.candidates.map((x) => x.subjectId)).toEqual(['collins']);
    expect((await m.identify(grace, { k: 1 }))[0]!.candidates).toHaveLength(1);
    const tilted = await sharp(grace).rotate(15, { background: '#888' }).png().toBuffer();
    const all = (await m.identify(tilted))[0]!.candidates;
    const best = all[0]!.score;
    expect(best).toBeLessThan(1);
    const strict = await m.identify(tilted, { minScore: best + 1e-3 });
    expect(strict[0]!.candidates).toHaveLength(0);
    const some = await m.identify(tilted, { minScore: best - 1e-3 });
    expect(some[0]!.candidates.map((c) => c.subjectId)).toEqual([all[0]!.subjectId]);
  });

  it('removes every template of a subject', async () => {
    expect(await m.remove('collins')).toBe(2);
    expect(await m.remove('collins')).toBe(0);
    expect(m.size).toEqual({ subjects: 1, templates: 1 });
    const res = await m.identify(astro);
    expect(res[0]!.candidates.map((x) => x.subjectId)).toEqual(['hopper']);
  });

  it('embeds a tight crop with { crop: true } when the detector finds nothing', async () => {
    const blurredCrop = await sharp(astro).extract({ left: 190, top: 75, width: 70, height: 95 }).resize(40).png().toBuffer();
    const plain = await m.embed(blurredCrop);
    const forced = await m.embed(blurredCrop, { crop: true, aligned: true });
    expect(forced.length).toBeGreaterThanOrEqual(1);
    if (plain.length === 0) expect(forced[0]!.face.assumedCrop).toBe(true);
    expect(forced[0]!.aligned?.width).toBe(112);
    expect(forced[0]!.embedding).toHaveLength(512);
  });
});
