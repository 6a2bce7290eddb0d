/**
 * Every face the pipeline finds in each photo of a set (box, detector score, quality, embedding)
 * and the photo's size, cached in bench/results/cache/<key>.json (ignored by git). Keeping all
 * faces, not one, lets the benchmarks apply the library's own face choice (or any other) and any
 * embedding map afterwards without embedding the set again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceQuality } from '../../src/core/quality.js';
import type { Box } from '../../src/core/types.js';
import type { Matcher } from '../../src/node.js';

export interface CachedFace {
  box: Box;
  score: number;
  quality?: FaceQuality;
  assumedCrop?: boolean;
  embedding: Float32Array;
}

export interface CachedPhoto {
  width: number;
  height: number;
  faces: CachedFace[];
}

interface CacheFile {
  embedder: string;
  photos: Record<string, { width: number; height: number; faces: (Omit<CachedFace, 'embedding'> & { embedding: number[] })[] }>;
}

export const CACHE_DIR = join('bench', 'results', 'cache');

function revive(p: CacheFile['photos'][string]): CachedPhoto {
  return { width: p.width, height: p.height, faces: p.faces.map((f) => ({ ...f, embedding: Float32Array.from(f.embedding) })) };
}

/**
 * Photos already in the cache are read back; the rest are embedded (with `crop: true`: the
 * sets hold tight crops where the detector may find nothing) and the cache saved every 500 photos,
 * so an interrupted run resumes.
 */
export async function cachedFaces(m: Matcher, paths: readonly string[], key: string): Promise<Map<string, CachedPhoto>> {
  const file = join(CACHE_DIR, `${key}.json`);
  let cache: CacheFile = { embedder: m.embedderId.sha256, photos: {} };
  if (existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (c.embedder === m.embedderId.sha256) cache = c;
  }
  const todo = paths.filter((p) => !cache.photos[p]);
  const sharp = (await import('sharp')).default;
  const save = () => {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(cache));
  };
  for (let i = 0; i < todo.length; i++) {
    const p = todo[i]!;
    const meta = await sharp(p).metadata();
    const faces = await m.embed(p, { crop: true });
    cache.photos[p] = {
      width: meta.width ?? 0,
      height: meta.height ?? 0,
      faces: faces.map((f) => ({
        box: f.face.box,
        score: f.face.score,
        ...(f.face.quality ? { quality: f.face.quality } : {}),
        ...(f.face.assumedCrop ? { assumedCrop: true } : {}),
        embedding: Array.from(f.embedding, (x) => +x.toFixed(7)),
      })),
    };
    if (i % 100 === 0 || i === todo.length - 1) process.stderr.write(`\r  ${key}: embedded ${i + 1}/${todo.length}`);
    if (i % 500 === 499) save();
  }
  if (todo.length) {
    process.stderr.write('\n');
    save();
  }
  return new Map(paths.map((p) => [p, revive(cache.photos[p]!)]));
}
