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
const state: GalleryState = {
  embedder: { id: 'kill-test', sha256: '0'.repeat(64), dim },
  templates: Array.from({ length: count }, (_, i) => ({
    templateId: `t${i}`,
    subjectId: `s${i >> 2}`,
    vector: all.subarray(i * dim, (i + 1) * dim),
    metadata: { generation: -1 },
    enrolledAt: '2026-11-29T08:00:00.000Z',
  })),
};
for (;;) {
  state.templates[0]!.metadata = { generation };
  state.templates[count - 1]!.metadata = { generation };
  const bytes = await encodeGallery(state);
  process.stdout.write(`writing ${generation}\n`);
  const started = performance.now();
  await writeFileAtomic(path!, bytes);
  process.stdout.write(`saved ${generation} ${Math.round(performance.now() - started)}\n`);
  generation++;
}
