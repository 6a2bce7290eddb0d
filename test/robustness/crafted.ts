import { createDeflate } from 'node:zlib';
import { concat } from './seeded.js';

/*
 * Hand-built files whose headers lie about their size. sharp would never write them, which
 * is the point: a decoder must refuse them from the header, before allocating pixels.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) head[4 + i] = type.charCodeAt(i);
  const body = concat([head.subarray(4), data]);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc32(body));
  return concat([head.subarray(0, 4), body, tail]);
}

const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  d[8] = bitDepth;
  d[9] = colourType;
  return chunk('IHDR', d);
}

/** A ~100-byte PNG whose IHDR claims width x height RGB pixels; its IDAT holds a single row. */
export function pngHeaderBomb(width: number, height: number): Uint8Array {
  // zlib stream of one empty-filtered row of zeros would need width*3 bytes; a stored tiny
  // stream is enough: the file is refused (or fails) long before the data matters.
  const idat = new Uint8Array([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
  return concat([PNG_SIGNATURE, ihdr(width, height, 8, 2), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/**
 * A complete, valid 1-bit greyscale PNG of width x height zero pixels. 20000x20000 deflates to
 * well under a megabyte but is 400 M pixels (1.2 GB as 8-bit RGB) once decoded.
 */
export async function pngDeflateBomb(width: number, height: number): Promise<Uint8Array> {
  const row = new Uint8Array(1 + Math.ceil(width / 8)); // filter byte 0 + packed bits
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  const idat = concat(parts);
  // Split the stream into 64 KiB IDAT chunks, as encoders do.
  const chunks: Uint8Array[] = [];
  for (let o = 0; o < idat.length; o += 65536) chunks.push(chunk('IDAT', idat.subarray(o, o + 65536)));
  return concat([PNG_SIGNATURE, ihdr(width, height, 1, 0), ...chunks, chunk('IEND', new Uint8Array(0))]);
}

async function deflateZeros(total: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const block = new Uint8Array(1 << 20);
  for (let n = 0; n < total; n += block.length) {
    if (!deflate.write(block)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return concat(parts);
}

/**
 * A valid PNG with an extra compressed chunk that inflates to `inflated` bytes: a zTXt text
 * comment or an iCCP colour profile. Metadata readers that inflate such chunks unbounded
 * are the classic PNG bomb; the pixels themselves stay small.
 */
export async function pngWithChunkBomb(png: Uint8Array, type: 'zTXt' | 'iCCP', inflated: number): Promise<Uint8Array> {
  const payload = concat([new TextEncoder().encode(type === 'zTXt' ? 'Comment' : 'bomb'), new Uint8Array([0, 0]), await deflateZeros(inflated)]);
  // Ancillary chunks go after IHDR (iCCP must precede IDAT); IHDR is 8 + 25 bytes.
  const at = 8 + 25;
  return concat([png.subarray(0, at), chunk(type, payload), png.subarray(at)]);
}

/** Rewrites the frame size in a baseline/progressive JPEG's SOF marker. */
export function jpegWithDeclaredSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  for (let i = 2; i + 9 < out.length; ) {
    if (out[i] !== 0xff) throw new Error(`not at a JPEG marker at ${i}`);
    const marker = out[i + 1]!;
    const len = (out[i + 2]! << 8) | out[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xc2) {
      out[i + 5] = height >> 8;
      out[i + 6] = height & 0xff;
      out[i + 7] = width >> 8;
      out[i + 8] = width & 0xff;
      return out;
    }
    i += 2 + len;
  }
  throw new Error('no SOF marker found');
}

/** Rewrites the logical screen and the first image descriptor of a GIF to width x height. */
export function gifWithDeclaredSize(gif: Uint8Array, width: number, height: number): Uint8Array {
  const out = gif.slice();
  const v = new DataView(out.buffer);
  v.setUint16(6, width, true);
  v.setUint16(8, height, true);
  const packed = out[10]!;
  let i = 13 + (packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0);
  // Skip extension blocks (0x21 label, then sub-blocks) up to the first image descriptor.
  while (out[i] === 0x21) {
    i += 2;
    while (out[i]! !== 0) i += out[i]! + 1;
    i += 1;
  }
  if (out[i] !== 0x2c) throw new Error(`no image descriptor at ${i}`);
  v.setUint16(i + 5, width, true);
  v.setUint16(i + 7, height, true);
  return out;
}

/** A lossless WebP whose VP8L header is rewritten to claim 16383x16383 (its maximum). */
export function webpWithMaxDeclaredSize(losslessWebp: Uint8Array): Uint8Array {
  const out = losslessWebp.slice();
  const tag = new TextDecoder().decode(out.subarray(12, 16));
  if (tag !== 'VP8L' || out[20] !== 0x2f) throw new Error(`expected a simple lossless WebP, found chunk ${tag}`);
  const v = new DataView(out.buffer);
  const bits = v.getUint32(21, true);
  const side = 16383 - 1;
  v.setUint32(21, ((bits & 0xf0000000) | side | (side << 14)) >>> 0, true);
  return out;
}

/** SVG whose entities expand exponentially ("billion laughs"). */
export function svgEntityBomb(): string {
  let ents = '<!ENTITY a0 "lol">';
  for (let i = 1; i < 10; i++) ents += `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`;
  return `<?xml version="1.0"?><!DOCTYPE svg [${ents}]><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><text>&a9;</text></svg>`;
}
