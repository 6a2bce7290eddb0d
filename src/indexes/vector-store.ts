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

type ScanKernel = (q: number, base: number, dim: number, n: number, min: number, first: number, slots: number, scores: number) => number;

interface Kernels {
  scan_f32: ScanKernel;
  scan_i8: ScanKernel;
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
/**
 * Slots per kernel call: the caller's top-k threshold is read before each block, so after
 * the first block only the few slots that beat it come back to JS.
 */
const BLOCK = 4096;

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
  /** Bytes before the vectors in each chunk: the query, then a block's candidate slots and scores. */
  private readonly header: number;
  private readonly slotOffset: number;
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
    this.slotOffset = Math.ceil((dim * Math.max(this.elem, 2)) / 64) * 64;
    this.scoreOffset = this.slotOffset + BLOCK * 4;
    this.header = this.scoreOffset + BLOCK * 4;
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
   * Scores slots 0..count-1 block by block and hands back only those scoring above
   * `min()` (read before each block): `visit(slots, scores, n)` gets n slots in ascending
   * order with their float32 dot products with `query` (f32) or exact int32 dot products
   * with the quantised query (i8), in views valid until the next call. `min()` must be a
   * float32 value (f32) or an int32 (i8; use -2^31 for "all").
   */
  scan(query: View, count: number, min: () => number, visit: (slots: Int32Array, scores: Float32Array | Int32Array, n: number) => void): void {
    const f32 = this.kind === 'f32';
    const rowBytes = this.dim * this.elem;
    for (let ci = 0, first = 0; first < count; ci++, first += this.slotsPerChunk) {
      const c = this.chunks[ci]!;
      const n = Math.min(this.slotsPerChunk, count - first);
      const slots = new Int32Array(c.buffer, this.slotOffset, BLOCK);
      const scores = f32 ? new Float32Array(c.buffer, this.scoreOffset, BLOCK) : new Int32Array(c.buffer, this.scoreOffset, BLOCK);
      const k = c.kernels;
      if (k) (f32 ? new Float32Array(c.buffer, 0, this.dim) : new Int16Array(c.buffer, 0, this.dim)).set(query as Float32Array);
      const kernel = k ? (f32 ? k.scan_f32 : k.scan_i8) : undefined;
      for (let b = 0; b < n; b += BLOCK) {
        const nb = Math.min(BLOCK, n - b);
        const base = this.header + b * rowBytes;
        const m = kernel ? kernel(0, base, this.dim, nb, min(), first + b, this.slotOffset, this.scoreOffset) : this.scanJs(c, query, base, nb, min(), first + b, slots, scores);
        if (m > 0) visit(slots, scores, m);
      }
    }
  }

  /** The scalar fallback, same contract as the kernels: four accumulators (V8 runs that ~2x faster than one). */
  private scanJs(c: Chunk, q: View, base: number, n: number, min: number, first: number, slots: Int32Array, out: Float32Array | Int32Array): number {
    const d = this.dim;
    const data = this.kind === 'f32' ? new Float32Array(c.buffer, base, n * d) : new Int8Array(c.buffer, base, n * d);
    const tail = d & ~3;
    const int = this.kind === 'i8';
    let m = 0;
    for (let slot = 0, at = 0; slot < n; slot++, at += d) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = 0;
      for (; i < tail; i += 4) {
        s0 += q[i]! * data[at + i]!;
        s1 += q[i + 1]! * data[at + i + 1]!;
        s2 += q[i + 2]! * data[at + i + 2]!;
        s3 += q[i + 3]! * data[at + i + 3]!;
      }
      for (; i < d; i++) s0 += q[i]! * data[at + i]!;
      // int8 sums are exact integers either way; float32 sums round like the SIMD kernel's output.
      const s = int ? s0 + s1 + s2 + s3 : Math.fround(s0 + s1 + s2 + s3);
      if (s > min) {
        slots[m] = first + slot;
        out[m++] = s;
      }
    }
    return m;
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
