// Node only: wraps the hnswlib-node native addon.
import { z } from 'zod';
import type { HierarchicalNSW } from 'hnswlib-node';
import { MatcherError } from '../core/errors.js';
import type { Index, IndexEntry, IndexFactory, IndexHit, Metadata, SearchOptions } from './index.js';
import { compileFilter } from './filter.js';
import { assertDim, assertEntries, assertFilter, assertIds, assertK, assertVector, disposedError } from './validate.js';

/**
 * Default efSearch, by gallery size, from recall@10 against exact search on both of
 * bench/search.ts's realistic sets (d=512, M=16, efConstruction=200). At 10k, 256 already gave
 * 0.9987 on both and 512 gave 0.9999 / 1.0000 (512 is kept up to 50k for margin); at 100k,
 * 512 gave 0.9924 on face-like data but 0.9842 on the LFW-fitted set, 1024 gave 0.9963.
 * At 1M (face-like) 1024 gave only 0.9550, 2048 gave 0.9905 and 4096 0.9970, so galleries
 * above 200k (between the measured sizes, on the safe side) get 2048.
 * Pass a number as `efSearch` (or call `setEfSearch`) to fix it instead: queries/s roughly
 * doubles per halving.
 */
export function defaultEfSearch(size: number): number {
  if (size <= 50_000) return 512;
  return size <= 200_000 ? 1024 : 2048;
}

export const hnswIndexSchema = z
  .object({
    /** Graph out-degree; more = better recall and more memory. */
    M: z.number().int().min(2).max(100).default(16),
    efConstruction: z.number().int().min(1).max(4096).default(200),
    /**
     * Candidate list size at query time (raised to k when k is larger). 'auto' follows the
     * gallery's size (see defaultEfSearch).
     */
    efSearch: z.union([z.literal('auto'), z.number().int().min(1).max(65536)]).default('auto'),
    /** Room reserved up front; the graph is resized (doubled) when full. */
    initialCapacity: z.number().int().min(1).max(1 << 28).default(1024),
    /** Seed of the level generator, so builds are reproducible. */
    seed: z.number().int().min(0).max(0x7fffffff).default(100),
  })
  .strict();

export type HnswIndexOptions = z.input<typeof hnswIndexSchema>;
type ResolvedOptions = z.output<typeof hnswIndexSchema>;

interface Slot {
  id: string;
  metadata: Metadata | undefined;
}

const MAX_LABEL = 0xffffffff;

/**
 * Approximate search with an HNSW graph (hnswlib, cosine space). String ids map to numeric
 * labels; a label is never reused, because hnswlib keeps a removed label attached to its
 * deleted slot until `allowReplaceDeleted` recycles that slot for a new label.
 * `entries()` returns the vectors hnswlib stores (re-normalised, equal to the added ones
 * within float rounding).
 */
export class HnswIndex implements Index {
  readonly kind = 'hnsw';
  private readonly labelOf = new Map<string, number>();
  private readonly slots = new Map<number, Slot>();
  private nextLabel = 0;
  /** Slots marked deleted and not yet recycled by a later add. */
  private deleted = 0;
  private disposed = false;
  private graph: HierarchicalNSW | undefined;

  private efSearch: number | 'auto';

  private constructor(
    readonly dim: number,
    private readonly options: ResolvedOptions,
    graph: HierarchicalNSW,
  ) {
    this.graph = graph;
    this.efSearch = options.efSearch;
  }

  /** Trades speed for recall at query time; the graph is unchanged. 'auto' restores the default. */
  setEfSearch(ef: number | 'auto'): void {
    this.live();
    // The option's own schema, so the two ways of setting it cannot disagree.
    const parsed = hnswIndexSchema.shape.efSearch.safeParse(ef);
    if (!parsed.success || parsed.data === undefined) {
      throw new MatcherError('INVALID_ARGUMENT', `efSearch must be 'auto' or an integer in [1, 65536], got ${ef}`);
    }
    this.efSearch = parsed.data;
  }

  /** The efSearch a query uses now. */
  get currentEfSearch(): number {
    return this.efSearch === 'auto' ? defaultEfSearch(this.slots.size) : this.efSearch;
  }

  static async create(dim: number, options: HnswIndexOptions = {}): Promise<HnswIndex> {
    assertDim(dim);
    const o = hnswIndexSchema.parse(options);
    let lib: typeof import('hnswlib-node');
    try {
      const mod = (await import('hnswlib-node')) as { default?: typeof import('hnswlib-node') };
      lib = mod.default ?? (mod as unknown as typeof import('hnswlib-node'));
    } catch (cause) {
      throw new MatcherError(
        'RUNTIME_UNSUPPORTED',
        "the 'hnsw' index needs the native addon hnswlib-node, which failed to load (was its install script allowed to build it?)",
        { cause },
      );
    }
    const graph = new lib.HierarchicalNSW('cosine', dim);
    graph.initIndex({
      maxElements: o.initialCapacity,
      m: o.M,
      efConstruction: o.efConstruction,
      randomSeed: o.seed,
      allowReplaceDeleted: true,
    });
    return new HnswIndex(dim, o, graph);
  }

  private live(): HierarchicalNSW {
    if (this.disposed || !this.graph) throw disposedError(this.kind);
    return this.graph;
  }

  /**
   * Estimated bytes of the graph (hnswlib's level-0 block for the reserved capacity plus the
   * expected upper-level links); hnswlib does not report its own usage.
   */
  memoryBytes(): number {
    const g = this.live();
    const M = this.options.M;
    const level0 = (2 * M * 4 + 4) + this.dim * 4 + 8;
    const upper = (M * 4 + 4) / (M - 1);
    return Math.round(g.getMaxElements() * level0 + this.slots.size * upper);
  }

  private wrap<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof MatcherError) throw cause;
      throw new MatcherError('INDEX_ERROR', `hnsw ${what} failed: ${(cause as Error).message}`, { cause });
    }
  }

  async add(entries: IndexEntry[]): Promise<void> {
    const g = this.live();
    assertEntries(entries, this.dim);
    if (this.nextLabel + entries.length > MAX_LABEL) {
      throw new MatcherError('INDEX_ERROR', 'hnsw index ran out of labels; rebuild it from entries()');
    }
    this.wrap('add', () => {
      // An update is delete + insert: hnswlib's in-place replace would leave the old slot orphaned.
      for (const e of entries) {
        const old = this.labelOf.get(e.id);
        if (old !== undefined) this.markDeleted(g, old);
      }
      const fresh = entries.length - this.deleted;
      if (fresh > 0) {
        const needed = g.getCurrentCount() + fresh;
        if (needed > g.getMaxElements()) {
          let cap = g.getMaxElements();
          while (cap < needed) cap *= 2;
          g.resizeIndex(cap);
        }
      }
      for (const e of entries) {
        const label = this.nextLabel++;
        g.addPoint(Array.from(e.vector), label, true);
        if (this.deleted > 0) this.deleted--;
        this.labelOf.set(e.id, label);
        this.slots.set(label, { id: e.id, metadata: e.metadata ? { ...e.metadata } : undefined });
      }
    });
  }

  private markDeleted(g: HierarchicalNSW, label: number): void {
    g.markDelete(label);
    const slot = this.slots.get(label);
    if (slot) this.labelOf.delete(slot.id);
    this.slots.delete(label);
    this.deleted++;
  }

  async remove(ids: string[]): Promise<number> {
    const g = this.live();
    assertIds(ids);
    return this.wrap('remove', () => {
      let removed = 0;
      for (const id of ids) {
        const label = this.labelOf.get(id);
        if (label === undefined) continue;
        this.markDeleted(g, label);
        removed++;
      }
      return removed;
    });
  }

  async search(query: Float32Array, k: number, options: SearchOptions = {}): Promise<IndexHit[]> {
    const g = this.live();
    assertVector(query, this.dim, 'query');
    assertK(k);
    assertFilter(options.filter);
    const n = Math.min(k, this.slots.size);
    if (n === 0) return [];
    const keep = compileFilter(options.filter);
    const slots = this.slots;
    const filter = keep ? (label: number) => keep(slots.get(label)?.metadata) : undefined;
    const result = this.wrap('search', () => {
      g.setEf(Math.max(this.currentEfSearch, n));
      return g.searchKnn(Array.from(query), n, filter);
    });
    const hits: IndexHit[] = [];
    for (let i = 0; i < result.neighbors.length; i++) {
      const slot = slots.get(result.neighbors[i]!);
      if (!slot) continue;
      const score = 1 - result.distances[i]!;
      hits.push(slot.metadata ? { id: slot.id, score, metadata: { ...slot.metadata } } : { id: slot.id, score });
    }
    return hits;
  }

  async size(): Promise<number> {
    this.live();
    return this.slots.size;
  }

  async entries(): Promise<IndexEntry[]> {
    const g = this.live();
    return this.wrap('entries', () => {
      const out: IndexEntry[] = [];
      for (const [label, slot] of this.slots) {
        const vector = Float32Array.from(g.getPoint(label));
        out.push(slot.metadata ? { id: slot.id, vector, metadata: { ...slot.metadata } } : { id: slot.id, vector });
      }
      return out;
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.graph = undefined;
    this.labelOf.clear();
    this.slots.clear();
  }
}

export const hnswIndexFactory: IndexFactory<typeof hnswIndexSchema> = {
  kind: 'hnsw',
  schema: hnswIndexSchema,
  create: (dim, options) => HnswIndex.create(dim, options),
};
