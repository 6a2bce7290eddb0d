/**
 * The gallery file's outer frame, shared by plain and encrypted files: magic, version, flags
 * and a JSON header (see format.ts for the layout).
 */
import type { MatcherErrorCode } from '../core/errors.js';
import { equalBytes } from './bytes.js';
import { fail } from './records.js';

export const GALLERY_MAGIC = new Uint8Array([0x52, 0x46, 0x47, 0x41, 0x4c]); // 'RFGAL'
export const GALLERY_FORMAT_VERSION = 2;
export const FLAG_ENCRYPTED = 1;
export const PREFIX_BYTES = 12;
export const CHECKSUM_BYTES = 32;

export function align4(n: number): number {
  return (n + 3) & ~3;
}

export function prefix(flags: number, header: Uint8Array, version: number): Uint8Array {
  const out = new Uint8Array(PREFIX_BYTES + header.length);
  out.set(GALLERY_MAGIC, 0);
  out[5] = version;
  out[6] = flags;
  out[7] = 0;
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, PREFIX_BYTES);
  return out;
}

export interface Prefix {
  version: number;
  flags: number;
  header: Uint8Array;
  /** Offset of the first byte after the header. */
  end: number;
}

export function readPrefix(bytes: Uint8Array): Prefix {
  if (!(bytes instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'gallery bytes must be a Uint8Array');
  const magicSeen = Math.min(bytes.length, GALLERY_MAGIC.length);
  if (!equalBytes(bytes.subarray(0, magicSeen), GALLERY_MAGIC.subarray(0, magicSeen))) {
    fail('GALLERY_INVALID', 'not a reunite-face gallery file (bad magic bytes)');
  }
  if (bytes.length < PREFIX_BYTES) fail('GALLERY_CORRUPT', `gallery file is truncated (${bytes.length} bytes)`);
  const version = bytes[5]!;
  if (version < 1 || version > GALLERY_FORMAT_VERSION) {
    fail(
      'GALLERY_VERSION',
      version > GALLERY_FORMAT_VERSION
        ? `gallery file format version ${version} is newer than this library reads (1 to ${GALLERY_FORMAT_VERSION}); upgrade reunite-face`
        : `gallery file format version ${version} is not supported (this library reads 1 to ${GALLERY_FORMAT_VERSION})`,
    );
  }
  const flags = bytes[6]!;
  if ((flags & ~FLAG_ENCRYPTED) !== 0 || bytes[7] !== 0) fail('GALLERY_INVALID', 'gallery file has unknown flags');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const end = PREFIX_BYTES + headerLength;
  if (end > bytes.length) fail('GALLERY_CORRUPT', 'gallery file is truncated (header runs past the end)');
  return { version, flags, header: bytes.subarray(PREFIX_BYTES, end), end };
}

export function parseJson(bytes: Uint8Array, code: MatcherErrorCode, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    return fail(code, `gallery ${what} is not valid UTF-8 JSON`, cause);
  }
}
