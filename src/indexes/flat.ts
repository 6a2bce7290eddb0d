import { z } from 'zod';
import type { Index, IndexEntry, IndexFactory, IndexHit, Metadata, SearchOptions } from './index.js';
import { compileFilter } from './filter.js';
import { TopK } from './top-k.js';
import { compileKernels, VectorStore } from './vector-store.js';
import { assertDim, assertEntries, assertFilter, assertIds, assertK, assertVector, disposedError } from './validate.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export const flatIndexSchema = z
  .object({
    /**
     * `'int8'` stores each vector as int8 plus one float scale (about 4x less memory than
     * float32); scores are then approximate (see docs of `FlatIndex`).
     */
    quantize: z.enum(['none', 'int8']).default('none'),
    /** Vectors the index has room for before its first growth (it doubles when full). */
    initialCapacity: z.number().int().min(1).max(1 << 24).default(1024),
    /**
     * `'auto'` scans with WebAssembly SIMD where the runtime has it (Node 16.4+, current
     * browsers), else with JS loops; `'js'` always uses the JS loops (for comparison).
     * Scores agree to float32 rounding.
     */
    scan: z.enum(['auto', 'js']).default('auto'),
  })
  .strict();

export type FlatIndexOptions = z.input<typeof flatIndexSchema>;

/**
 * Exact (float32) or int8-quantised brute-force search. The vectors live in WebAssembly
 * memory (vector-store.ts), scanned by SIMD kernels at close to memory speed; delete moves
 * the last vector into the hole so the slots stay dense.
 *
 * With `quantize: 'int8'`, `entries()` returns the dequantised (re-normalised) vectors, not
 * the ones that were added: keep the originals elsewhere (the gallery file does) if exact
 * vectors matter.
 */
export class FlatIndex implements Index {
  readonly kind = 'flat';
  private count = 0;
  private store: VectorStore | undefined;
  private scales: Float32Array | undefined;
  private ids: string[] = [];
  private metadata: (Metadata | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private disposed = false;
  /** int8: at least every stored scale (never lowered on remove: only used as a bound). */
  private maxScale = 0;

  constructor(
    readonly dim: number,
    readonly quantize: 'none' | 'int8' = 'none',
    initialCapacity = 1024,
    scan: 'auto' | 'js' = 'auto',
  ) {
    assertDim(dim);
    this.store = new VectorStore(dim, quantize === 'int8' ? 'i8' : 'f32', scan === 'js' ? null : compileKernels());
    this.reserve(Math.max(1, initialCapacity));
  }

  /** True when scans run on the WebAssembly SIMD kernels. */
  get simd(): boolean {
    return this.store?.simd ?? false;
  }

  private reserve(capacity: number): void {
    this.store!.reserve(capacity);
    if (this.quantize === 'int8' && (this.scales?.length ?? 0) < capacity) {
      const scales = new Float32Array(capacity);
      if (this.scales) scales.set(this.scales.subarray(0, this.count));
      this.scales = scales;
    }
  }

  private check(): void {
    if (this.disposed) throw disposedError(this.kind);
  }

  /** Bytes held by the vector arrays (the id and metadata arrays are not counted). */
  memoryBytes(): number {
    return this.store!.byteLength + (this.quantize === 'int8' ? this.store!.capacity * 4 : 0);
  }

  private write(slot: number, v: Float32Array): void {
    const view = this.store!.view(slot);
    if (this.quantize === 'int8') {
      this.scales![slot] = quantizeInto(v, view as Int8Array, 0);
      this.maxScale = Math.max(this.maxScale, this.scales![slot]!);
    } else (view as Float32Array).set(v);
  }

  async add(entries: IndexEntry[]): Promise<void> {
    this.check();
    assertEntries(entries, this.dim);
    let needed = this.count;
    for (const e of entries) if (!this.slotOf.has(e.id)) needed++;
    if (needed > this.store!.capacity) {
      let cap = this.store!.capacity;
      while (cap < needed) cap *= 2;
      this.reserve(cap);
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
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      const last = this.count - 1;
      if (slot !== last) {
        this.store!.copy(last, slot);
        if (this.scales) this.scales[slot] = this.scales[last]!;
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
    const meta = this.metadata;
    if (this.quantize === 'int8') {
      const q = new Int8Array(this.dim);
      const qScale = quantizeInto(query, q, 0);
      const scales = this.scales!;
      const maxScale = this.maxScale;
      // The kernel compares raw integer dots; a slot can only enter the top k if its dot
      // beats threshold / (qScale * largest scale) (margin for the divisions' rounding).
      const minDot = () => {
        const t = top.threshold;
        if (!(t > 0) || !(qScale > 0)) return INT32_MIN;
        const m = Math.floor((t / (qScale * maxScale)) * (1 - 1e-9)) - 1;
        return m < INT32_MAX ? m : INT32_MAX;
      };
      this.store!.scan(q, this.count, minDot, (slots, dots, n) => {
        for (let i = 0; i < n; i++) {
          const slot = slots[i]!;
          // The same expression as the scalar scan: exact integer dot, then both scales.
          const score = dots[i]! * qScale * scales[slot]!;
          if (score > top.threshold && (!keep || keep(meta[slot]))) top.push(score, slot);
        }
      });
    } else {
      // Scores are float32, so the threshold (one of them, or -Infinity) is a float32 too.
      this.store!.scan(query, this.count, () => top.threshold, (slots, scores, n) => {
        for (let i = 0; i < n; i++) {
          const score = scores[i]!;
          const slot = slots[i]!;
          if (score > top.threshold && (!keep || keep(meta[slot]))) top.push(score, slot);
        }
      });
    }
    return top.drain().map(({ slot, score }) => {
      const metadata = this.metadata[slot];
      return metadata ? { id: this.ids[slot]!, score, metadata: { ...metadata } } : { id: this.ids[slot]!, score };
    });
  }

  async size(): Promise<number> {
    this.check();
    return this.count;
  }

  async entries(): Promise<IndexEntry[]> {
    this.check();
    const out: IndexEntry[] = [];
    for (let slot = 0; slot < this.count; slot++) {
      const view = this.store!.view(slot);
      const vector = this.quantize === 'int8' ? dequantize(view as Int8Array, this.scales![slot]!) : (view as Float32Array).slice();
      const metadata = this.metadata[slot];
      out.push(metadata ? { id: this.ids[slot]!, vector, metadata: { ...metadata } } : { id: this.ids[slot]!, vector });
    }
    return out;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.store?.dispose();
    this.store = undefined;
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
    return new FlatIndex(dim, o.quantize, o.initialCapacity, o.scan);
  },
};
