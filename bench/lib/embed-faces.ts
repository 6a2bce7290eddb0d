/**
 * Embeds a list of photos once, keeping the labelled (central) face's embedding and quality,
 * cached in bench/results/embeddings/<key>.json (ignored by git). Unlike embed-set.ts, which
 * keeps vectors only, this keeps the quality a sightings group is weighted by.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceQuality } from '../../src/core/quality.js';
import type { Matcher } from '../../src/node.js';
import { centralFace } from './embed-set.js';

export interface EmbeddedFace {
  path: string;
  vector: Float32Array;
  quality?: FaceQuality;
}

interface CacheFile {
  embedder: string;
  faces: { path: string; vector: number[]; quality?: FaceQuality }[];
  missing: string[];
}

/** Photos where no face was found at all (even as a crop) are left out and counted. */
export async function embedFaces(m: Matcher, paths: readonly string[], key: string): Promise<{ faces: EmbeddedFace[]; missing: number }> {
  const dir = join('bench', 'results', 'embeddings');
  const file = join(dir, `${key}.json`);
  if (existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    const have = new Set([...c.faces.map((f) => f.path), ...c.missing]);
    if (c.embedder === m.embedderId.sha256 && paths.every((p) => have.has(p))) {
      const want = new Set(paths);
      const faces = c.faces.filter((f) => want.has(f.path)).map((f) => ({ path: f.path, vector: Float32Array.from(f.vector), ...(f.quality ? { quality: f.quality } : {}) }));
      return { faces, missing: c.missing.filter((p) => want.has(p)).length };
    }
  }
  const sharp = (await import('sharp')).default;
  const faces: EmbeddedFace[] = [];
  const missing: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i]!;
    const all = await m.embed(p, { crop: true });
    const meta = all.length > 1 ? await sharp(p).metadata() : { width: 0, height: 0 };
    const f = all[0]?.face.assumedCrop ? all[0] : centralFace(all, meta.width ?? 0, meta.height ?? 0);
    if (f) faces.push({ path: p, vector: f.embedding, ...(f.face.quality ? { quality: f.face.quality } : {}) });
    else missing.push(p);
    if (i % 100 === 0 || i === paths.length - 1) process.stderr.write(`\r  embedded ${i + 1}/${paths.length}`);
  }
  process.stderr.write('\n');
  mkdirSync(dir, { recursive: true });
  const out: CacheFile = {
    embedder: m.embedderId.sha256,
    faces: faces.map((f) => ({ path: f.path, vector: Array.from(f.vector, (x) => +x.toFixed(7)), ...(f.quality ? { quality: f.quality } : {}) })),
    missing,
  };
  writeFileSync(file, JSON.stringify(out));
  // The cached (rounded) vectors, so a first run and a cached run group exactly alike.
  return { faces: out.faces.map((f, i) => ({ ...faces[i]!, vector: Float32Array.from(f.vector) })), missing: missing.length };
}
