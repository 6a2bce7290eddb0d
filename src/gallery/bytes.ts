/** Byte helpers that work the same in Node and browsers (no Buffer). */

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

/** Strict lowercase hex; returns undefined for anything else so callers choose the error. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** WebCrypto's BufferSource typing rejects views over ArrayBufferLike; the bytes are the same. */
export function asBufferSource(bytes: Uint8Array): BufferSource {
  return bytes as unknown as BufferSource;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', asBufferSource(bytes)));
}

export const DIGEST_BLOCK_BYTES = 1 << 20;

/**
 * SHA-256 over the SHA-256 digests of consecutive 1 MiB blocks. WebCrypto has no streaming
 * digest and copies its whole input first, which for a 200 MB gallery took 3x longer than
 * hashing it block by block (Node 20); browsers also avoid one huge copy.
 */
export async function blockDigest(bytes: Uint8Array): Promise<Uint8Array> {
  const blocks = Math.max(1, Math.ceil(bytes.length / DIGEST_BLOCK_BYTES));
  const digests = new Uint8Array(blocks * 32);
  for (let b = 0; b < blocks; b++) {
    const start = b * DIGEST_BLOCK_BYTES;
    digests.set(await sha256(bytes.subarray(start, Math.min(bytes.length, start + DIGEST_BLOCK_BYTES))), b * 32);
  }
  return sha256(digests);
}

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
