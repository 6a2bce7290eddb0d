/**
 * LFW through the library's own face choice (src/core/face-choice.ts, what `enroll(..., { face })`
 * uses): 10-fold accuracy when every photo's face is picked by 'largest' and by 'central' (bare
 * model, and with the map the default embedder applies), and how
 * many photos an enrolment without a choice would refuse as AMBIGUOUS_FACE.
 *   npm run bench:face-choice
 * Faces come from the cache bench:search-children fills (bench/results/cache/); results go to
 * bench/results/face-choice.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEmbeddingMap, checkEmbeddingMap, type EmbeddingMap } from '../src/core/embedding-map.js';
import { SHIPPED_MAPS } from '../src/embedders/shipped-maps.js';
import { chooseFace, isAmbiguous, AMBIGUOUS_AREA_RATIO, type FaceChoice } from '../src/core/face-choice.js';
import { dot as cosine } from '../src/core/vectors.js';
import { Matcher } from '../src/node.js';
import { evaluate } from './accuracy.js';
import { machineInfo } from './lib/args.js';
import { loadPairs } from './lib/datasets.js';
import { BARE_EMBEDDER, cacheKey } from './lib/embed-sets-cli.js';
import { cachedFaces } from './lib/face-cache.js';
import { lfwPaths } from './lib/search-sets.js';

async function main() {
  const m = await Matcher.create({ threads: 1, embedder: BARE_EMBEDDER });
  const cache = await cachedFaces(m, lfwPaths(), cacheKey('lfw', m.embedderId.id));
  await m.dispose();
  const pairs = loadPairs('lfw');
  const photos = [...cache.values()];
  // The default embedder applies the shipped map: the figures a user gets, beside the bare model's.
  const shipped = checkEmbeddingMap(JSON.parse(readFileSync(join('models', SHIPPED_MAPS['mobilefacenet']!.file), 'utf8')));
  const rules: Record<string, unknown> = {};
  for (const [rule, map] of [['largest', undefined], ['central', undefined], ['largest', shipped], ['central', shipped]] as [FaceChoice, EmbeddingMap | undefined][]) {
    const vec = new Map<string, Float32Array | null>();
    for (const [path, c] of cache) {
      const i = chooseFace(c.faces.map((f) => f.box), rule, c.width, c.height);
      vec.set(path, i < 0 ? null : map ? applyEmbeddingMap(map, Float32Array.from(c.faces[i]!.embedding)) : c.faces[i]!.embedding);
    }
    const scores = pairs.map((p) => {
      const a = vec.get(p.a);
      const b = vec.get(p.b);
      return a && b ? cosine(a, b) : -Infinity;
    });
    const e = evaluate('lfw', pairs, scores);
    rules[`${String(rule)}${map ? ', shipped map (default)' : ''}`] = { accuracy: e.accuracy, std: e.accuracyStd, tarAtFar1e3: e.tarAtFar1e3, auc: e.auc, failedPairs: e.failedPairs };
  }
  const differ = photos.filter((c) => {
    const boxes = c.faces.map((f) => f.box);
    return chooseFace(boxes, 'largest', c.width, c.height) !== chooseFace(boxes, 'central', c.width, c.height);
  }).length;
  const result = {
    date: new Date().toISOString(),
    command: 'npm run bench:face-choice',
    machine: await machineInfo(),
    embedder: m.embedderId.id,
    photos: photos.length,
    pairs: pairs.length,
    multiFacePhotos: photos.filter((c) => c.faces.length > 1).length,
    ambiguousAreaRatio: AMBIGUOUS_AREA_RATIO,
    ambiguousPhotos: photos.filter((c) => isAmbiguous(c.faces.map((f) => f.box))).length,
    /** Per area ratio: photos refused as ambiguous, and photos where 'largest' and 'central' differ yet none is refused. */
    sweep: [0.3, 0.4, 0.5, 0.6, 0.7].map((ratio) => {
      const flagged = (c: (typeof photos)[number]) => {
        const a = c.faces.map((f) => f.box.width * f.box.height).sort((x, y) => y - x);
        return a.length > 1 && a[1]! >= ratio * a[0]!;
      };
      const missed = photos.filter((c) => !flagged(c) && chooseFace(c.faces.map((f) => f.box), 'largest', c.width, c.height) !== chooseFace(c.faces.map((f) => f.box), 'central', c.width, c.height));
      return { ratio, refused: photos.filter(flagged).length, silentlyDiffer: missed.length };
    }),
    largestAndCentralDiffer: differ,
    rules,
  };
  console.log(JSON.stringify(result, null, 1));
  writeFileSync(join('bench', 'results', 'face-choice.json'), JSON.stringify(result, null, 1) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
