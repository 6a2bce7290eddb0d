import { z } from 'zod';
import type { Index, IndexEntry, IndexFactory, IndexHit, Metadata, SearchOptions } from './index.js';
import { compileFilter } from './filter.js';
import { TopK } from './top-k.js';
import { assertDim, assertEntries, assertFilter, assertIds, assertK, assertVector, disposedError } from './validate.js';

export const flatIndexSchema = z
  .object({
    /**
     * `'int8'` stores each vector as int8 plus one float scale (about 4x less memory than
     * float32); scores are then approximate (see docs of `FlatIndex`).
     */
    quantize: z.enum(['none', 'int8']).default('none'),
    /** Vectors the index has room for before its first growth (it doubles when full). */
    initialCapacity: z.number().int().min(1).max(1 << 24).default(1024),
  })
  .strict();

export type FlatIndexOptions = z.input<typeof flatIndexSchema>;

/**
 * Exact (float32) or int8-quantised brute-force search. All vectors live in one contiguous
 * typed array that doubles when full; delete moves the last vector into the hole so the
 * array stays dense.
 *
 * With `quantize: 'int8'`, `entries()` returns the dequantised (re-normalised) vectors, not
 * the ones that were added: keep the originals elsewhere (the gallery file does) if exact
 * vectors matter.
 */
export class FlatIndex implements Index {
  readonly kind = 'flat';
  private capacity: number;
  private count = 0;
  private f32: Float32Array | undefined;
  private i8: Int8Array | undefined;
  private scales: Float32Array | undefined;
  private ids: string[] = [];
  private metadata: (Metadata | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private disposed = false;

  constructor(
    readonly dim: number,
    readonly quantize: 'none' | 'int8' = 'none',
    initialCapacity = 1024,
  ) {
    assertDim(dim);
    this.capacity = Math.max(1, initialCapacity);
    this.allocate(this.capacity);
  }

  private allocate(capacity: number): void {
    const n = capacity * this.dim;
    if (this.quantize === 'int8') {
      const i8 = new Int8Array(n);
      const scales = new Float32Array(capacity);
      if (this.i8) i8.set(this.i8.subarray(0, this.count * this.dim));
      if (this.scales) scales.set(this.scales.subarray(0, this.count));
      this.i8 = i8;
      this.scales = scales;
    } else {
      const f32 = new Float32Array(n);
      if (this.f32) f32.set(this.f32.subarray(0, this.count * this.dim));
      this.f32 = f32;
    }
    this.capacity = capacity;
  }

  private check(): void {
    if (this.disposed) throw disposedError(this.kind);
  }

  /** Bytes held by the vector arrays (the id and metadata arrays are not counted). */
  memoryBytes(): number {
    return this.quantize === 'int8' ? this.i8!.byteLength + this.scales!.byteLength : this.f32!.byteLength;
  }

  private write(slot: number, v: Float32Array): void {
    const d = this.dim;
    if (this.quantize === 'int8') {
      this.scales![slot] = quantizeInto(v, this.i8!, slot * d);
    } else {
      this.f32!.set(v, slot * d);
    }
  }

  async add(entries: IndexEntry[]): Promise<void> {
    this.check();
    assertEntries(entries, this.dim);
    let needed = this.count;
    for (const e of entries) if (!this.slotOf.has(e.id)) needed++;
    if (needed > this.capacity) {
      let cap = this.capacity;
      while (cap < needed) cap *= 2;
      this.allocate(cap);
    }
    for (const e of entries) {
      let slot = this.slotOf.get(e.id);
      if (slot === undefined) {
        slot = this.count++;
        this.slotOf.set(e.id, slot);
        this.ids[slot] = e.id;
      }
      this.write(slot, e.vector);
      this.metadata[slot] = e.metadata ? { ...e.metadata } : undefined;
    }
  }

  async remove(ids: string[]): Promise<number> {
    this.check();
    assertIds(ids);
    let removed = 0;
    const d = this.dim;
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      const last = this.count - 1;
      if (slot !== last) {
        if (this.quantize === 'int8') {
          this.i8!.copyWithin(slot * d, last * d, last * d + d);
          this.scales![slot] = this.scales![last]!;
        } else {
          this.f32!.copyWithin(slot * d, last * d, last * d + d);
        }
        const movedId = this.ids[last]!;
        this.ids[slot] = movedId;
        this.metadata[slot] = this.metadata[last];
        this.slotOf.set(movedId, slot);
      }
      this.ids.length = last;
      this.metadata.length = last;
      this.slotOf.delete(id);
      this.count = last;
      removed++;
    }
    return removed;
  }

  async search(query: Float32Array, k: number, options: SearchOptions = {}): Promise<IndexHit[]> {
    this.check();
    assertVector(query, this.dim, 'query');
    assertK(k);
    assertFilter(options.filter);
    const keep = compileFilter(options.filter);
    const top = new TopK(Math.min(k, Math.max(1, this.count)));
    if (this.quantize === 'int8') this.scanInt8(query, top, keep);
    else this.scanFloat32(query, top, keep);
    return top.drain().map(({ slot, score }) => {
      const metadata = this.metadata[slot];
      return metadata ? { id: this.ids[slot]!, score, metadata: { ...metadata } } : { id: this.ids[slot]!, score };
    });
  }

  private scanFloat32(q: Float32Array, top: TopK, keep: ((m: Metadata | undefined) => boolean) | undefined): void {
    const d = this.dim;
    const data = this.f32!;
    const tail = d & ~3;
    for (let slot = 0, base = 0; slot < this.count; slot++, base += d) {
      if (keep && !keep(this.metadata[slot])) continue;
      // Four accumulators break the add dependency chain; V8 runs this ~2x faster than one.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = 0;
      for (; i < tail; i += 4) {
        s0 += q[i]! * data[base + i]!;
        s1 += q[i + 1]! * data[base + i + 1]!;
        s2 += q[i + 2]! * data[base + i + 2]!;
        s3 += q[i + 3]! * data[base + i + 3]!;
      }
      for (; i < d; i++) s0 += q[i]! * data[base + i]!;
      const score = s0 + s1 + s2 + s3;
      if (score > top.threshold) top.push(score, slot);
    }
  }

  private scanInt8(query: Float32Array, top: TopK, keep: ((m: Metadata | undefined) => boolean) | undefined): void {
    const d = this.dim;
    const q = new Int8Array(d);
    const qScale = quantizeInto(query, q, 0);
    const data = this.i8!;
    const scales = this.scales!;
    const tail = d & ~3;
    for (let slot = 0, base = 0; slot < this.count; slot++, base += d) {
      if (keep && !keep(this.metadata[slot])) continue;
      // Sums of int8 products stay far below 2^31 for any realistic dim, so `| 0` keeps V8 on int32 math.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = 0;
      for (; i < tail; i += 4) {
        s0 = (s0 + q[i]! * data[base + i]!) | 0;
        s1 = (s1 + q[i + 1]! * data[base + i + 1]!) | 0;
        s2 = (s2 + q[i + 2]! * data[base + i + 2]!) | 0;
        s3 = (s3 + q[i + 3]! * data[base + i + 3]!) | 0;
      }
      for (; i < d; i++) s0 = (s0 + q[i]! * data[base + i]!) | 0;
      const score = (s0 + s1 + s2 + s3) * qScale * scales[slot]!;
      if (score > top.threshold) top.push(score, slot);
    }
  }

  async size(): Promise<number> {
    this.check();
    return this.count;
  }

  async entries(): Promise<IndexEntry[]> {
    this.check();
    const d = this.dim;
    const out: IndexEntry[] = [];
    for (let slot = 0; slot < this.count; slot++) {
      let vector: Float32Array;
      if (this.quantize === 'int8') {
        vector = dequantize(this.i8!.subarray(slot * d, slot * d + d), this.scales![slot]!);
      } else {
        vector = this.f32!.slice(slot * d, slot * d + d);
      }
      const metadata = this.metadata[slot];
      out.push(metadata ? { id: this.ids[slot]!, vector, metadata: { ...metadata } } : { id: this.ids[slot]!, vector });
    }
    return out;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.f32 = undefined;
    this.i8 = undefined;
    this.scales = undefined;
    this.ids = [];
    this.metadata = [];
    this.slotOf.clear();
    this.count = 0;
  }
}

/** Symmetric per-vector quantisation: x ≈ q * scale with q in [-127, 127]. Returns the scale. */
function quantizeInto(v: Float32Array, out: Int8Array, offset: number): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  if (max === 0) {
    out.fill(0, offset, offset + v.length);
    return 0;
  }
  const scale = max / 127;
  for (let i = 0; i < v.length; i++) out[offset + i] = Math.round(v[i]! / scale);
  return scale;
}

function dequantize(q: Int8Array, scale: number): Float32Array {
  const v = new Float32Array(q.length);
  let sum = 0;
  for (let i = 0; i < q.length; i++) {
    const x = q[i]! * scale;
    v[i] = x;
    sum += x * x;
  }
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

export const flatIndexFactory: IndexFactory<typeof flatIndexSchema> = {
  kind: 'flat',
  schema: flatIndexSchema,
  async create(dim, options) {
    const o = flatIndexSchema.parse(options ?? {});
    return new FlatIndex(dim, o.quantize, o.initialCapacity);
  },
};
