/**
 * Grouping at 100,000 sightings, drawn from the embedding model fitted to the real LFW
 * embeddings (about 3 photos per person), through an HNSW index: time, peak memory, quality
 * against the drawn identities, and the cost of adding 1,000 more photos to the grouped store
 * against regrouping all of them.
 */
import { FlatIndex } from '../../src/indexes/flat.js';
import { HnswIndex } from '../../src/indexes/hnsw.js';
import type { KnnSearch } from '../../src/sightings/face-graph.js';
import { knnFromIndex } from '../../src/sightings/face-graph.js';
import { SightingGrouper, type GrouperOptions } from '../../src/sightings/grouper.js';
import { singleLinkage } from '../../src/sightings/single-linkage.js';
import { clusterScores, type ClusterScores } from './cluster-metrics.js';
import { fitEmbeddingModel, sampleEmbeddings, type LabelledEmbeddings } from './embedding-model.js';

export interface ScaleResult {
  n: number;
  added: number;
  people: number;
  efSearch: number;
  indexBuildSeconds: number;
  /** kNN searches of every face (the graph), and the grouping itself. */
  knnSeconds: number;
  groupSeconds: number;
  /** Peak resident memory of the process so far (bytes), and the RSS right before the store was built. */
  peakRssBytes: number;
  rssBeforeBytes: number;
  /** Share of each sampled face's exact neighbours above the edge floor that the graph search found. */
  edgeRecall: number;
  quality: ClusterScores;
  /** The baseline on the same graph: single linkage at a few thresholds. */
  single: { threshold: number; seconds: number; quality: ClusterScores }[];
  incremental: { seconds: number; knnSeconds: number; quality: ClusterScores };
  regroup: { seconds: number; knnSeconds: number; quality: ClusterScores };
  /** Regrouping the kept graph (no new searches): the agglomeration alone. */
  regroupGraphOnlySeconds: number;
  incrementalVsRegroup: number;
}

function timedSearch(search: KnnSearch): { search: KnnSearch; seconds: () => number } {
  let ms = 0;
  return {
    search: async (v, k) => {
      const t = performance.now();
      const r = await search(v, k);
      ms += performance.now() - t;
      return r;
    },
    seconds: () => ms / 1000,
  };
}

const peak = () => process.resourceUsage().maxRSS * 1024;

export async function scaleRun(real: LabelledEmbeddings, options: GrouperOptions, n: number, added: number, efSearch: number, log: (s: string) => void): Promise<ScaleResult> {
  const t0 = performance.now();
  const model = fitEmbeddingModel(real);
  log(`model fitted in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const { gallery } = sampleEmbeddings(model, n + added, 0, 21);
  const identities = Math.max(1, Math.round((n + added) / model.photosPerIdentity));
  const faces = gallery.map((vector, i) => ({ id: `s${i}`, vector, label: String(i % identities) }));
  const base = faces.slice(0, n);
  const more = faces.slice(n);

  globalThis.gc?.();
  const rssBeforeBytes = process.memoryUsage().rss;
  let t = performance.now();
  const index = await HnswIndex.create(faces[0]!.vector.length, { initialCapacity: n + added, efSearch });
  for (let i = 0; i < n; i += 1000) await index.add(base.slice(i, i + 1000).map((f) => ({ id: f.id, vector: f.vector })));
  const indexBuildSeconds = (performance.now() - t) / 1000;
  log(`hnsw index of ${n} built in ${indexBuildSeconds.toFixed(0)} s`);

  const grouper = new SightingGrouper(options);
  const s1 = timedSearch(knnFromIndex(index));
  t = performance.now();
  await grouper.add(base, s1.search);
  const total = (performance.now() - t) / 1000;
  const peakRssBytes = peak();
  const labelsOf = (g: SightingGrouper, list: typeof faces) => {
    const lab = g.labels();
    return list.map((f) => lab[g.graph.slot(f.id)!]!);
  };
  const quality = clusterScores(labelsOf(grouper, base), base.map((f) => f.label));
  log(`grouped ${n}: kNN ${s1.seconds().toFixed(0)} s + grouping ${(total - s1.seconds()).toFixed(1)} s; BCubed P ${quality.bcubedPrecision.toFixed(4)} R ${quality.bcubedRecall.toFixed(4)}`);

  const single = [0.5, 0.55, 0.6].map((threshold) => {
    const t1 = performance.now();
    const lab = singleLinkage(grouper.graph, threshold);
    const seconds = (performance.now() - t1) / 1000;
    return { threshold, seconds, quality: clusterScores(base.map((f) => lab[grouper.graph.slot(f.id)!]!), base.map((f) => f.label)) };
  });
  const edgeRecall = await checkEdges(base, grouper, options, 200);

  // Adding `added` photos to the grouped store.
  t = performance.now();
  await index.add(more.map((f) => ({ id: f.id, vector: f.vector })));
  const s2 = timedSearch(knnFromIndex(index));
  await grouper.add(more, s2.search);
  const incSeconds = (performance.now() - t) / 1000;
  const incQuality = clusterScores(labelsOf(grouper, faces), faces.map((f) => f.label));
  log(`added ${added} in ${incSeconds.toFixed(2)} s (kNN ${s2.seconds().toFixed(2)} s)`);

  // Regrouping all of them from scratch, searches included (what a store without updates would do).
  const fresh = new SightingGrouper(options);
  const s3 = timedSearch(knnFromIndex(index));
  t = performance.now();
  await fresh.add(faces, s3.search);
  const regroupSeconds = (performance.now() - t) / 1000;
  const regroupQuality = clusterScores(labelsOf(fresh, faces), faces.map((f) => f.label));
  log(`regrouped ${n + added} in ${regroupSeconds.toFixed(0)} s (kNN ${s3.seconds().toFixed(0)} s)`);
  t = performance.now();
  await fresh.regroup(s3.search);
  const regroupGraphOnlySeconds = (performance.now() - t) / 1000;
  await index.dispose();
  return {
    n,
    added,
    people: identities,
    efSearch,
    indexBuildSeconds,
    knnSeconds: s1.seconds(),
    groupSeconds: total - s1.seconds(),
    peakRssBytes,
    rssBeforeBytes,
    edgeRecall,
    quality,
    single,
    incremental: { seconds: incSeconds, knnSeconds: s2.seconds(), quality: incQuality },
    regroup: { seconds: regroupSeconds, knnSeconds: s3.seconds(), quality: regroupQuality },
    regroupGraphOnlySeconds,
    incrementalVsRegroup: regroupSeconds / incSeconds,
  };
}

/** Exact neighbours (flat index) of `sample` faces vs the graph's lists: share of edges above the floor found. */
async function checkEdges(faces: readonly { id: string; vector: Float32Array }[], grouper: SightingGrouper, options: GrouperOptions, sample: number): Promise<number> {
  const flat = new FlatIndex(faces[0]!.vector.length, 'none', faces.length);
  await flat.add(faces.map((f) => ({ id: f.id, vector: f.vector })));
  const g = grouper.graph;
  let want = 0;
  let found = 0;
  const step = Math.max(1, Math.floor(faces.length / sample));
  for (let i = 0; i < faces.length; i += step) {
    const f = faces[i]!;
    const s = g.slot(f.id)!;
    const exact = (await flat.search(f.vector, options.k + 1)).filter((h) => h.id !== f.id && h.score >= g.options.minScore).slice(0, options.k);
    const have = new Set<string>();
    g.forEachEdge(s, (t) => have.add(g.ids[t]!));
    want += exact.length;
    found += exact.filter((h) => have.has(h.id)).length;
  }
  await flat.dispose();
  return want ? found / want : 1;
}
