/**
 * Fits the embedding map shipped with MobileFaceNet (models/mobilefacenet-age-map.json) on every
 * lag-dev person with childhood and adult photos, with the ranks bench:search-children's inner
 * cross-validation chose (DEFAULT_MAP_RANKS), records its sha256 in src/embedders/shipped-maps.ts,
 * and writes the calibration of the embedder with the map into models/calibration.json:
 * LFW impostors through the shipped map; lag-dev impostors each through a map fitted without
 * either person's fold (5 identity-disjoint folds), so no calibration score comes from people
 * the map saw.
 *   npm run models:age-map
 * Faces come from bench:search-children's cache (embedded first when missing).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { applyEmbeddingMap, type EmbeddingMap } from '../../src/core/embedding-map.js';
import { chooseFace } from '../../src/core/face-choice.js';
import { DEFAULT_MAP_RANKS, differenceSpectrum, mapFromSpectrum } from '../../src/core/fit-embedding-map.js';
import { dot } from '../../src/core/vectors.js';
import { Matcher } from '../../src/node.js';
import { calibrationFrom } from '../../bench/accuracy.js';
import { loadPairs } from '../../bench/lib/datasets.js';
import { BARE_EMBEDDER, cacheKey } from '../../bench/lib/embed-sets-cli.js';
import { cachedFaces, type CachedPhoto } from '../../bench/lib/face-cache.js';
import { childAdultPairs, identityFolds } from '../../bench/lib/search-maps.js';
import { lagDevPhotos, lfwPaths } from '../../bench/lib/search-sets.js';

const { napRank, wccnRank } = DEFAULT_MAP_RANKS;

function central(c: CachedPhoto | undefined): Float32Array | undefined {
  if (!c) return undefined;
  const i = chooseFace(c.faces.map((f) => f.box), 'central', c.width, c.height);
  return i < 0 ? undefined : c.faces[i]!.embedding;
}

const m = await Matcher.create({ threads: 1, embedder: BARE_EMBEDDER });
const base = m.embedderId.id;
const photos = lagDevPhotos();
const lagCache = await cachedFaces(m, photos.map((p) => p.path), cacheKey('lag-dev', base));
const lfwCache = await cachedFaces(m, lfwPaths(), cacheKey('lfw', base));
await m.dispose();

const faces = photos.flatMap((p) => {
  const v = central(lagCache.get(p.path));
  return v ? [{ ...p, vector: v }] : [];
});
const people = [...new Set(faces.map((f) => f.person))];
const withBoth = people.filter((p) => faces.some((f) => f.person === p && f.young) && faces.some((f) => f.person === p && !f.young));
const pairs = childAdultPairs(faces, new Set(people));
const map = mapFromSpectrum(differenceSpectrum(pairs), napRank, wccnRank, 'lag-dev');
const file = {
  ...map,
  fittedOn: {
    set: 'lag-dev (LAG, Large Age-Gap; research-only licence)',
    people: withBoth.length,
    childAdultPairs: pairs.length,
    embedder: base,
    faceChoice: 'central',
    command: 'npm run models:age-map',
  },
};
const text = JSON.stringify(file) + '\n';
writeFileSync('models/mobilefacenet-age-map.json', text);
const sha256 = createHash('sha256').update(text).digest('hex');
const shipped = 'src/embedders/shipped-maps.ts';
writeFileSync(
  shipped,
  readFileSync(shipped, 'utf8')
    .replace(/sha256: '[0-9a-f]{64}'/, `sha256: '${sha256}'`)
    .replace(/bytes: \d+/, `bytes: ${Buffer.byteLength(text)}`),
);
console.log(`map ${map.id}: ${map.directions.length} directions, ${withBoth.length} people, ${Buffer.byteLength(text)} bytes, sha256 ${sha256}`);

const mapped = (v: Float32Array | undefined, mp: EmbeddingMap) => (v ? applyEmbeddingMap(mp, Float32Array.from(v)) : undefined);
const score = (a: Float32Array | undefined, b: Float32Array | undefined) => (a && b ? dot(a, b) : -Infinity);

const lfwPairs = loadPairs('lfw');
const lfwScores = lfwPairs.map((p) => score(mapped(central(lfwCache.get(p.a)), map), mapped(central(lfwCache.get(p.b)), map)));

// lag-dev: a pair of two people is scored through a map fitted without both their folds.
const K = 5;
const folds = identityFolds(people, K);
const spectra = new Map<string, EmbeddingMap>();
const mapWithout = (f1: number, f2: number) => {
  const key = [...new Set([f1, f2])].sort().join(',');
  if (!spectra.has(key)) {
    const keep = new Set(people.filter((p) => folds.get(p) !== f1 && folds.get(p) !== f2));
    spectra.set(key, mapFromSpectrum(differenceSpectrum(childAdultPairs(faces, keep)), napRank, wccnRank));
  }
  return spectra.get(key)!;
};
const personOf = (path: string) => (basename(dirname(path)) === 'y' ? basename(dirname(dirname(path))) : basename(dirname(path)));
const lagPairs = loadPairs('lag-dev');
const lagScores = lagPairs.map((p) => {
  const mp = mapWithout(folds.get(personOf(p.a))!, folds.get(personOf(p.b))!);
  return score(mapped(central(lagCache.get(p.a)), mp), mapped(central(lagCache.get(p.b)), mp));
});

const id = `${base}+${map.id}`;
const calFile = 'models/calibration.json';
const all = JSON.parse(readFileSync(calFile, 'utf8')) as Record<string, unknown>;
for (const k of Object.keys(all)) if (k.startsWith(`${base}+lag-dev-`)) delete all[k];
all[id] = [calibrationFrom('lfw', lfwPairs, lfwScores), calibrationFrom('lag-dev', lagPairs, lagScores)];
writeFileSync(calFile, JSON.stringify(all, null, 1) + '\n');
console.log(`calibration for ${id} written to ${calFile}`);
