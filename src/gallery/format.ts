import { z } from 'zod';
import type { MatcherErrorCode } from '../core/errors.js';
import type { Metadata } from '../indexes/index.js';
import { LITTLE_ENDIAN_HOST, blockDigest, equalBytes } from './bytes.js';
import { CHECKSUM_BYTES, FLAG_ENCRYPTED, PREFIX_BYTES, align4, parseJson, prefix, readPrefix } from './container.js';
import { GalleryKeyCache, MIN_PBKDF2_ITERATIONS } from './crypto.js';
import { decryptFile, encryptFile } from './encrypted.js';
import { checkRecords, fail, firstBadVector } from './records.js';
import { checkSightingsJson, sightingsJson, withVectors, type SightingsState } from './sightings-section.js';

/*
 * Gallery file, versions 1 and 2. All integers little-endian.
 *
 *   0  'RFGAL'            magic, 5 bytes
 *   5  version            u8 (1, or 2 when the gallery holds sightings)
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
 * Version 2 adds sightings: the header also holds `sightingFaces` and `sightingsLength`; the
 * sighting faces' float32 vectors follow the templates' vectors, and the sightings section
 * (UTF-8 JSON, sightingsLength bytes; see sightings-section.ts) follows the template records.
 * A gallery without sightings is still written as version 1, so 0.1.0 can read it.
 *
 * Encrypted (flags 1): header = { kdf: PBKDF2-SHA256 iterations + salt, cipher: AES-256-GCM
 * iv } in the clear, then AES-256-GCM(a complete plain file) with the 16-byte tag; the bytes
 * 0..12+headerLength are the additional authenticated data, so the clear header cannot be
 * altered either.
 */

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
  /** Street photos and their grouping (absent in galleries without any). */
  sightings?: SightingsState;
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

const embedderSchema = z
  .object({
    id: z.string().min(1).max(200),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    dim: z.number().int().min(1).max(65536),
  })
  .strict();

const plainHeaderSchema = z
  .object({
    embedder: embedderSchema,
    templates: z.number().int().min(0),
    recordsLength: z.number().int().min(0),
    sightingFaces: z.number().int().min(0).optional(),
    sightingsLength: z.number().int().min(0).optional(),
  })
  .strict();

/** Serialises a gallery; validates it first so a file that would not load is never written. */
export async function encodeGallery(state: GalleryState, options: EncodeOptions = {}): Promise<Uint8Array> {
  const emb = embedderSchema.safeParse(state?.embedder);
  if (!emb.success) fail('INVALID_ARGUMENT', `gallery embedder: ${emb.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
  if (!Array.isArray(state.templates)) fail('INVALID_ARGUMENT', 'gallery templates must be an array');
  const { dim } = emb.data;
  const templates = state.templates;
  const records = templates.map((t) => ({ templateId: t.templateId, subjectId: t.subjectId, metadata: t.metadata, enrolledAt: t.enrolledAt }));
  checkRecords(records, 'INVALID_ARGUMENT');
  const sightings = state.sightings?.sightings.length ? sightingsJson(state.sightings, dim) : undefined;
  const vectors = [...templates.map((t) => t.vector), ...(sightings?.vectors ?? [])];
  vectors.forEach((v, i) => {
    const what = i < templates.length ? `template ${i}` : `sighting face ${i - templates.length}`;
    if (!(v instanceof Float32Array) || v.length !== dim) fail('INVALID_ARGUMENT', `${what}: vector must be a Float32Array of ${dim} elements`);
    if (firstBadVector(v, 0, dim, 1) >= 0) fail('INVALID_ARGUMENT', `${what}: vector is not finite and L2-normalised`);
  });

  const encoder = new TextEncoder();
  const recordBytes = encoder.encode(JSON.stringify(records));
  const sightingBytes = sightings ? encoder.encode(JSON.stringify(sightings.json)) : new Uint8Array(0);
  const head = { embedder: emb.data, templates: templates.length, recordsLength: recordBytes.length };
  const header = encoder.encode(JSON.stringify(sightings ? { ...head, sightingFaces: sightings.vectors.length, sightingsLength: sightingBytes.length } : head));
  const vectorsAt = align4(PREFIX_BYTES + header.length);
  const recordsAt = vectorsAt + vectors.length * dim * 4;
  const total = recordsAt + recordBytes.length + sightingBytes.length + CHECKSUM_BYTES;
  const out = new Uint8Array(total);
  const version = sightings ? 2 : 1;
  out.set(prefix(0, header, version), 0);
  if (LITTLE_ENDIAN_HOST) {
    vectors.forEach((v, i) => out.set(new Uint8Array(v.buffer, v.byteOffset, dim * 4), vectorsAt + i * dim * 4));
  } else {
    const view = new DataView(out.buffer);
    vectors.forEach((v, i) => {
      for (let j = 0; j < dim; j++) view.setFloat32(vectorsAt + (i * dim + j) * 4, v[j]!, true);
    });
  }
  out.set(recordBytes, recordsAt);
  out.set(sightingBytes, recordsAt + recordBytes.length);
  out.set(await blockDigest(out.subarray(0, total - CHECKSUM_BYTES)), total - CHECKSUM_BYTES);

  if (options.passphrase === undefined) return out;
  return encryptFile(out, options.passphrase, options.iterations ?? MIN_PBKDF2_ITERATIONS, version);
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
    const inner = readPrefix(plain);
    if (inner.flags !== 0) fail('GALLERY_INVALID', 'encrypted gallery does not contain a plain gallery');
    if (inner.version !== pre.version) fail('GALLERY_INVALID', `encrypted gallery says version ${pre.version} outside and ${inner.version} inside`);
  } else if (options.passphrase !== undefined) {
    fail('GALLERY_DECRYPT_FAILED', 'a passphrase was given but this gallery file is not encrypted');
  }
  // Decrypted bytes are always ours to keep.
  const state = await decodePlain(plain, owned || plain !== bytes);
  if (options.expectEmbedder) checkEmbedder(state.embedder, options.expectEmbedder);
  return state;
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
  const { embedder, templates: count, recordsLength, sightingFaces = 0, sightingsLength = 0 } = header.data;
  if ((pre.version === 2) !== (header.data.sightingFaces !== undefined && header.data.sightingsLength !== undefined)) {
    fail('GALLERY_INVALID', `gallery header: sightingFaces and sightingsLength belong in version 2 files and only there (this is version ${pre.version})`);
  }
  const { dim } = embedder;
  const vectorsAt = align4(pre.end);
  const recordsAt = vectorsAt + (count + sightingFaces) * dim * 4;
  if (recordsAt + recordsLength + sightingsLength !== body.length) fail('GALLERY_INVALID', 'gallery section lengths do not add up to the file size');
  for (let i = pre.end; i < vectorsAt; i++) if (bytes[i] !== 0) fail('GALLERY_INVALID', 'gallery padding is not zero');

  const total = count + sightingFaces;
  let all: Float32Array;
  if (LITTLE_ENDIAN_HOST && owned && (bytes.byteOffset + vectorsAt) % 4 === 0) {
    all = new Float32Array(bytes.buffer, bytes.byteOffset + vectorsAt, total * dim);
  } else if (LITTLE_ENDIAN_HOST) {
    all = new Float32Array(total * dim);
    new Uint8Array(all.buffer).set(bytes.subarray(vectorsAt, recordsAt));
  } else {
    all = new Float32Array(total * dim);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < all.length; i++) all[i] = view.getFloat32(vectorsAt + i * 4, true);
  }
  const records = parseJson(bytes.subarray(recordsAt, recordsAt + recordsLength), 'GALLERY_INVALID', 'template records');
  if (!Array.isArray(records) || records.length !== count) fail('GALLERY_INVALID', `gallery header announces ${count} templates, the records hold a different number`);
  checkRecords(records, 'GALLERY_INVALID');
  const bad = firstBadVector(all, 0, dim, total);
  if (bad >= 0) fail('GALLERY_INVALID', `${bad < count ? `template ${bad}` : `sighting face ${bad - count}`}: vector is not finite and L2-normalised`);
  const templates: GalleryTemplate[] = records.map((r, i) => {
    const vector = all.subarray(i * dim, (i + 1) * dim);
    return { templateId: r.templateId, subjectId: r.subjectId, vector, metadata: r.metadata as Metadata, enrolledAt: r.enrolledAt };
  });
  const state: GalleryState = { embedder: { id: embedder.id, sha256: embedder.sha256, dim }, templates };
  if (pre.version === 2) {
    const json = parseJson(bytes.subarray(recordsAt + recordsLength, body.length), 'GALLERY_INVALID', 'sightings');
    const { sightings, grouping } = checkSightingsJson(json, sightingFaces, 'GALLERY_INVALID');
    state.sightings = { sightings: withVectors(sightings, (i) => all.subarray((count + i) * dim, (count + i + 1) * dim)), grouping };
  }
  return state;
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
export { GALLERY_FORMAT_VERSION, GALLERY_MAGIC } from './container.js';
