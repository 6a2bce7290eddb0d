import { MatcherError } from '../core/errors.js';
import { toRGB, validateRawImage } from '../core/image.js';
import type { DecodeLimits } from '../core/platform.js';
import type { RawImage } from '../core/types.js';
import { readImageHeader } from './web-image-size.js';

/**
 * What the browser entry accepts as a photo. DOM classes are only named in types and tested
 * with `typeof X !== 'undefined'` at call time, so this module also loads in a worker, where
 * HTMLImageElement and HTMLCanvasElement do not exist.
 */
export type WebImageInput =
  | Blob
  | ArrayBuffer
  | Uint8Array
  | ImageBitmap
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | RawImage;

const HEADER_BYTES = 64 * 1024;

export function has(name: string): boolean {
  return typeof (globalThis as Record<string, unknown>)[name] !== 'undefined';
}

function isInstance(x: unknown, name: string): boolean {
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' && x instanceof (ctor as new () => unknown);
}

function checkPixels(w: number, h: number, limits: DecodeLimits): void {
  if (w * h > limits.maxPixels) {
    throw new MatcherError('IMAGE_TOO_LARGE', `image is ${w}x${h} = ${w * h} pixels, above the limit of ${limits.maxPixels} (option limits.maxPixels)`);
  }
}

/** A 2D context that can read pixels back: OffscreenCanvas where it exists (workers too), else a DOM canvas. */
function readContext(w: number, h: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  let ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null = null;
  if (has('OffscreenCanvas')) {
    ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
  } else if (has('document')) {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    ctx = c.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new MatcherError('RUNTIME_UNSUPPORTED', 'this browser has no 2D canvas to read image pixels');
  return ctx;
}

/** Draws any canvas image source and reads it back as RGBA. */
export function pixelsOf(source: CanvasImageSource, w: number, h: number): RawImage {
  const ctx = readContext(w, h);
  ctx.drawImage(source, 0, 0, w, h);
  let data: ImageData;
  try {
    data = ctx.getImageData(0, 0, w, h);
  } catch (e) {
    // A cross-origin image without CORS taints the canvas; the browser forbids reading it.
    throw new MatcherError(
      'INVALID_IMAGE',
      `cannot read the image's pixels (${(e as Error).name}): a cross-origin image needs crossorigin="anonymous" and CORS headers`,
      { cause: e },
    );
  }
  return { data: data.data, width: w, height: h, channels: 4 };
}

function checkBytes(n: number, limits: DecodeLimits): void {
  if (n === 0) throw new MatcherError('IMAGE_EMPTY', 'the image is empty (0 bytes)');
  if (n > limits.maxBytes) {
    throw new MatcherError('INPUT_TOO_LARGE', `input is ${n} bytes, above the limit of ${limits.maxBytes} (option limits.maxBytes)`);
  }
}

/**
 * Encoded bytes: sizes are checked from the header before the browser decodes, then
 * createImageBitmap decodes with the EXIF orientation applied (as sharp's rotate() does in Node).
 */
async function decodeBlob(blob: Blob, limits: DecodeLimits): Promise<RawImage> {
  checkBytes(blob.size, limits);
  if (blob.type === 'image/svg+xml') {
    throw new MatcherError('UNSUPPORTED_FORMAT', 'SVG is not accepted: rasterise it to PNG or JPEG first');
  }
  let head: Uint8Array;
  try {
    head = new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer());
  } catch (e) {
    throw new MatcherError('FILE_READ_FAILED', `cannot read the file: ${(e as Error).message}`, { cause: e });
  }
  const header = readImageHeader(head);
  if (header.format === 'svg') {
    throw new MatcherError('UNSUPPORTED_FORMAT', 'SVG is not accepted: rasterise it to PNG or JPEG first');
  }
  if (header.width !== undefined && header.height !== undefined) checkPixels(header.width, header.height, limits);
  if (!has('createImageBitmap')) throw new MatcherError('RUNTIME_UNSUPPORTED', 'this browser has no createImageBitmap');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
  } catch (e) {
    throw new MatcherError('IMAGE_DECODE_FAILED', `not a readable image${header.format === 'unknown' ? ' (unknown format)' : ` (${header.format})`}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  try {
    checkPixels(bitmap.width, bitmap.height, limits);
    return pixelsOf(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

async function decodeImageElement(img: HTMLImageElement, limits: DecodeLimits): Promise<RawImage> {
  try {
    await img.decode();
  } catch (e) {
    throw new MatcherError('IMAGE_DECODE_FAILED', `the <img> could not be decoded (${img.currentSrc || img.src || 'no src'})`, { cause: e });
  }
  const w = img.naturalWidth;
  const h = img.naturalHeight;
  if (!w || !h) throw new MatcherError('IMAGE_EMPTY', 'the <img> has no pixels (naturalWidth or naturalHeight is 0)');
  checkPixels(w, h, limits);
  // Browsers draw <img> with its EXIF orientation already applied (CSS image-orientation: from-image).
  return pixelsOf(img, w, h);
}

/** Any browser image source (or a RawImage) to packed 8-bit RGB, the layout the pipeline samples. */
export async function decodeWeb(input: WebImageInput, limits: DecodeLimits): Promise<RawImage> {
  return toRGB(await decodeAny(input, limits));
}

async function decodeAny(input: WebImageInput, limits: DecodeLimits): Promise<RawImage> {
  if (input === null || typeof input !== 'object') {
    throw new MatcherError('INVALID_IMAGE', `expected an image (Blob/File, ImageBitmap, ImageData, <img>, canvas, bytes or RawImage), got ${input === null ? 'null' : typeof input}`);
  }
  // ImageData looks like a RawImage but has no `channels`: test it first.
  if (isInstance(input, 'ImageData')) {
    const d = input as ImageData;
    checkPixels(d.width, d.height, limits);
    return validateRawImage({ data: d.data, width: d.width, height: d.height, channels: 4 }, limits.maxPixels);
  }
  if (isInstance(input, 'Blob')) return decodeBlob(input as Blob, limits);
  if (input instanceof ArrayBuffer || input instanceof Uint8Array) {
    checkBytes(input.byteLength, limits);
    return decodeBlob(new Blob([input as Uint8Array<ArrayBuffer>]), limits);
  }
  if (isInstance(input, 'HTMLImageElement')) return decodeImageElement(input as HTMLImageElement, limits);
  if (isInstance(input, 'ImageBitmap') || isInstance(input, 'HTMLCanvasElement') || isInstance(input, 'OffscreenCanvas')) {
    const src = input as ImageBitmap | HTMLCanvasElement | OffscreenCanvas;
    if (!src.width || !src.height) throw new MatcherError('IMAGE_EMPTY', 'the image has no pixels (width or height is 0)');
    checkPixels(src.width, src.height, limits);
    return pixelsOf(src, src.width, src.height);
  }
  if ('data' in input && 'width' in input && 'height' in input) return validateRawImage(input, limits.maxPixels);
  throw new MatcherError('INVALID_IMAGE', 'expected an image (Blob/File, ImageBitmap, ImageData, <img>, canvas, bytes or RawImage)');
}
