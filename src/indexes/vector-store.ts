import { KERNELS_WASM_BASE64 } from './wasm/kernels-wasm.js';

/**
 * The vectors of a flat index, in chunks of WebAssembly memory that the SIMD kernels of
 * wasm/kernels.wat scan at memory speed (Node and browsers alike). Where WebAssembly SIMD is
 * missing, or `simd` is false, chunks are plain ArrayBuffers scanned by JS loops that give
 * the same scores. Slot i lives in chunk i / slotsPerChunk; chunks grow by doubling, then
 * new chunks are added, so no copy ever moves the whole gallery and no single memory
 * passes the 4 GiB of 32-bit WebAssembly.
 */
type Kind = 'f32' | 'i8';
type View = Float32Array | Int8Array;

interface Kernels {
  dot_f32(q: number, base: number, dim: number, n: number, out: number): void;
  dot_i8(q: number, base: number, dim: number, n: number, out: number): void;
  read_sum(base: number, bytes: number): number;
}

interface Chunk {
  memory: WebAssembly.Memory | null;
  buffer: ArrayBuffer;
  kernels: Kernels | null;
  slots: number;
}

const PAGE = 65536;
const CHUNK_BYTES = 256 * 2 ** 20;

/** The kernels' compiled module, or null where WebAssembly SIMD is not available. */
export function compileKernels(): WebAssembly.Module | null {
  if (typeof WebAssembly !== 'object') return null;
  const bin = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  try {
    return WebAssembly.validate(bin) ? new WebAssembly.Module(bin) : null;
  } catch {
    return null;
  }
}

export class VectorStore {
  readonly slotsPerChunk: number;
  private readonly elem: number;
  /** Bytes before the vectors in each chunk: the query, then one int32/float32 score per slot. */
  private readonly header: number;
  private readonly scoreOffset: number;
  private chunks: Chunk[] = [];

  constructor(
    readonly dim: number,
    readonly kind: Kind,
    private readonly module: WebAssembly.Module | null,
  ) {
    this.elem = kind === 'f32' ? 4 : 1;
    this.slotsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (dim * this.elem)));
    // The query: float32, or int8 widened to int16 for the kernel.
    this.scoreOffset = Math.ceil((dim * Math.max(this.elem, 2)) / 64) * 64;
    this.header = this.scoreOffset + Math.ceil((this.slotsPerChunk * 4) / 64) * 64;
  }

  get simd(): boolean {
    return this.module !== null;
  }

  /** Slots allocated in all chunks. */
  get capacity(): number {
    return this.chunks.reduce((a, c) => a + c.slots, 0);
  }

  get byteLength(): number {
    return this.capacity * this.dim * this.elem;
  }

  /** Makes room for `capacity` slots (a chunk's room doubles until the chunk is full). */
  reserve(capacity: number): void {
    while (this.capacity < capacity) {
      const last = this.chunks[this.chunks.length - 1];
      if (last && last.slots < this.slotsPerChunk) {
        this.resize(last, Math.min(this.slotsPerChunk, Math.max(last.slots * 2, capacity - (this.capacity - last.slots))));
      } else {
        this.chunks.push(this.newChunk(Math.min(this.slotsPerChunk, capacity - this.capacity)));
      }
    }
  }

  private bytesFor(slots: number): number {
    return Math.ceil((this.header + slots * this.dim * this.elem) / PAGE) * PAGE;
  }

  private newChunk(slots: number): Chunk {
    const bytes = this.bytesFor(slots);
    if (!this.module) return { memory: null, buffer: new ArrayBuffer(bytes), kernels: null, slots };
    const memory = new WebAssembly.Memory({ initial: bytes / PAGE, maximum: this.bytesFor(this.slotsPerChunk) / PAGE });
    const kernels = new WebAssembly.Instance(this.module, { env: { memory } }).exports as unknown as Kernels;
    return { memory, buffer: memory.buffer, kernels, slots };
  }

  private resize(c: Chunk, slots: number): void {
    const bytes = this.bytesFor(slots);
    if (c.memory) {
      c.memory.grow((bytes - c.buffer.byteLength) / PAGE);
      c.buffer = c.memory.buffer;
    } else {
      const b = new ArrayBuffer(bytes);
      new Uint8Array(b).set(new Uint8Array(c.buffer));
      c.buffer = b;
    }
    c.slots = slots;
  }

  /** The stored vector of `slot`, as a view that is valid until the store next grows. */
  view(slot: number): View {
    const c = this.chunks[Math.floor(slot / this.slotsPerChunk)]!;
    const off = this.header + (slot % this.slotsPerChunk) * this.dim * this.elem;
    return this.kind === 'f32' ? new Float32Array(c.buffer, off, this.dim) : new Int8Array(c.buffer, off, this.dim);
  }

  copy(from: number, to: number): void {
    (this.view(to) as Float32Array).set(this.view(from) as Float32Array);
  }

  /**
   * Scores slots 0..count-1 chunk by chunk: `visit(first, scores)` gets the float32 dot
   * products with `query` (f32) or the exact int32 dot products with the quantised query
   * (i8) of slots first..first+scores.length-1, in a view valid until the next scan.
   */
  scan(query: View, count: number, visit: (first: number, scores: Float32Array | Int32Array) => void): void {
    for (let ci = 0, first = 0; first < count; ci++, first += this.slotsPerChunk) {
      const c = this.chunks[ci]!;
      const n = Math.min(this.slotsPerChunk, count - first);
      const scores = this.kind === 'f32' ? new Float32Array(c.buffer, this.scoreOffset, n) : new Int32Array(c.buffer, this.scoreOffset, n);
      if (c.kernels) {
        (this.kind === 'f32' ? new Float32Array(c.buffer, 0, this.dim) : new Int16Array(c.buffer, 0, this.dim)).set(query as Float32Array);
        (this.kind === 'f32' ? c.kernels.dot_f32 : c.kernels.dot_i8)(0, this.header, this.dim, n, this.scoreOffset);
      } else {
        this.scanJs(c, query, n, scores);
      }
      visit(first, scores);
    }
  }

  /** The scalar fallback: four accumulators (V8 runs that ~2x faster than one). */
  private scanJs(c: Chunk, q: View, n: number, out: Float32Array | Int32Array): void {
    const d = this.dim;
    const data = this.kind === 'f32' ? new Float32Array(c.buffer, this.header, n * d) : new Int8Array(c.buffer, this.header, n * d);
    const tail = d & ~3;
    const int = this.kind === 'i8';
    for (let slot = 0, base = 0; slot < n; slot++, base += d) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = 0;
      for (; i < tail; i += 4) {
        s0 += q[i]! * data[base + i]!;
        s1 += q[i + 1]! * data[base + i + 1]!;
        s2 += q[i + 2]! * data[base + i + 2]!;
        s3 += q[i + 3]! * data[base + i + 3]!;
      }
      for (; i < d; i++) s0 += q[i]! * data[base + i]!;
      // int8 sums are exact integers either way; float32 sums round like the SIMD kernel's output.
      out[slot] = int ? s0 + s1 + s2 + s3 : Math.fround(s0 + s1 + s2 + s3);
    }
  }

  dispose(): void {
    this.chunks = [];
  }
}

/**
 * Streaming read bandwidth of this machine in bytes/s: the SIMD kernel reads `bytes` of
 * WebAssembly memory `repeats` times (best run). The yardstick for the flat index's scans.
 */
export function streamingBandwidth(bytes = 512 * 2 ** 20, repeats = 5): number {
  const module = compileKernels();
  if (!module) throw new Error('WebAssembly SIMD is not available');
  const memory = new WebAssembly.Memory({ initial: bytes / PAGE + 1 });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
  new Uint8Array(memory.buffer).fill(1);
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    k.read_sum(0, bytes);
    best = Math.min(best, performance.now() - t0);
  }
  return bytes / (best / 1000);
}
