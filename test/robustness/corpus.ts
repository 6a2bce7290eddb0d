import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { MatcherErrorCode, RawImage } from '../../src/node.js';
import { gifWithDeclaredSize, jpegWithDeclaredSize, pngDeflateBomb, pngWithChunkBomb, pngHeaderBomb, svgEntityBomb, webpWithMaxDeclaredSize } from './crafted.js';
import { concat, randomBytes, randomInt, seededRandom } from './seeded.js';

/*
 * The bad-input corpus: every file is generated at test time in a temp folder from the two
 * public-domain demo fixtures or from nothing, so no photo of a person is ever committed.
 * docs/bad-input.md documents each group's expected outcome; corpus.test.ts checks both.
 */

/** What `detect` and `embed` must do with the input. */
export type Outcome =
  | { code: MatcherErrorCode }
  /** Decodes; no face. */
  | { faces: 'none' }
  /** Decodes; at least one face. */
  | { faces: 'some' }
  /** Decodes; whether a face is found is the detector's call, not a robustness property. */
  | { faces: 'any' };

/** Matchers with different limits; the test builds one of each. */
export type MatcherKind = 'default' | 'maxPixels10k' | 'maxBytes1k' | 'timeout1ms';

export interface CorpusCase {
  id: string;
  group: string;
  /** What is passed to detect/embed; deliberately not typed as a valid input. */
  input: unknown;
  expect: Outcome;
  matcher?: MatcherKind;
  /** EXIF-orientation cases: the largest face must land where it is in the upright image. */
  upright?: boolean;
}

/** The two public-domain demo portraits: the only faces the corpus is made from. */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'demo');

const DECODE_FAILED: Outcome = { code: 'IMAGE_DECODE_FAILED' };
const SOME: Outcome = { faces: 'some' };
const NONE: Outcome = { faces: 'none' };

/** Exact PNG chunk trailer size: damage confined to IEND leaves every pixel readable. */
const PNG_IEND_BYTES = 12;

export interface Bases {
  /** astronaut.png at 256x256, packed RGB. */
  astroRaw: RawImage;
  astroPng: Uint8Array;
  astroJpeg: Uint8Array;
  /** grace_hopper.jpg at 200 px wide. */
  graceJpeg: Uint8Array;
  gracePng: Uint8Array;
  graceWebp: Uint8Array;
  graceGif: Uint8Array;
}

export async function makeBases(): Promise<Bases> {
  const astro = sharp(join(FIXTURES, 'astronaut.png')).resize(256, 256).removeAlpha();
  const { data, info } = await astro.clone().raw().toBuffer({ resolveWithObject: true });
  const astroRaw: RawImage = { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
  const grace = sharp(join(FIXTURES, 'grace_hopper.jpg')).resize(200);
  // Copies, not Buffers: Buffer.slice() shares memory, and cases below patch bytes in place.
  const bytes = async (s: Sharp) => new Uint8Array(await s.toBuffer());
  return {
    astroRaw,
    astroPng: await bytes(astro.clone().png()),
    astroJpeg: await bytes(astro.clone().jpeg({ quality: 90 })),
    graceJpeg: await bytes(grace.clone().jpeg({ quality: 90 })),
    gracePng: await bytes(grace.clone().png()),
    graceWebp: await bytes(grace.clone().webp({ quality: 85 })),
    graceGif: await bytes(grace.clone().gif()),
  };
}

function fromRaw(img: RawImage) {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
}

/**
 * Stored pixels for EXIF orientation `o`, so that applying `o` gives back `up`.
 * The tag says where the stored row 0 / column 0 belong in the upright picture.
 */
export function storeForOrientation(up: RawImage, o: number): RawImage {
  const { width: W, height: H, channels: C } = up;
  const swap = o >= 5;
  const w = swap ? H : W;
  const h = swap ? W : H;
  const out = new Uint8Array(W * H * C);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let x: number;
      let y: number;
      switch (o) {
        case 1: [x, y] = [c, r]; break;
        case 2: [x, y] = [W - 1 - c, r]; break;
        case 3: [x, y] = [W - 1 - c, H - 1 - r]; break;
        case 4: [x, y] = [c, H - 1 - r]; break;
        case 5: [x, y] = [r, c]; break;
        case 6: [x, y] = [W - 1 - r, c]; break;
        case 7: [x, y] = [W - 1 - r, H - 1 - c]; break;
        case 8: [x, y] = [r, H - 1 - c]; break;
        default: throw new Error(`orientation ${o}`);
      }
      const s = (y * W + x) * C;
      out.set(up.data.subarray(s, s + C), (r * w + c) * C);
    }
  }
  return { data: out, width: w, height: h, channels: C };
}

/** Offsets spread over the whole file, denser near the start where the headers are. */
function cutPoints(len: number, count: number): number[] {
  const pts = new Set<number>([1, 2, 4, 8, 16, 33, 64, 100, len - 1, len - 2]);
  for (let i = 1; pts.size < count; i++) pts.add(Math.floor((len * i) / (count - 8)));
  return [...pts].filter((p) => p > 0 && p < len).sort((a, b) => a - b).slice(0, count);
}

export async function buildCorpus(dir: string): Promise<CorpusCase[]> {
  mkdirSync(dir, { recursive: true });
  const b = await makeBases();
  const cases: CorpusCase[] = [];
  const add = (group: string, id: string, input: unknown, expect: Outcome, extra: Partial<CorpusCase> = {}) =>
    cases.push({ id: `${group}/${id}`, group, input, expect, ...extra });
  const file = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  // empty and tiny
  add('empty', 'bytes', new Uint8Array(0), { code: 'IMAGE_EMPTY' });
  add('empty', 'file', file('empty.jpg', ''), { code: 'IMAGE_EMPTY' });
  add('empty', 'array-buffer', new ArrayBuffer(0), { code: 'IMAGE_EMPTY' });
  for (const v of [0x00, 0xff, 0x89, 0x47]) add('tiny', `1-byte-${v}`, new Uint8Array([v]), DECODE_FAILED);
  add('tiny', '1-byte-<', new TextEncoder().encode('<'), { code: 'UNSUPPORTED_FORMAT' }); // markup is refused unparsed
  add('tiny', 'jpeg-soi', new Uint8Array([0xff, 0xd8]), DECODE_FAILED);
  add('tiny', 'jpeg-soi-eoi', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), DECODE_FAILED);
  add('tiny', 'png-signature', b.astroPng.slice(0, 8), DECODE_FAILED);
  add('tiny', 'gif-magic', new TextEncoder().encode('GIF89a'), DECODE_FAILED);
  add('tiny', 'riff-webp', new TextEncoder().encode('RIFF\x04\x00\x00\x00WEBP'), DECODE_FAILED);

  // seeded random bytes, bare and behind each format's magic number
  const rand = seededRandom(0x5eed);
  for (let i = 0; i < 16; i++) {
    const n = [3, 17, 100, 512, 4096, 65536][i % 6]! + randomInt(rand, 0, 50);
    add('random', `bare-${i}-${n}b`, randomBytes(rand, n), DECODE_FAILED);
  }
  const magics: [string, Uint8Array][] = [
    ['jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])],
    ['png', b.astroPng.slice(0, 8)],
    ['gif', new TextEncoder().encode('GIF89a')],
    ['webp', new TextEncoder().encode('RIFF\x00\x10\x00\x00WEBPVP8 ')],
    ['tiff', new Uint8Array([0x49, 0x49, 0x2a, 0x00])],
  ];
  for (const [name, magic] of magics) {
    for (let i = 0; i < 4; i++) add('random', `${name}-magic-${i}`, concat([magic, randomBytes(rand, 64 << (i * 2))]), DECODE_FAILED);
  }
  // A valid header followed by garbage pixels data.
  add('random', 'png-header-then-noise', concat([b.astroPng.slice(0, 33), randomBytes(rand, 5000)]), DECODE_FAILED);
  // libjpeg decodes damaged entropy data as best it can (as browsers show it): noise, no face.
  add('random', 'jpeg-header-then-noise', concat([b.graceJpeg.slice(0, 600), randomBytes(rand, 5000)]), NONE);

  // truncations: every prefix is refused, except one that only loses the end-of-file marker
  // (JPEG EOI, GIF trailer, PNG IEND chunk) and so still holds every pixel
  const truncated: [string, Uint8Array, number, (cut: number, len: number) => Outcome][] = [
    ['jpeg', b.graceJpeg, 45, (cut, len) => (cut >= len - 2 ? SOME : DECODE_FAILED)],
    ['png', b.astroPng, 45, (cut, len) => (cut >= len - PNG_IEND_BYTES ? SOME : DECODE_FAILED)],
    ['webp', b.graceWebp, 20, () => DECODE_FAILED],
    ['gif', b.graceGif, 20, (cut, len) => (cut >= len - 1 ? SOME : DECODE_FAILED)],
  ];
  for (const [fmt, bytes, count, expect] of truncated) {
    for (const cut of cutPoints(bytes.length, count)) {
      const input = cut % 2 ? bytes.slice(0, cut) : file(`trunc-${fmt}-${cut}.${fmt}`, bytes.subarray(0, cut));
      add(`truncated-${fmt}`, `at-${cut}-of-${bytes.length}`, input, expect(cut, bytes.length));
    }
  }

  // the name lies about the format: decoding goes by content
  add('wrong-extension', 'png-named-jpg', file('astro-really-png.jpg', b.astroPng), SOME);
  add('wrong-extension', 'jpeg-named-png', file('grace-really-jpeg.png', b.graceJpeg), SOME);
  add('wrong-extension', 'jpeg-named-heic', file('grace-really-jpeg.heic', b.graceJpeg), SOME);
  add('wrong-extension', 'jpeg-named-HEIC-upper', file('IMG_0001.HEIC', b.graceJpeg), SOME);
  add('wrong-extension', 'webp-named-jpg', file('grace-really-webp.jpg', b.graceWebp), SOME);
  add('wrong-extension', 'gif-named-png', file('grace-really-gif.png', b.graceGif), SOME);
  add('wrong-extension', 'no-extension', file('grace', b.graceJpeg), SOME);
  add('wrong-extension', 'text-named-jpg', file('notes.jpg', 'not a photo\n'.repeat(10)), DECODE_FAILED);

  // valid images without a face
  const plain = (w: number, h: number, rgb: [number, number, number]) =>
    sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  add('no-face', 'grey-png', await plain(320, 240, [128, 128, 128]).png().toBuffer(), NONE);
  add('no-face', 'black-jpeg', await plain(320, 240, [0, 0, 0]).jpeg().toBuffer(), NONE);
  add('no-face', 'white-webp', await plain(320, 240, [255, 255, 255]).webp().toBuffer(), NONE);
  const grad = new Uint8Array(256 * 256 * 3).map((_, i) => Math.floor(i / 3) % 256);
  add('no-face', 'gradient-raw', { data: grad, width: 256, height: 256, channels: 3 }, NONE);
  const checker = new Uint8Array(256 * 256).map((_, i) => ((i % 256 >> 4) + (i >> 12)) % 2 ? 255 : 0);
  add('no-face', 'checkerboard-grey-raw', { data: checker, width: 256, height: 256, channels: 1 }, NONE);

  // extreme sizes that are nonetheless valid
  for (const [w, h] of [[1, 1], [2, 2], [3, 3], [1, 2000], [2000, 1], [16, 16], [4, 3000]] as const) {
    add('tiny-size', `${w}x${h}-png`, await plain(w, h, [90, 60, 40]).png().toBuffer(), NONE);
  }
  add('tiny-size', '1x1-jpeg', await plain(1, 1, [200, 150, 120]).jpeg().toBuffer(), NONE);
  add('tiny-size', '1x1-raw', { data: new Uint8Array([1, 2, 3]), width: 1, height: 1, channels: 3 }, NONE);
  // The whole portrait in 24 and 12 pixels: at the detector's limit, which must not upset it.
  add('tiny-size', 'face-24px', await fromRaw(b.astroRaw).resize(24, 24).png().toBuffer(), { faces: 'any' });
  add('tiny-size', 'face-12px', await fromRaw(b.astroRaw).resize(12, 12).png().toBuffer(), { faces: 'any' });

  // decompression bombs and size limits: refused from the header, before decoding
  add('bomb', 'png-ihdr-20000x20000', pngHeaderBomb(20000, 20000), { code: 'IMAGE_TOO_LARGE' });
  add('bomb', 'png-ihdr-65535x65535', pngHeaderBomb(65535, 65535), { code: 'IMAGE_TOO_LARGE' });
  // libpng itself refuses rows over 1,000,000 pixels while reading the header.
  add('bomb', 'png-ihdr-2^31-1x1', pngHeaderBomb(2 ** 31 - 1, 1), DECODE_FAILED);
  add('bomb', 'png-deflate-20000x20000', file('deflate-bomb.png', await pngDeflateBomb(20000, 20000)), { code: 'IMAGE_TOO_LARGE' });
  add('bomb', 'jpeg-sof-20000x20000', jpegWithDeclaredSize(b.graceJpeg, 20000, 20000), { code: 'IMAGE_TOO_LARGE' });
  // libjpeg refuses sides over 65,500 while reading the header.
  add('bomb', 'jpeg-sof-65535x65535', jpegWithDeclaredSize(b.graceJpeg, 65535, 65535), DECODE_FAILED);
  add('bomb', 'gif-65535x65535', gifWithDeclaredSize(b.graceGif, 65535, 65535), { code: 'IMAGE_TOO_LARGE' });
  add('bomb', 'webp-vp8l-16383x16383', webpWithMaxDeclaredSize(await bytesOf(fromRaw(b.astroRaw).resize(8, 8).webp({ lossless: true }))), { code: 'IMAGE_TOO_LARGE' });
  add('bomb', 'raw-huge-dims-tiny-data', { data: new Uint8Array(12), width: 100_000, height: 100_000, channels: 3 }, { code: 'IMAGE_TOO_LARGE' });
  // Compressed metadata chunks that inflate to 256 MiB: libpng caps what it inflates, the
  // pixels are an ordinary photo.
  add('chunk-bomb', 'png-ztxt-256mib', await pngWithChunkBomb(b.astroPng, 'zTXt', 256 << 20), SOME);
  add('chunk-bomb', 'png-iccp-256mib', await pngWithChunkBomb(b.astroPng, 'iCCP', 256 << 20), SOME);
  add('limits', 'above-maxPixels-option', b.astroPng, { code: 'IMAGE_TOO_LARGE' }, { matcher: 'maxPixels10k' });
  add('limits', 'raw-above-maxPixels-option', b.astroRaw, { code: 'IMAGE_TOO_LARGE' }, { matcher: 'maxPixels10k' });
  add('limits', 'bytes-above-maxBytes-option', b.graceJpeg, { code: 'INPUT_TOO_LARGE' }, { matcher: 'maxBytes1k' });
  add('limits', 'file-above-maxBytes-option', file('grace-for-maxbytes.jpg', b.graceJpeg), { code: 'INPUT_TOO_LARGE' }, { matcher: 'maxBytes1k' });
  const sparse = file('sparse-65mib.jpg', b.graceJpeg);
  truncateSync(sparse, 65 * 1024 * 1024); // sparse: costs no disk, still above the 64 MiB default
  add('limits', 'file-above-default-maxBytes', sparse, { code: 'INPUT_TOO_LARGE' });
  add('limits', 'timeout-1ms', b.astroPng, { code: 'TIMEOUT' }, { matcher: 'timeout1ms' });

  // colour models, bit depths and containers that must all decode to the same face
  const astro = () => fromRaw(b.astroRaw);
  add('colour', 'grey-jpeg', await astro().greyscale().jpeg().toBuffer(), SOME);
  add('colour', 'grey-png', await astro().greyscale().png().toBuffer(), SOME);
  add('colour', 'grey-alpha-png', await astro().greyscale().ensureAlpha(0.8).png().toBuffer(), SOME);
  add('colour', 'cmyk-jpeg', await astro().toColourspace('cmyk').jpeg().toBuffer(), SOME);
  add('colour', 'rgb16-png', await astro().toColourspace('rgb16').png().toBuffer(), SOME);
  add('colour', 'grey16-png', await astro().toColourspace('grey16').png().toBuffer(), SOME);
  add('colour', 'rgba-png-opaque', await astro().ensureAlpha(1).png().toBuffer(), SOME);
  add('colour', 'rgba-png-half-transparent', await astro().ensureAlpha(0.5).png().toBuffer(), SOME);
  add('colour', 'palette-png', await astro().png({ palette: true, colours: 64 }).toBuffer(), SOME);
  add('colour', 'interlaced-png', await astro().png({ progressive: true }).toBuffer(), SOME);
  add('colour', 'progressive-jpeg', await astro().jpeg({ progressive: true }).toBuffer(), SOME);
  add('colour', 'jpeg-444-q100', await astro().jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer(), SOME);
  add('colour', 'jpeg-q5', await astro().jpeg({ quality: 5 }).toBuffer(), SOME);
  add('colour', 'webp-lossless', await astro().webp({ lossless: true }).toBuffer(), SOME);
  add('colour', 'webp-alpha', await astro().ensureAlpha(0.7).webp().toBuffer(), SOME);
  add('colour', 'avif', await astro().avif({ quality: 60 }).toBuffer(), SOME);
  add('colour', 'tiff-lzw', await astro().tiff({ compression: 'lzw' }).toBuffer(), SOME);
  add('colour', 'tiff-cmyk', await astro().toColourspace('cmyk').tiff().toBuffer(), SOME);
  add('colour', 'raw-rgba', { ...(await rawOf(astro().ensureAlpha(1))) }, SOME, { upright: true });
  add('colour', 'raw-grey', { ...(await rawOf(astro().greyscale())) }, SOME, { upright: true });
  add('colour', 'raw-grey-alpha', { ...(await rawOf(astro().greyscale().ensureAlpha(1))) }, SOME, { upright: true });
  add('colour', 'raw-uint8clamped', { ...b.astroRaw, data: new Uint8ClampedArray(b.astroRaw.data) }, SOME, { upright: true });
  add('colour', 'raw-longer-data', { ...b.astroRaw, data: concat([new Uint8Array(b.astroRaw.data), new Uint8Array(999)]) }, SOME, { upright: true });
  add('colour', 'array-buffer-of-jpeg', b.graceJpeg.slice().buffer, SOME);
  add('colour', 'node-buffer-of-jpeg', Buffer.from(b.graceJpeg), SOME);
  // A Buffer view into a larger ArrayBuffer (as from Node's pooled allocations).
  add('colour', 'offset-view-of-png', concat([new Uint8Array(13), b.astroPng, new Uint8Array(7)]).subarray(13, 13 + b.astroPng.length), SOME);

  // EXIF orientation: rotated/mirrored pixels + the tag that undoes it
  for (let o = 1; o <= 8; o++) {
    const stored = storeForOrientation(b.astroRaw, o);
    add('exif-orientation', `jpeg-${o}`, await fromRaw(stored).jpeg({ quality: 95 }).withMetadata({ orientation: o }).toBuffer(), SOME, { upright: true });
  }
  for (const o of [3, 6, 8]) {
    const stored = storeForOrientation(b.astroRaw, o);
    add('exif-orientation', `png-${o}`, await fromRaw(stored).png().withMetadata({ orientation: o }).toBuffer(), SOME, { upright: true });
    add('exif-orientation', `webp-${o}`, await fromRaw(stored).webp({ quality: 95 }).withMetadata({ orientation: o }).toBuffer(), SOME, { upright: true });
  }

  // animation: the first frame is the photo
  const blank = await plain(256, 256, [120, 120, 120]).png().toBuffer();
  add('animated', 'gif-face-first', await sharp([b.astroPng, blank], { join: { animated: true } }).gif().toBuffer(), SOME, { upright: true });
  add('animated', 'gif-face-second', await sharp([blank, b.astroPng], { join: { animated: true } }).gif().toBuffer(), NONE);
  add('animated', 'gif-60-frames', await sharp([b.astroPng, ...Array.from({ length: 59 }, () => blank)], { join: { animated: true } }).gif().toBuffer(), SOME, { upright: true });
  add('animated', 'webp-face-first', await sharp([b.astroPng, blank, blank], { join: { animated: true } }).webp().toBuffer(), SOME, { upright: true });

  // SVG: refused (our choice: vector input needs a rasteriser we do not want to expose)
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#888"/></svg>';
  add('svg', 'plain', new TextEncoder().encode(svg), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'xml-declaration-named-png', file('drawing.png', `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'bom-and-whitespace', new TextEncoder().encode(`\ufeff  \n${svg}`), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'utf16-svg', new Uint8Array(Buffer.from(`\ufeff${svg}`, 'utf16le')), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'html-page', new TextEncoder().encode('<!doctype html><html><body><img src="x.jpg"></body></html>'), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'gzipped-svgz', gzipSync(svg), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'huge-declared-size', new TextEncoder().encode(svg.replace(/width="64" height="64"/, 'width="100000" height="100000"')), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'entity-bomb', new TextEncoder().encode(svgEntityBomb()), { code: 'UNSUPPORTED_FORMAT' });
  add('svg', 'embedded-jpeg', new TextEncoder().encode(svg.replace('<rect', `<image width="64" height="64" href="data:image/jpeg;base64,${Buffer.from(b.graceJpeg).toString('base64')}"/><rect`)), { code: 'UNSUPPORTED_FORMAT' });

  // malformed RawImage objects
  const px = (n: number) => new Uint8Array(n);
  const raw = (o: Record<string, unknown>) => ({ data: px(64 * 64 * 3), width: 64, height: 64, channels: 3, ...o });
  const invalid: [string, unknown][] = [
    ['channels-0', raw({ channels: 0 })],
    ['channels-5', raw({ channels: 5 })],
    ['channels-string', raw({ channels: '3' })],
    ['channels-missing', raw({ channels: undefined })],
    ['channels-1.5', raw({ channels: 1.5 })],
    ['width-0', raw({ width: 0 })],
    ['width-negative', raw({ width: -64 })],
    ['width-fraction', raw({ width: 63.5 })],
    ['width-NaN', raw({ width: NaN })],
    ['width-Infinity', raw({ width: Infinity })],
    ['width-string', raw({ width: '64' })],
    ['height-null', raw({ height: null })],
    ['data-short-by-1', raw({ data: px(64 * 64 * 3 - 1) })],
    ['data-empty', raw({ data: px(0) })],
    ['data-for-wrong-channels', raw({ channels: 4 })],
    ['huge-width-tiny-data', raw({ width: 1_000_000, height: 1, data: px(30) })],
    ['data-float32', raw({ data: new Float32Array(64 * 64 * 3).fill(0.5) })],
    ['data-float32-nan', raw({ data: new Float32Array(64 * 64 * 3).fill(NaN) })],
    ['data-float32-infinity', raw({ data: new Float32Array(64 * 64 * 3).fill(Infinity) })],
    ['data-float64', raw({ data: new Float64Array(64 * 64 * 3) })],
    ['data-uint16', raw({ data: new Uint16Array(64 * 64 * 3) })],
    ['data-int8', raw({ data: new Int8Array(64 * 64 * 3) })],
    ['data-plain-array', raw({ data: Array.from({ length: 64 * 64 * 3 }, () => 128) })],
    ['data-nan-array', raw({ data: Array.from({ length: 64 * 64 * 3 }, () => NaN) })],
    ['data-string', raw({ data: 'x'.repeat(64 * 64 * 3) })],
    ['data-null', raw({ data: null })],
    ['data-array-buffer', raw({ data: new ArrayBuffer(64 * 64 * 3) })],
  ];
  for (const [id, input] of invalid) add('raw-invalid', id, input, { code: 'INVALID_IMAGE' });

  // not an image at all
  const notImage: [string, unknown, MatcherErrorCode][] = [
    ['null', null, 'INVALID_IMAGE'],
    ['undefined', undefined, 'INVALID_IMAGE'],
    ['number', 42, 'INVALID_IMAGE'],
    ['boolean', true, 'INVALID_IMAGE'],
    ['empty-object', {}, 'INVALID_IMAGE'],
    ['array-of-bytes', [0xff, 0xd8, 0xff], 'INVALID_IMAGE'],
    ['uint16-array', new Uint16Array(100), 'INVALID_IMAGE'],
    ['data-view', new DataView(b.graceJpeg.slice().buffer), 'INVALID_IMAGE'],
    ['shared-array-buffer', new SharedArrayBuffer(64), 'INVALID_IMAGE'],
    ['promise', Promise.resolve(b.graceJpeg), 'INVALID_IMAGE'],
    ['missing-path', join(dir, 'does-not-exist.jpg'), 'FILE_NOT_FOUND'],
    ['empty-path', '', 'FILE_NOT_FOUND'],
    ['path-with-nul', `${dir}/a\0b.jpg`, 'FILE_READ_FAILED'],
    ['directory', dir, 'FILE_READ_FAILED'],
    ['dev-zero', '/dev/zero', 'FILE_READ_FAILED'],
    ['dev-null', '/dev/null', 'FILE_READ_FAILED'],
  ];
  for (const [id, input, code] of notImage) add('not-an-image', id, input, { code });
  const fifo = join(dir, 'fifo.jpg');
  execFileSync('mkfifo', [fifo]); // reading it would block forever
  add('not-an-image', 'fifo', fifo, { code: 'FILE_READ_FAILED' });
  const loopA = join(dir, 'loop-a.jpg');
  symlinkSync(join(dir, 'loop-b.jpg'), loopA);
  symlinkSync(loopA, join(dir, 'loop-b.jpg'));
  add('not-an-image', 'symlink-loop', loopA, { code: 'FILE_READ_FAILED' });
  const link = join(dir, 'link-to-grace.jpg');
  symlinkSync(file('grace-target.jpg', b.graceJpeg), link);
  add('not-an-image', 'symlink-to-photo', link, SOME);

  return cases;
}

async function bytesOf(s: Sharp): Promise<Uint8Array> {
  return new Uint8Array(await s.toBuffer());
}

async function rawOf(s: Sharp): Promise<RawImage> {
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as RawImage['channels'] };
}
