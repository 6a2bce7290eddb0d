import { MatcherError } from '../core/errors.js';
import { asBufferSource } from './bytes.js';

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA256; files asking for fewer are refused. */
export const MIN_PBKDF2_ITERATIONS = 600_000;
/** Upper bound so a hostile file cannot make opening it take minutes. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new MatcherError('RUNTIME_UNSUPPORTED', 'gallery encryption needs WebCrypto (crypto.subtle): a secure context in browsers, Node >= 20');
  }
  return s;
}

export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

export async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const s = subtle();
  const material = await s.importKey('raw', asBufferSource(new TextEncoder().encode(passphrase)), 'PBKDF2', false, ['deriveKey']);
  return s.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: asBufferSource(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Remembers derived keys per (passphrase, salt, iterations), so re-opening the same file
 * skips the deliberately slow key derivation. Holds the passphrase for as long as it lives.
 */
export class GalleryKeyCache {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  get(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
    const id = `${iterations}:${Array.from(salt).join(',')}:${passphrase}`;
    let key = this.keys.get(id);
    if (!key) {
      key = deriveKey(passphrase, salt, iterations);
      this.keys.set(id, key);
    }
    return key;
  }

  clear(): void {
    this.keys.clear();
  }
}

/** AES-256-GCM; the returned bytes end with the 16-byte tag. `aad` is authenticated, not encrypted. */
export async function encrypt(key: CryptoKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const out = await subtle().encrypt(
    { name: 'AES-GCM', iv: asBufferSource(iv), additionalData: asBufferSource(aad), tagLength: TAG_BYTES * 8 },
    key,
    asBufferSource(plaintext),
  );
  return new Uint8Array(out);
}

export async function decrypt(key: CryptoKey, iv: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  try {
    const out = await subtle().decrypt(
      { name: 'AES-GCM', iv: asBufferSource(iv), additionalData: asBufferSource(aad), tagLength: TAG_BYTES * 8 },
      key,
      asBufferSource(ciphertext),
    );
    return new Uint8Array(out);
  } catch (cause) {
    throw new MatcherError(
      'GALLERY_DECRYPT_FAILED',
      'could not decrypt the gallery: wrong passphrase, or the file was altered or damaged',
      { cause },
    );
  }
}
