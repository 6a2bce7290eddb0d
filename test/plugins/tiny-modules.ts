/**
 * A user's modules written as plain objects, outside src/: an embedder (8x8 grey thumbnail of
 * the aligned crop, mean removed) and an index (a Map scanned in full). They are crude on
 * purpose: what is tested is that the Matcher runs whatever implements the interfaces. The
 * same source runs in Chromium (test/browser/plugins.test.ts), so it imports nothing.
 */
type Img = { data: Uint8Array | Uint8ClampedArray; width: number; height: number; channels: number };
type Entry = { id: string; vector: Float32Array; metadata?: Record<string, string | number | boolean | null> };

export function tinyEmbedder(log: string[] = []) {
  const side = 8;
  return {
    name: 'tiny-grey',
    modelId: { id: 'tiny-grey@1', sha256: 'ab'.repeat(32), dim: side * side },
    inputSize: 112,
    async embed(faces: readonly Img[]): Promise<Float32Array[]> {
      log.push(`embed ${faces.length}`);
      return faces.map((f) => {
        const v = new Float32Array(side * side);
        for (let y = 0; y < f.height; y++) {
          for (let x = 0; x < f.width; x++) {
            const i = (y * f.width + x) * f.channels;
            v[Math.floor((y * side) / f.height) * side + Math.floor((x * side) / f.width)]! += f.data[i]! + f.data[i + 1]! + f.data[i + 2]!;
          }
        }
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        return v.map((x) => x - mean);
      });
    },
    async dispose() {
      log.push('embedder disposed');
    },
  };
}

export function tinyIndex(dim: number, log: string[] = []) {
  const rows = new Map<string, Entry>();
  return {
    kind: 'tiny-map',
    dim,
    async add(entries: Entry[]) {
      log.push(`add ${entries.length}`);
      for (const e of entries) rows.set(e.id, { ...e, vector: Float32Array.from(e.vector) });
    },
    async remove(ids: string[]) {
      return ids.filter((id) => rows.delete(id)).length;
    },
    async search(query: Float32Array, k: number, options: { filter?: Record<string, unknown> } = {}) {
      log.push('search');
      const hits: { id: string; score: number; metadata?: Entry['metadata'] }[] = [];
      for (const e of rows.values()) {
        if (options.filter && !Object.entries(options.filter).every(([key, v]) => e.metadata?.[key] === v)) continue;
        let s = 0;
        for (let i = 0; i < dim; i++) s += query[i]! * e.vector[i]!;
        hits.push(e.metadata ? { id: e.id, score: s, metadata: e.metadata } : { id: e.id, score: s });
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, k);
    },
    async size() {
      return rows.size;
    },
    async entries() {
      return [...rows.values()];
    },
    async dispose() {
      log.push('index disposed');
    },
  };
}
