/** Encrypted gallery files: AES-256-GCM over a complete plain file, key from PBKDF2-SHA256 (see format.ts). */
import { z } from 'zod';
import { concatBytes, fromHex, toHex } from './bytes.js';
import { CHECKSUM_BYTES, FLAG_ENCRYPTED, PREFIX_BYTES, parseJson, prefix, type Prefix } from './container.js';
import {
  GalleryKeyCache,
  IV_BYTES,
  MAX_PBKDF2_ITERATIONS,
  MIN_PBKDF2_ITERATIONS,
  SALT_BYTES,
  TAG_BYTES,
  decrypt,
  deriveKey,
  encrypt,
  randomBytes,
} from './crypto.js';
import { fail } from './records.js';

const encryptedHeaderSchema = z
  .object({
    kdf: z
      .object({
        name: z.literal('PBKDF2-SHA256'),
        iterations: z.number().int(),
        salt: z.string().regex(new RegExp(`^[0-9a-f]{${SALT_BYTES * 2}}$`)),
      })
      .strict(),
    cipher: z
      .object({
        name: z.literal('AES-256-GCM'),
        iv: z.string().regex(new RegExp(`^[0-9a-f]{${IV_BYTES * 2}}$`)),
      })
      .strict(),
  })
  .strict();

export async function encryptFile(plain: Uint8Array, passphrase: string, iterations: number, version: number): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) fail('INVALID_ARGUMENT', 'passphrase must be a non-empty string');
  if (!Number.isInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    fail('INVALID_ARGUMENT', `iterations must be an integer in [${MIN_PBKDF2_ITERATIONS}, ${MAX_PBKDF2_ITERATIONS}]`);
  }
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const header = new TextEncoder().encode(
    JSON.stringify({
      kdf: { name: 'PBKDF2-SHA256', iterations, salt: toHex(salt) },
      cipher: { name: 'AES-256-GCM', iv: toHex(iv) },
    }),
  );
  const aad = prefix(FLAG_ENCRYPTED, header, version);
  const key = await deriveKey(passphrase, salt, iterations);
  return concatBytes([aad, await encrypt(key, iv, plain, aad)]);
}

export async function decryptFile(bytes: Uint8Array, pre: Prefix, passphrase: string, cache: GalleryKeyCache | undefined): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) fail('INVALID_ARGUMENT', 'passphrase must be a non-empty string');
  // The clear header is only authenticated by the decryption below, so damage here is
  // reported as corruption rather than as a file we do not understand.
  const parsed = encryptedHeaderSchema.safeParse(parseJson(pre.header, 'GALLERY_CORRUPT', 'encryption header'));
  if (!parsed.success) fail('GALLERY_CORRUPT', 'gallery encryption header is damaged or not understood');
  const { kdf, cipher } = parsed.data;
  if (kdf.iterations < MIN_PBKDF2_ITERATIONS || kdf.iterations > MAX_PBKDF2_ITERATIONS) {
    fail('GALLERY_INVALID', `gallery key derivation uses ${kdf.iterations} iterations, outside [${MIN_PBKDF2_ITERATIONS}, ${MAX_PBKDF2_ITERATIONS}]`);
  }
  const ciphertext = bytes.subarray(pre.end);
  if (ciphertext.length < TAG_BYTES + PREFIX_BYTES + CHECKSUM_BYTES) fail('GALLERY_CORRUPT', 'encrypted gallery is truncated');
  const salt = fromHex(kdf.salt)!;
  const key = cache ? await cache.get(passphrase, salt, kdf.iterations) : await deriveKey(passphrase, salt, kdf.iterations);
  return decrypt(key, fromHex(cipher.iv)!, ciphertext, bytes.subarray(0, pre.end));
}
