import { describe, expect, it } from 'vitest';
import { decodeFaces, priorCount } from '../../src/detectors/ultraface-priors.js';
import { cutByWindowEdge, pyramid, type PyramidSettings } from '../../src/detectors/ultraface-pyramid.js';
import { resizeRGB } from '../../src/core/image.js';
import { halveRGB } from '../../src/core/resize.js';

const P: PyramidSettings = { inW: 320, inH: 240, reliableFacePx: 24, smallestFacePx: 20, levelStep: 4, maxWindowPixels: 4_500_000, proposalThreshold: 0.3 };

describe('UltraFace pyramid', () => {
  it('looks at a portrait once, letterboxed, at the plain threshold', () => {
    const levels = pyramid(250, 250, 40, P);
    expect(levels).toHaveLength(1);
    expect(levels[0]!.windows).toEqual([{ x: -40, y: 0, width: 320, height: 240 }]);
    expect(levels[0]!.proposalThreshold).toBeUndefined();
  });

  it('runs a 12-megapixel photo in whole levels, finest first, a 40-px face at 20 px', () => {
    const levels = pyramid(4000, 3000, 40, P);
    expect(levels.map((l) => l.scale)).toEqual([0.5, 0.125, 0.08]);
    expect(levels[0]!.windows).toEqual([{ x: 0, y: 0, width: 2000, height: 1500 }]);
    // Each level hands faces its coarser neighbour sees reliably (1.5 x 24 px there) to it.
    expect(levels[0]!.maxFace).toBeCloseTo(36 / 0.125);
    expect(levels[1]!.maxFace).toBeCloseTo(36 / 0.08);
    expect(levels.every((l) => l.proposalThreshold === 0.3)).toBe(true);
  });

  it('cuts a level larger than one window into strips overlapping by more than its largest face', () => {
    const [finest] = pyramid(12000, 9000, 40, P);
    const wins = finest!.windows;
    expect(wins.length).toBeGreaterThan(1);
    expect(wins.every((w) => w.width * w.height <= P.maxWindowPixels && w.x === 0 && w.width === 6000)).toBe(true);
    expect(wins[0]!.y).toBe(0);
    expect(wins[wins.length - 1]!.y + wins[wins.length - 1]!.height).toBe(4500);
    for (let i = 1; i < wins.length; i++) expect(wins[i - 1]!.y + wins[i - 1]!.height - wins[i]!.y).toBeGreaterThan(finest!.maxFace * finest!.scale);
  });

  it('pads a level thinner than the native input to it (a 1x2000 strip still runs)', () => {
    const levels = pyramid(1, 2000, 40, P);
    expect(levels.length).toBeGreaterThan(1);
    for (const l of levels) for (const w of l.windows) expect(w.width >= 320 && w.height >= 240).toBe(true);
    expect(levels[0]!.windows[0]).toEqual({ x: -159, y: 0, width: 320, height: 1000 });
  });

  it('drops boxes touching an inner window edge, not the photo edge', () => {
    const win = { x: 0, y: 100, width: 500, height: 200 };
    expect(cutByWindowEdge(10, 101, 50, 150, win, 500, 1000)).toBe(true);
    expect(cutByWindowEdge(0, 150, 50, 200, win, 500, 1000)).toBe(false);
    expect(cutByWindowEdge(10, 250, 50, 299, win, 500, 1000)).toBe(true);
  });
});

describe('UltraFace priors', () => {
  it('has the upstream 4,420 priors at 320x240 and decodes a zero regression to the prior boxes', () => {
    expect(priorCount(320, 240)).toBe(4420);
    const n = priorCount(64, 64);
    const scores = new Float32Array(2 * n);
    scores[1] = 0.9; // first prior: stride 8, cell (0, 0), 10 px
    const boxes: number[][] = [];
    decodeFaces(scores, new Float32Array(4 * n), 64, 64, 0.5, (s, ...b) => boxes.push([s, ...b]));
    expect(boxes).toHaveLength(1);
    const [s, x1, y1, x2, y2] = boxes[0]!;
    expect(s).toBeCloseTo(0.9);
    expect([x1, y1, x2, y2].map((v) => +v!.toFixed(4))).toEqual([-1, -1, 9, 9]);
    expect(() => decodeFaces(scores, new Float32Array(4 * n), 64, 32, 0.5, () => undefined)).toThrow(/priors/);
  });
});

describe('resizeRGB', () => {
  it('halves by averaging 2x2 blocks, and keeps a flat image flat at any size', () => {
    const img = { data: Uint8Array.from([0, 0, 0, 10, 20, 30, 20, 40, 60, 30, 60, 90]), width: 2, height: 2, channels: 3 as const };
    expect(Array.from(halveRGB(img).data)).toEqual([15, 30, 45]);
    const flat = { data: new Uint8Array(97 * 61 * 3).fill(77), width: 97, height: 61, channels: 3 as const };
    for (const [w, h] of [[13, 9], [40, 30], [200, 120], [97, 61]]) {
      const out = resizeRGB(flat, w!, h!);
      expect([out.width, out.height]).toEqual([w, h]);
      expect(out.data.every((v) => v === 77)).toBe(true);
    }
  });
});

describe('native resize (sharp) against the JS filter', () => {
  it('gives nearly the same pixels for the shrinks the pyramid makes', async () => {
    const { resizeWithSharp } = await import('../../src/platform/node-image-ops.js');
    const w = 1200, h = 900;
    const data = new Uint8Array(w * h * 3);
    // Smooth content with some edges, as photos have: JS and libvips round differently on noise.
    for (let y = 0, i = 0; y < h; y++) for (let x = 0; x < w; x++, i += 3) {
      data[i] = 128 + 100 * Math.sin(x / 37) * Math.cos(y / 23);
      data[i + 1] = (x >> 5) % 2 ? 200 : 40;
      data[i + 2] = (x + y) % 256;
    }
    const img = { data, width: w, height: h, channels: 3 as const };
    for (const [ow, oh] of [[540, 405], [135, 101], [320, 240]]) {
      const a = resizeRGB(img, ow!, oh!);
      const b = await resizeWithSharp(img, ow!, oh!);
      let sum = 0;
      for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
      expect(sum / a.data.length).toBeLessThan(4);
    }
  });
});
