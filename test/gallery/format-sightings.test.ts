import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockDigest } from '../../src/gallery/bytes.js';
import { decodeGallery, encodeGallery, type GalleryState } from '../../src/gallery/format.js';
import { EMBEDDER, galleryWithSightings, smallGallery } from './fixtures.js';
import { codeOf } from '../helpers/code-of.js';

const plain = (s: GalleryState) => JSON.parse(JSON.stringify(s, (_, v) => (v instanceof Float32Array ? Array.from(v) : v)));

/** Replaces the sightings JSON of a version 2 file by `edit(json)` and reseals it. */
async function editSightings(bytes: Uint8Array, edit: (j: any) => unknown): Promise<Uint8Array> {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  const at = bytes.length - 32 - header.sightingsLength;
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(at, bytes.length - 32)));
  const body = new TextEncoder().encode(JSON.stringify(edit(json)));
  header.sightingsLength = body.length;
  const head = new TextEncoder().encode(JSON.stringify(header));
  // Same header length keeps the vectors where they were: pad the JSON with spaces.
  const padded = new Uint8Array(headerLength).fill(0x20);
  padded.set(head);
  const out = new Uint8Array(at + body.length + 32);
  out.set(bytes.subarray(0, at));
  out.set(padded, 12);
  out.set(body, at);
  out.set(await blockDigest(out.subarray(0, out.length - 32)), out.length - 32);
  return out;
}

describe('gallery format version 2: sightings', () => {
  it('round-trips sightings, faces, vectors, grouping and decisions; version 2 on disk', async () => {
    const state = galleryWithSightings();
    const bytes = await encodeGallery(state);
    expect(bytes[5]).toBe(2);
    const back = await decodeGallery(bytes, { expectEmbedder: EMBEDDER });
    expect(plain(back)).toEqual(plain(state));
    expect(back.sightings!.sightings[0]!.faces[1]!.vector).toBeInstanceOf(Float32Array);
    const enc = await encodeGallery(state, { passphrase: 'pw' });
    expect(enc[5]).toBe(2);
    expect(plain(await decodeGallery(enc, { passphrase: 'pw' }))).toEqual(plain(state));
  });

  it('a gallery without sightings is still written as version 1, byte for byte as 0.1.0 wrote it', async () => {
    const state = smallGallery(3);
    const bytes = await encodeGallery(state);
    expect(bytes[5]).toBe(1);
    expect(Array.from(await encodeGallery({ ...state, sightings: { ...galleryWithSightings().sightings!, sightings: [] } }))).toEqual(Array.from(bytes));
    expect((await decodeGallery(bytes)).sightings).toBeUndefined();
  });

  it('reads the files 0.1.0 wrote, plain and encrypted', async () => {
    for (const [file, passphrase] of [
      ['gallery-0.1.0.rfgal', undefined],
      ['gallery-0.1.0-encrypted.rfgal', 'written by 0.1.0'],
    ] as const) {
      const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', file)));
      expect(bytes[5]).toBe(1);
      const state = await decodeGallery(bytes, passphrase ? { passphrase } : {});
      expect(state.templates.map((t) => [t.subjectId, t.metadata])).toEqual([
        ['collins', { region: 'north', age: 42 }],
        ['hopper', { region: 'south', open: true }],
      ]);
      expect(state.embedder.id).toBe('mobilefacenet@fp32');
      expect(state.sightings).toBeUndefined();
    }
  });

  it('refuses inconsistent sightings before returning anything', async () => {
    const bytes = await encodeGallery(galleryWithSightings());
    const bad: ((j: any) => unknown)[] = [
      (j) => ({ ...j, extra: 1 }),
      (j) => ({ ...j, sightings: [j.sightings[0], j.sightings[0]] }),
      (j) => ({ ...j, sightings: [{ ...j.sightings[0], faces: [j.sightings[0].faces[0]] }, j.sightings[1]] }),
      (j) => ({ ...j, sightings: [{ ...j.sightings[0], addedAt: 'today' }, j.sightings[1]] }),
      (j) => ({ ...j, sightings: [{ ...j.sightings[0], metadata: { a: [1] } }, j.sightings[1]] }),
      (j) => ({ ...j, grouping: { ...j.grouping, groupOf: { ...j.grouping.groupOf, 'street-9#0': 'g1' } } }),
      (j) => ({ ...j, grouping: { ...j.grouping, decisions: { together: [['street-1#0', 'nobody#0']], apart: [] } } }),
      (j) => ({ ...j, grouping: { ...j.grouping, options: { ...j.grouping.options, pairThreshold: 2 } } }),
    ];
    for (const edit of bad) expect(await codeOf(decodeGallery(await editSightings(bytes, edit)))).toBe('GALLERY_INVALID');
    // The editor itself keeps a good file good.
    expect(await codeOf(decodeGallery(await editSightings(bytes, (j) => j)))).toBe('RESOLVED');
    // A version 1 file may not carry sightings, nor a version 2 file go without them.
    const v1 = bytes.slice();
    v1[5] = 1;
    expect(await codeOf(decodeGallery(await resealedPrefix(v1)))).toBe('GALLERY_INVALID');
  });

  it('refuses to encode sightings that would not load', async () => {
    const base = galleryWithSightings();
    const s = base.sightings!;
    const nan = { ...s.sightings[0]!, faces: [{ ...s.sightings[0]!.faces[0]!, vector: new Float32Array(EMBEDDER.dim).fill(NaN) }] };
    for (const sightings of [
      { ...s, sightings: [nan, s.sightings[1]!] },
      { ...s, sightings: [s.sightings[0]!, s.sightings[0]!] },
      { ...s, grouping: { ...s.grouping, groupOf: { 'street-7#0': 'g1' } } },
    ]) {
      expect(await codeOf(encodeGallery({ ...base, sightings }))).toBe('INVALID_ARGUMENT');
    }
  });
});

async function resealedPrefix(bytes: Uint8Array): Promise<Uint8Array> {
  const out = bytes.slice();
  out.set(await blockDigest(out.subarray(0, out.length - 32)), out.length - 32);
  return out;
}
