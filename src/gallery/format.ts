import { z } from 'zod';
import { MatcherError, type MatcherErrorCode } from '../core/errors.js';
import type { Metadata } from '../indexes/index.js';
import { LITTLE_ENDIAN_HOST, blockDigest, concatBytes, equalBytes, fromHex, toHex } from './bytes.js';
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

/*
 * Gallery file, version 1. All integers little-endian.
 *
 *   0  'RFGAL'            magic, 5 bytes
 *   5  version            u8 (1)
 *   6  flags              u8 (bit 0: encrypted)
 *   7  reserved           u8 (0)
 *   8  headerLength       u32
 *  12  header             UTF-8 JSON, headerLength bytes
 *
 * Plain (flags 0): header = { embedder: {id, sha256, dim}, templates, recordsLength }, then
 * zero padding to a multiple of 4, templates*dim float32 vectors, the template records
 * (UTF-8 JSON array, recordsLength bytes, same order as the vectors), and a checksum of every
 * preceding byte: SHA-256 of the concatenated SHA-256 digests of its 1 MiB blocks (the last
 * block may be shorter; see `blockDigest`).
 *
 * Encrypted (flags 1): header = { kdf: PBKDF2-SHA256 iterations + salt, cipher: AES-256-GCM
 * iv } in the clear, then AES-256-GCM(a complete plain file) with the 16-byte tag; the bytes
 * 0..12+headerLength are the additional authenticated data, so the clear header cannot be
 * altered either.
 */

export const GALLERY_MAGIC = new Uint8Array([0x52, 0x46, 0x47, 0x41, 0x4c]); // 'RFGAL'
export const GALLERY_FORMAT_VERSION = 1;
const FLAG_ENCRYPTED = 1;
const PREFIX_BYTES = 12;
const CHECKSUM_BYTES = 32;
/** Vectors must be unit length, as every index expects. */
const NORM_TOLERANCE = 1e-3;

export interface EmbedderId {
  id: string;
  sha256: string;
  dim: number;
}

export interface GalleryTemplate {
  templateId: string;
  subjectId: string;
  vector: Float32Array;
  metadata: Metadata;
  /** ISO 8601 timestamp. */
  enrolledAt: string;
}

export interface GalleryState {
  embedder: EmbedderId;
  templates: GalleryTemplate[];
}

export interface EncodeOptions {
  /** Encrypts the file (AES-256-GCM, key from PBKDF2-SHA256). */
  passphrase?: string;
  /** PBKDF2 iterations, at least 600,000 (the default). */
  iterations?: number;
}

export interface DecodeOptions {
  /** Needed for encrypted files; refused for plain ones, so a swapped-in plain file is noticed. */
  passphrase?: string;
  /** Refuse a gallery made with another embedder (GALLERY_MODEL_MISMATCH). */
  expectEmbedder?: EmbedderId;
  /** Reuse derived keys when opening the same encrypted file repeatedly. */
  keyCache?: GalleryKeyCache;
}

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const embedderSchema = z
  .object({
    id: z.string().min(1).max(200),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    dim: z.number().int().min(1).max(65536),
  })
  .strict();

interface TemplateRecord {
  templateId: string;
  subjectId: string;
  metadata: Metadata;
  enrolledAt: string;
}

const RECORD_KEYS = new Set(['templateId', 'subjectId', 'metadata', 'enrolledAt']);

/**
 * Hand-written rather than zod: a 100k-template gallery has 100k records and zod took over a
 * second for them. Returns a problem description, or undefined when the record is valid.
 */
function recordProblem(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'not an object';
  const rec = r as Record<string, unknown>;
  for (const key in rec) if (!RECORD_KEYS.has(key)) return `unknown field '${key}'`;
  if (typeof rec.templateId !== 'string' || rec.templateId.length === 0) return 'templateId must be a non-empty string';
  if (typeof rec.subjectId !== 'string' || rec.subjectId.length === 0) return 'subjectId must be a non-empty string';
  if (typeof rec.enrolledAt !== 'string' || !isoDate.test(rec.enrolledAt) || Number.isNaN(Date.parse(rec.enrolledAt))) {
    return 'enrolledAt must be an ISO 8601 date-time';
  }
  const m = rec.metadata;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'metadata must be an object';
  for (const key in m) {
    const v = (m as Record<string, unknown>)[key];
    if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
      return `metadata '${key}' must be a string, finite number, boolean or null`;
    }
  }
  return undefined;
}

const plainHeaderSchema = z
  .object({
    embedder: embedderSchema,
    templates: z.number().int().min(0),
    recordsLength: z.number().int().min(0),
  })
  .strict();

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

function fail(code: MatcherErrorCode, message: string, cause?: unknown): never {
  throw new MatcherError(code, message, cause === undefined ? undefined : { cause });
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function prefix(flags: number, header: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX_BYTES + header.length);
  out.set(GALLERY_MAGIC, 0);
  out[5] = GALLERY_FORMAT_VERSION;
  out[6] = flags;
  out[7] = 0;
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, PREFIX_BYTES);
  return out;
}

/** Checks `count` packed vectors; returns the index of the first bad one, or -1. */
function firstBadVector(data: Float32Array, offset: number, dim: number, count: number): number {
  for (let t = 0, base = offset; t < count; t++, base += dim) {
    let sum = 0;
    for (let i = base; i < base + dim; i++) {
      const x = data[i]!;
      sum += x * x;
    }
    // A NaN or infinite element makes the sum NaN or infinite, which fails this test too.
    if (!(Math.abs(Math.sqrt(sum) - 1) <= NORM_TOLERANCE)) return t;
  }
  return -1;
}

function checkRecords(records: unknown[], code: MatcherErrorCode): asserts records is TemplateRecord[] {
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const problem = recordProblem(records[i]);
    if (problem) fail(code, `template ${i}: ${problem}`);
    const id = (records[i] as TemplateRecord).templateId;
    if (seen.has(id)) fail(code, `template ${i}: templateId '${id}' appears twice`);
    seen.add(id);
  }
}

/** Serialises a gallery; validates it first so a file that would not load is never written. */
export async function encodeGallery(state: GalleryState, options: EncodeOptions = {}): Promise<Uint8Array> {
  const emb = embedderSchema.safeParse(state?.embedder);
  if (!emb.success) fail('INVALID_ARGUMENT', `gallery embedder: ${emb.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
  if (!Array.isArray(state.templates)) fail('INVALID_ARGUMENT', 'gallery templates must be an array');
  const { dim } = emb.data;
  const templates = state.templates;
  const records = templates.map((t) => ({ templateId: t.templateId, subjectId: t.subjectId, metadata: t.metadata, enrolledAt: t.enrolledAt }));
  checkRecords(records, 'INVALID_ARGUMENT');
  templates.forEach((t, i) => {
    if (!(t.vector instanceof Float32Array) || t.vector.length !== dim) {
      fail('INVALID_ARGUMENT', `template ${i}: vector must be a Float32Array of ${dim} elements`);
    }
    if (firstBadVector(t.vector, 0, dim, 1) >= 0) fail('INVALID_ARGUMENT', `template ${i}: vector is not finite and L2-normalised`);
  });

  const encoder = new TextEncoder();
  const recordBytes = encoder.encode(JSON.stringify(records));
  const header = encoder.encode(JSON.stringify({ embedder: emb.data, templates: templates.length, recordsLength: recordBytes.length }));
  const vectorsAt = align4(PREFIX_BYTES + header.length);
  const recordsAt = vectorsAt + templates.length * dim * 4;
  const total = recordsAt + recordBytes.length + CHECKSUM_BYTES;
  const out = new Uint8Array(total);
  out.set(prefix(0, header), 0);
  if (LITTLE_ENDIAN_HOST) {
    templates.forEach((t, i) => out.set(new Uint8Array(t.vector.buffer, t.vector.byteOffset, dim * 4), vectorsAt + i * dim * 4));
  } else {
    const view = new DataView(out.buffer);
    templates.forEach((t, i) => {
      for (let j = 0; j < dim; j++) view.setFloat32(vectorsAt + (i * dim + j) * 4, t.vector[j]!, true);
    });
  }
  out.set(recordBytes, recordsAt);
  out.set(await blockDigest(out.subarray(0, total - CHECKSUM_BYTES)), total - CHECKSUM_BYTES);

  if (options.passphrase === undefined) return out;
  return encryptFile(out, options.passphrase, options.iterations ?? MIN_PBKDF2_ITERATIONS);
}

async function encryptFile(plain: Uint8Array, passphrase: string, iterations: number): Promise<Uint8Array> {
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
  const aad = prefix(FLAG_ENCRYPTED, header);
  const key = await deriveKey(passphrase, salt, iterations);
  return concatBytes([aad, await encrypt(key, iv, plain, aad)]);
}

interface Prefix {
  flags: number;
  header: Uint8Array;
  /** Offset of the first byte after the header. */
  end: number;
}

function readPrefix(bytes: Uint8Array): Prefix {
  if (!(bytes instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'gallery bytes must be a Uint8Array');
  const magicSeen = Math.min(bytes.length, GALLERY_MAGIC.length);
  if (!equalBytes(bytes.subarray(0, magicSeen), GALLERY_MAGIC.subarray(0, magicSeen))) {
    fail('GALLERY_INVALID', 'not a reunite-face gallery file (bad magic bytes)');
  }
  if (bytes.length < PREFIX_BYTES) fail('GALLERY_CORRUPT', `gallery file is truncated (${bytes.length} bytes)`);
  const version = bytes[5]!;
  if (version !== GALLERY_FORMAT_VERSION) {
    fail(
      'GALLERY_VERSION',
      version > GALLERY_FORMAT_VERSION
        ? `gallery file format version ${version} is newer than this library reads (${GALLERY_FORMAT_VERSION}); upgrade reunite-face`
        : `gallery file format version ${version} is not supported (this library reads ${GALLERY_FORMAT_VERSION})`,
    );
  }
  const flags = bytes[6]!;
  if ((flags & ~FLAG_ENCRYPTED) !== 0 || bytes[7] !== 0) fail('GALLERY_INVALID', 'gallery file has unknown flags');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  const end = PREFIX_BYTES + headerLength;
  if (end > bytes.length) fail('GALLERY_CORRUPT', 'gallery file is truncated (header runs past the end)');
  return { flags, header: bytes.subarray(PREFIX_BYTES, end), end };
}

function parseJson(bytes: Uint8Array, code: MatcherErrorCode, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    return fail(code, `gallery ${what} is not valid UTF-8 JSON`, cause);
  }
}

/**
 * Reads a gallery file. Everything (checksum, structure, every vector and record, the
 * embedder) is validated before anything is returned, so a bad file never half-loads.
 */
export async function decodeGallery(bytes: Uint8Array, options: DecodeOptions = {}): Promise<GalleryState> {
  return decode(bytes, options, false);
}

/**
 * Like `decodeGallery`, but the returned vectors may be views into `bytes` instead of a copy
 * (halves peak memory for large galleries). Only for callers that own `bytes` and never
 * modify them afterwards, such as `readGalleryFile`.
 * @internal
 */
export async function decodeOwnedGallery(bytes: Uint8Array, options: DecodeOptions = {}): Promise<GalleryState> {
  return decode(bytes, options, true);
}

async function decode(bytes: Uint8Array, options: DecodeOptions, owned: boolean): Promise<GalleryState> {
  const pre = readPrefix(bytes);
  let plain = bytes;
  if (pre.flags & FLAG_ENCRYPTED) {
    if (options.passphrase === undefined) fail('GALLERY_PASSPHRASE_REQUIRED', 'this gallery file is encrypted: a passphrase is required');
    plain = await decryptFile(bytes, pre, options.passphrase, options.keyCache);
    if (readPrefix(plain).flags !== 0) fail('GALLERY_INVALID', 'encrypted gallery does not contain a plain gallery');
  } else if (options.passphrase !== undefined) {
    fail('GALLERY_DECRYPT_FAILED', 'a passphrase was given but this gallery file is not encrypted');
  }
  // Decrypted bytes are always ours to keep.
  const state = await decodePlain(plain, owned || plain !== bytes);
  if (options.expectEmbedder) checkEmbedder(state.embedder, options.expectEmbedder);
  return state;
}

async function decryptFile(bytes: Uint8Array, pre: Prefix, passphrase: string, cache: GalleryKeyCache | undefined): Promise<Uint8Array> {
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

async function decodePlain(bytes: Uint8Array, owned: boolean): Promise<GalleryState> {
  const pre = readPrefix(bytes);
  if (bytes.length < pre.end + CHECKSUM_BYTES) fail('GALLERY_CORRUPT', 'gallery file is truncated');
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  if (!equalBytes(await blockDigest(body), bytes.subarray(bytes.length - CHECKSUM_BYTES))) {
    fail('GALLERY_CORRUPT', 'gallery file checksum does not match: the file is truncated or damaged');
  }
  // Past the checksum the bytes are as written, so inconsistencies mean a bad writer, not damage.
  const header = plainHeaderSchema.safeParse(parseJson(pre.header, 'GALLERY_INVALID', 'header'));
  if (!header.success) fail('GALLERY_INVALID', `gallery header: ${header.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
  const { embedder, templates: count, recordsLength } = header.data;
  const { dim } = embedder;
  const vectorsAt = align4(pre.end);
  const recordsAt = vectorsAt + count * dim * 4;
  if (recordsAt + recordsLength !== body.length) fail('GALLERY_INVALID', 'gallery section lengths do not add up to the file size');
  for (let i = pre.end; i < vectorsAt; i++) if (bytes[i] !== 0) fail('GALLERY_INVALID', 'gallery padding is not zero');

  let all: Float32Array;
  if (LITTLE_ENDIAN_HOST && owned && (bytes.byteOffset + vectorsAt) % 4 === 0) {
    all = new Float32Array(bytes.buffer, bytes.byteOffset + vectorsAt, count * dim);
  } else if (LITTLE_ENDIAN_HOST) {
    all = new Float32Array(count * dim);
    new Uint8Array(all.buffer).set(bytes.subarray(vectorsAt, recordsAt));
  } else {
    all = new Float32Array(count * dim);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < all.length; i++) all[i] = view.getFloat32(vectorsAt + i * 4, true);
  }
  const records = parseJson(bytes.subarray(recordsAt, recordsAt + recordsLength), 'GALLERY_INVALID', 'template records');
  if (!Array.isArray(records) || records.length !== count) fail('GALLERY_INVALID', `gallery header announces ${count} templates, the records hold a different number`);
  checkRecords(records, 'GALLERY_INVALID');
  const bad = firstBadVector(all, 0, dim, count);
  if (bad >= 0) fail('GALLERY_INVALID', `template ${bad}: vector is not finite and L2-normalised`);
  const templates: GalleryTemplate[] = records.map((r, i) => {
    const vector = all.subarray(i * dim, (i + 1) * dim);
    return { templateId: r.templateId, subjectId: r.subjectId, vector, metadata: r.metadata as Metadata, enrolledAt: r.enrolledAt };
  });
  return { embedder: { id: embedder.id, sha256: embedder.sha256, dim }, templates };
}

function describeEmbedder(e: EmbedderId): string {
  return `'${e.id}' (sha256 ${e.sha256.slice(0, 12)}…, ${e.dim} dims)`;
}

function checkEmbedder(have: EmbedderId, want: EmbedderId): void {
  if (have.id === want.id && have.sha256 === want.sha256 && have.dim === want.dim) return;
  fail(
    'GALLERY_MODEL_MISMATCH',
    `gallery was enrolled with embedder ${describeEmbedder(have)} but this matcher uses ${describeEmbedder(want)}; ` +
      'embeddings of different models cannot be compared: re-enrol the photos with this model or open the gallery with the original one',
  );
}

export { GalleryKeyCache };
