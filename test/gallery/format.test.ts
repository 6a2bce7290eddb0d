import { describe, expect, it } from 'vitest';
import { isMatcherError, type MatcherErrorCode } from '../../src/core/errors.js';
import { blockDigest } from '../../src/gallery/bytes.js';
import { decodeGallery, encodeGallery, GalleryKeyCache, type GalleryState } from '../../src/gallery/format.js';
import { EMBEDDER, smallGallery } from './fixtures.js';
import { codeOf } from '../helpers/code-of.js';

const GALLERY_CODES: MatcherErrorCode[] = [
  'GALLERY_INVALID',
  'GALLERY_CORRUPT',
  'GALLERY_VERSION',
  'GALLERY_DECRYPT_FAILED',
  'GALLERY_PASSPHRASE_REQUIRED',
];

function expectSameState(got: GalleryState, want: GalleryState): void {
  expect(got.embedder).toEqual(want.embedder);
  expect(got.templates.length).toBe(want.templates.length);
  got.templates.forEach((t, i) => {
    const w = want.templates[i]!;
    expect({ ...t, vector: Array.from(t.vector) }).toEqual({ ...w, vector: Array.from(w.vector) });
    expect(t.vector).toBeInstanceOf(Float32Array);
  });
}

/** Rewrites the trailing checksum so a deliberately inconsistent file passes the integrity check. */
async function resealed(bytes: Uint8Array): Promise<Uint8Array> {
  const out = bytes.slice();
  out.set(await blockDigest(out.subarray(0, out.length - 32)), out.length - 32);
  return out;
}

describe('gallery format: plain', () => {
  it('roundtrips vectors bit-exactly, records, metadata and the embedder', async () => {
    const state = smallGallery(5);
    const bytes = await encodeGallery(state);
    expect(Array.from(bytes.subarray(0, 5))).toEqual([...'RFGAL'].map((c) => c.charCodeAt(0)));
    expectSameState(await decodeGallery(bytes, { expectEmbedder: EMBEDDER }), state);
  });

  it('returns vectors that do not alias the input bytes', async () => {
    const state = smallGallery(2);
    const bytes = await encodeGallery(state);
    const got = await decodeGallery(bytes);
    bytes.fill(0);
    expect(Array.from(got.templates[1]!.vector)).toEqual(Array.from(state.templates[1]!.vector));
  });

  it('roundtrips an empty gallery', async () => {
    const state: GalleryState = { embedder: EMBEDDER, templates: [] };
    expectSameState(await decodeGallery(await encodeGallery(state)), state);
  });

  it('refuses every single-byte flip', async () => {
    const bytes = await encodeGallery(smallGallery(3));
    for (let at = 0; at < bytes.length; at++) {
      for (const mask of [1 << at % 8, 0xff]) {
        const bad = bytes.slice();
        bad[at]! ^= mask;
        const code = await codeOf(decodeGallery(bad));
        if (at >= 8) expect(code, `offset ${at} mask ${mask}`).toBe('GALLERY_CORRUPT');
        else expect(GALLERY_CODES, `offset ${at} mask ${mask}: ${code}`).toContain(code);
      }
    }
  });

  it('refuses truncation at every length, and trailing bytes', async () => {
    const bytes = await encodeGallery(smallGallery(3));
    for (let n = 0; n < bytes.length; n++) {
      expect(await codeOf(decodeGallery(bytes.subarray(0, n))), `length ${n}`).toBe('GALLERY_CORRUPT');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(await codeOf(decodeGallery(longer))).toBe('GALLERY_CORRUPT');
  });

  it('names bad magic and unknown versions', async () => {
    const bytes = await encodeGallery(smallGallery(1));
    expect(await codeOf(decodeGallery(new TextEncoder().encode('PK\u0003\u0004 zip file')))).toBe('GALLERY_INVALID');
    const newer = bytes.slice();
    newer[5] = 3;
    const err = await decodeGallery(newer).catch((e: Error) => e);
    expect(isMatcherError(err, 'GALLERY_VERSION')).toBe(true);
    expect((err as Error).message).toMatch(/newer/);
  });

  it('refuses a well-sealed file whose content is inconsistent, before returning anything', async () => {
    const bytes = await encodeGallery(smallGallery(3));
    const text = new TextDecoder().decode(bytes);
    // A NaN in the middle of the vectors (little-endian float32 NaN = 00 00 c0 7f).
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const vectorsAt = (12 + headerLength + 3) & ~3;
    const nan = bytes.slice();
    nan.set([0, 0, 0xc0, 0x7f], vectorsAt + 8 * 4 + 4);
    expect(await codeOf(decodeGallery(await resealed(nan)))).toBe('GALLERY_INVALID');
    // A duplicated templateId.
    const at = text.indexOf('"templateId":"t1"');
    const dup = bytes.slice();
    dup[at + 15] = '0'.charCodeAt(0);
    expect(await codeOf(decodeGallery(await resealed(dup)))).toBe('GALLERY_INVALID');
  });

  it('refuses a gallery made with another embedder, naming both', async () => {
    const bytes = await encodeGallery(smallGallery(2));
    for (const other of [
      { ...EMBEDDER, id: 'arcface-r50' },
      { ...EMBEDDER, sha256: 'b'.repeat(64) },
      { ...EMBEDDER, dim: 512 },
    ]) {
      const err = await decodeGallery(bytes, { expectEmbedder: other }).catch((e: Error) => e);
      expect(isMatcherError(err, 'GALLERY_MODEL_MISMATCH')).toBe(true);
      expect((err as Error).message).toContain(`'${EMBEDDER.id}'`);
      expect((err as Error).message).toContain(`'${other.id}'`);
    }
  });

  it('refuses to encode a state that would not load', async () => {
    const base = smallGallery(2);
    const variants: GalleryState[] = [
      { ...base, templates: [base.templates[0]!, { ...base.templates[1]!, templateId: 't0' }] },
      { ...base, templates: [{ ...base.templates[0]!, vector: new Float32Array(7) }] },
      { ...base, templates: [{ ...base.templates[0]!, vector: base.templates[0]!.vector.map(() => NaN) }] },
      { ...base, templates: [{ ...base.templates[0]!, enrolledAt: 'yesterday' }] },
      { ...base, templates: [{ ...base.templates[0]!, metadata: { nested: { a: 1 } } as never }] },
      { ...base, embedder: { ...EMBEDDER, sha256: 'not-hex' } },
    ];
    for (const v of variants) expect(await codeOf(encodeGallery(v))).toBe('INVALID_ARGUMENT');
  });
});

describe('gallery format: encrypted', () => {
  it('roundtrips with the passphrase; the plaintext does not appear in the file', async () => {
    const state = smallGallery(4);
    const bytes = await encodeGallery(state, { passphrase: 'correct horse' });
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).not.toContain('case-1');
    expect(text).not.toContain('mobilefacenet');
    expectSameState(await decodeGallery(bytes, { passphrase: 'correct horse', expectEmbedder: EMBEDDER }), state);
    const header = JSON.parse(text.slice(12, 12 + new DataView(bytes.buffer).getUint32(8, true)));
    expect(header.kdf.iterations).toBeGreaterThanOrEqual(600_000);
    expect(header.kdf.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(header.cipher.iv).toMatch(/^[0-9a-f]{24}$/);
  });

  it('uses a fresh salt and IV per file', async () => {
    const a = await encodeGallery(smallGallery(1), { passphrase: 'p' });
    const b = await encodeGallery(smallGallery(1), { passphrase: 'p' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('wrong passphrase, missing passphrase, passphrase on a plain file', async () => {
    const enc = await encodeGallery(smallGallery(2), { passphrase: 'right' });
    expect(await codeOf(decodeGallery(enc, { passphrase: 'wrong' }))).toBe('GALLERY_DECRYPT_FAILED');
    expect(await codeOf(decodeGallery(enc))).toBe('GALLERY_PASSPHRASE_REQUIRED');
    const plain = await encodeGallery(smallGallery(2));
    expect(await codeOf(decodeGallery(plain, { passphrase: 'right' }))).toBe('GALLERY_DECRYPT_FAILED');
  });

  it('refuses weak key derivation settings when writing', async () => {
    expect(await codeOf(encodeGallery(smallGallery(1), { passphrase: 'p', iterations: 1000 }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(encodeGallery(smallGallery(1), { passphrase: '' }))).toBe('INVALID_ARGUMENT');
  });

  it('refuses every single-byte flip and every truncation', { timeout: 120_000 }, async () => {
    const bytes = await encodeGallery(smallGallery(2), { passphrase: 'pw' });
    const cipherAt = 12 + new DataView(bytes.buffer).getUint32(8, true);
    // Flips that leave salt and iterations intact reuse the derived key instead of 600k PBKDF2 rounds each.
    const keyCache = new GalleryKeyCache();
    for (let at = 0; at < bytes.length; at++) {
      for (const mask of [1 << at % 8, 0xff]) {
        const bad = bytes.slice();
        bad[at]! ^= mask;
        const code = await codeOf(decodeGallery(bad, { passphrase: 'pw', keyCache }));
        if (at >= cipherAt) expect(code, `offset ${at}`).toBe('GALLERY_DECRYPT_FAILED');
        else expect(GALLERY_CODES, `offset ${at} mask ${mask}: ${code}`).toContain(code);
      }
    }
    for (let n = 0; n < bytes.length; n++) {
      const code = await codeOf(decodeGallery(bytes.subarray(0, n), { passphrase: 'pw', keyCache }));
      expect(['GALLERY_CORRUPT', 'GALLERY_DECRYPT_FAILED'], `length ${n}: ${code}`).toContain(code);
    }
  });
});

describe('gallery checksum', () => {
  it('is SHA-256 over the SHA-256 digests of 1 MiB blocks', async () => {
    const { createHash } = await import('node:crypto');
    const bytes = new Uint8Array(2.5 * 2 ** 20).map((_, i) => (i * 31) & 0xff);
    const blocks = [0, 1, 2].map((b) => createHash('sha256').update(bytes.subarray(b * 2 ** 20, (b + 1) * 2 ** 20)).digest());
    const want = createHash('sha256').update(Buffer.concat(blocks)).digest();
    expect(Buffer.from(await blockDigest(bytes)).equals(want)).toBe(true);
    const empty = createHash('sha256').update(createHash('sha256').update(new Uint8Array(0)).digest()).digest();
    expect(Buffer.from(await blockDigest(new Uint8Array(0))).equals(empty)).toBe(true);
  });
});
