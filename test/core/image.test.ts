import { describe, expect, it } from 'vitest';
import { cropResize, packTensor, toRGB, validateRawImage, warpInverse } from '../../src/core/image.js';
import { MatcherError } from '../../src/core/errors.js';
import { nms } from '../../src/core/nms.js';

describe('RawImage handling', () => {
  it('refuses data shorter than width*height*channels, bad sizes and too many pixels', () => {
    const bad = [
      { data: new Uint8Array(5), width: 2, height: 2, channels: 3 },
      { data: new Uint8Array(12), width: 0, height: 2, channels: 3 },
      { data: new Uint8Array(12), width: 2, height: 2, channels: 5 },
      { data: [1, 2, 3], width: 1, height: 1, channels: 3 },
    ];
    for (const b of bad) expect(() => validateRawImage(b)).toThrow(MatcherError);
    try {
      validateRawImage({ data: new Uint8Array(300), width: 10, height: 10, channels: 3 }, 50);
      expect.unreachable();
    } catch (e) {
      expect((e as MatcherError).code).toBe('IMAGE_TOO_LARGE');
    }
  });

  it('converts grey and RGBA to RGB', () => {
    expect(Array.from(toRGB({ data: new Uint8Array([7]), width: 1, height: 1, channels: 1 }).data)).toEqual([7, 7, 7]);
    expect(Array.from(toRGB({ data: new Uint8Array([1, 2, 3, 9]), width: 1, height: 1, channels: 4 }).data)).toEqual([1, 2, 3]);
  });

  it('crops with fill outside the image and keeps an identity resample exact', () => {
    const img = { data: Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => i), width: 4, height: 4, channels: 3 as const };
    expect(Array.from(cropResize(img, { x: 0, y: 0, width: 4, height: 4 }, 4, 4).data)).toEqual(Array.from(img.data));
    const out = cropResize(img, { x: -4, y: 0, width: 4, height: 4 }, 4, 4, 99);
    expect(Array.from(out.data).every((v) => v === 99)).toBe(true);
  });

  it('warps without supersampling exactly as per-channel bilinear sampling (fill outside), rounded from float32', () => {
    // The reference: each channel's taps weighted (1-fx or fx) x (1-fy or fy), zero-weight taps skipped.
    const sample = (img: { data: Uint8Array; width: number; height: number }, x: number, y: number, ch: number, fill: number) => {
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      let acc = 0;
      for (let j = 0; j < 2; j++) {
        const wy = j === 0 ? 1 - (y - y0) : y - y0;
        for (let i = 0; i < 2; i++) {
          const wx = i === 0 ? 1 - (x - x0) : x - x0;
          if (wx === 0 || wy === 0) continue;
          const xx = x0 + i;
          const yy = y0 + j;
          acc += wx * wy * (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height ? fill : img.data[(yy * img.width + xx) * 3 + ch]!);
        }
      }
      return Math.round(Math.fround(acc));
    };
    let seed = 3;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let t = 0; t < 50; t++) {
      const img = { data: Uint8Array.from({ length: 9 * 7 * 3 }, () => Math.floor(rand() * 256)), width: 9, height: 7, channels: 3 as const };
      const a = (rand() - 0.5) * 2;
      const s = 0.5 + rand();
      const inv = [s * Math.cos(a), -s * Math.sin(a), (rand() - 0.3) * 9, s * Math.sin(a), s * Math.cos(a), (rand() - 0.3) * 7] as const;
      const fill = Math.floor(rand() * 256);
      const out = warpInverse(img, inv, 6, 5, fill);
      for (let y = 0; y < 5; y++) {
        for (let x = 0; x < 6; x++) {
          for (let ch = 0; ch < 3; ch++) expect(out.data[(y * 6 + x) * 3 + ch]).toBe(sample(img, inv[0] * x + inv[1] * y + inv[2], inv[3] * x + inv[4] * y + inv[5], ch, fill));
        }
      }
    }
  });

  it('packs NCHW with mean/std from the manifest', () => {
    const img = { data: new Uint8Array([255, 127, 0]), width: 1, height: 1, channels: 3 as const };
    expect(Array.from(packTensor([img], 'NCHW', 'RGB', [127, 127, 127], [128, 128, 128]))).toEqual([1, 0, -127 / 128]);
    expect(Array.from(packTensor([img], 'NCHW', 'BGR', [0, 0, 0], [1, 1, 1]))).toEqual([0, 127, 255]);
  });

  it('packs two pixels planar or interleaved, RGB or BGR, with per-channel mean/std, into a given array when it fits', () => {
    const img = { data: new Uint8Array([10, 20, 30, 40, 50, 60]), width: 2, height: 1, channels: 3 as const };
    const mean = [1, 2, 3];
    const std = [1, 2, 4];
    expect(Array.from(packTensor([img], 'NCHW', 'RGB', mean, std))).toEqual([9, 39, 9, 24, 6.75, 14.25]);
    expect(Array.from(packTensor([img], 'NCHW', 'BGR', mean, std))).toEqual([29, 59, 9, 24, 1.75, 9.25]);
    expect(Array.from(packTensor([img], 'NHWC', 'RGB', mean, std))).toEqual([9, 9, 6.75, 39, 24, 14.25]);
    expect(Array.from(packTensor([img], 'NHWC', 'BGR', mean, std))).toEqual([29, 9, 1.75, 59, 24, 9.25]);
    const into = new Float32Array(6).fill(-1);
    expect(packTensor([img], 'NCHW', 'RGB', mean, std, into)).toBe(into);
    expect(Array.from(into)).toEqual([9, 39, 9, 24, 6.75, 14.25]);
    const tooLong = new Float32Array(7);
    expect(packTensor([img], 'NCHW', 'RGB', mean, std, tooLong)).not.toBe(tooLong);
  });
});

describe('nms', () => {
  it('keeps the highest-scoring of overlapping boxes and separate faces', () => {
    const kept = nms(
      [
        { box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.8 },
        { box: { x: 1, y: 1, width: 10, height: 10 }, score: 0.9 },
        { box: { x: 50, y: 50, width: 10, height: 10 }, score: 0.7 },
      ],
      0.4,
    );
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.7]);
  });
});
