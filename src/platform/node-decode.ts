import sharp from 'sharp';
import { MatcherError } from '../core/errors.js';
import { toRGB, validateRawImage } from '../core/image.js';
import { readRegularFile } from './node-files.js';
import type { DecodeLimits } from '../core/platform.js';
import type { RawImage } from '../core/types.js';

/** What the Node entry accepts as a photo. */
export type NodeImageInput = string | Uint8Array | ArrayBuffer | RawImage;

export function isRawImage(x: unknown): x is RawImage {
  return typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x;
}

function readInput(path: string, limits: DecodeLimits): Promise<Uint8Array> {
  return readRegularFile(path, 'photo', limits.maxBytes);
}

/**
 * Text and gzip inputs, recognised from their first bytes. libvips would hand them to librsvg
 * (SVG, SVGZ), that is to an XML parser and a renderer: no photo arrives that way, so they are
 * refused before any parser sees them.
 */
function refusedByContent(b: Uint8Array): string | undefined {
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip-compressed (e.g. SVGZ)';
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return 'UTF-16 text (e.g. SVG)';
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && i < 4096 && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  if (b[i] === 0x3c) return 'SVG/XML/HTML';
  return undefined;
}

/**
 * Decodes with sharp (libvips): JPEG, PNG, WebP, GIF (first frame), AVIF/TIFF where libvips
 * has them. EXIF orientation is applied, colour converted to sRGB 8-bit, alpha dropped.
 * The pixel limit is enforced by libvips from the header, before pixels are decoded.
 */
export async function decodeNode(input: NodeImageInput, limits: DecodeLimits): Promise<RawImage> {
  // The pipeline samples packed RGB: grey, grey+alpha and RGBA callers' pixels are converted here.
  if (isRawImage(input)) return toRGB(validateRawImage(input, limits.maxPixels));
  let bytes: Uint8Array;
  if (typeof input === 'string') bytes = await readInput(input, limits);
  else if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else {
    throw new MatcherError('INVALID_IMAGE', 'expected a file path, a Buffer/Uint8Array of an encoded image, or a RawImage');
  }
  if (bytes.length === 0) throw new MatcherError('IMAGE_EMPTY', 'the image is empty (0 bytes)');
  if (bytes.length > limits.maxBytes) {
    throw new MatcherError('INPUT_TOO_LARGE', `input is ${bytes.length} bytes, above the limit of ${limits.maxBytes} (option limits.maxBytes)`);
  }
  const refused = refusedByContent(bytes);
  if (refused) throw new MatcherError('UNSUPPORTED_FORMAT', `${refused} input is not accepted: rasterise it to PNG or JPEG first`);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new MatcherError('IMAGE_DECODE_FAILED', `not a readable image: ${(e as Error).message}`, { cause: e });
  }
  if (meta.format === 'svg') {
    throw new MatcherError('UNSUPPORTED_FORMAT', 'SVG is not accepted: rasterise it to PNG or JPEG first');
  }
  const w = meta.width ?? 0;
  const h = meta.pageHeight ?? meta.height ?? 0;
  if (w * h > limits.maxPixels) {
    throw new MatcherError('IMAGE_TOO_LARGE', `image is ${w}x${h} = ${w * h} pixels, above the limit of ${limits.maxPixels} (option limits.maxPixels)`);
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error', pages: 1 })
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return toRGB(
      validateRawImage(
        { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: info.channels as 3 },
        limits.maxPixels,
      ),
    );
  } catch (e) {
    if (e instanceof MatcherError) throw e;
    throw new MatcherError('IMAGE_DECODE_FAILED', `could not decode the image: ${(e as Error).message}`, { cause: e });
  }
}
