// Spawned by kill.test.ts: saves a large gallery to one path over and over until killed.
import { encodeGallery, type GalleryState } from '../../src/gallery/format.js';
import { writeFileAtomic } from '../../src/gallery/file-node.js';

const [path, firstGeneration, countArg, dimArg] = process.argv.slice(2);
const count = Number(countArg);
const dim = Number(dimArg);
let generation = Number(firstGeneration);

// One-hot unit vectors: cheap to make, so each restarted child reaches its first save fast;
// the bytes written are as many as with real embeddings.
const all = new Float32Array(count * dim);
for (let i = 0; i < count; i++) all[i * dim + (i % dim)] = 1;
// Sightings too (format version 2): 1,000 street photos of one face each, grouped in pairs.
const SIGHTINGS = 1000;
const face = (i: number) => ({ box: { x: 0, y: 0, width: 10, height: 10 }, score: 1, landmarks: [], vector: all.subarray(i * dim, (i + 1) * dim) });
const sightings = Array.from({ length: SIGHTINGS }, (_, i) => ({ sightingId: `p${i}`, metadata: { generation: -1 }, addedAt: '2026-11-30T08:00:00.000Z', faces: [face(i)] }));
const state: GalleryState = {
  embedder: { id: 'kill-test', sha256: '0'.repeat(64), dim },
  templates: Array.from({ length: count }, (_, i) => ({
    templateId: `t${i}`,
    subjectId: `s${i >> 2}`,
    vector: all.subarray(i * dim, (i + 1) * dim),
    metadata: { generation: -1 },
    enrolledAt: '2026-11-29T08:00:00.000Z',
  })),
  sightings: {
    sightings,
    grouping: {
      options: { pairThreshold: 0.52, groupThreshold: 0.3, crowdWeight: 1, crowdBaseline: 0.35, k: 20, outlierMargin: 0.05 },
      nextGroup: SIGHTINGS / 2 + 1,
      groupOf: Object.fromEntries(sightings.map((s, i) => [`${s.sightingId}#0`, `g${(i >> 1) + 1}`])),
      decisions: { together: [['p0#0', 'p1#0']], apart: [] },
    },
  },
};
for (;;) {
  state.templates[0]!.metadata = { generation };
  state.templates[count - 1]!.metadata = { generation };
  sightings[0]!.metadata = { generation };
  sightings[SIGHTINGS - 1]!.metadata = { generation };
  const bytes = await encodeGallery(state);
  process.stdout.write(`writing ${generation}\n`);
  const started = performance.now();
  await writeFileAtomic(path!, bytes);
  process.stdout.write(`saved ${generation} ${Math.round(performance.now() - started)}\n`);
  generation++;
}
