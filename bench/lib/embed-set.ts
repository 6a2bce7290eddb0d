/** Embeds every image of a verification set once (the face nearest the centre), caching to bench/results/embeddings. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matcher } from '../../src/node.js';
import type { FaceEmbedding } from '../../src/matcher.js';
import type { Pair } from './datasets.js';
import { chooseFace } from '../../src/core/face-choice.js';

export interface SetEmbeddings {
  /** image path -> embedding; null when no face could be embedded at all. */
  vectors: Map<string, Float32Array | null>;
  /** Images where the detector found nothing and the whole crop was used. */
  cropFallbacks: number;
  images: number;
  msPerImage: number;
}

/** Datasets centre the labelled person: the library's 'central' rule (what `enroll(..., { face: 'central' })` picks). */
export function centralFace(faces: FaceEmbedding[], w: number, h: number): FaceEmbedding | undefined {
  return faces[chooseFace(faces.map((f) => f.face.box), 'central', w, h)];
}

export async function embedSet(
  m: Matcher,
  pairs: Pair[],
  cacheKey: string | null,
  embedOne?: (path: string) => Promise<{ vec: Float32Array | null; fallback: boolean }>,
  progress = true,
): Promise<SetEmbeddings> {
  const paths = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const dir = join('bench', 'results', 'embeddings');
  const cacheFile = cacheKey ? join(dir, `${cacheKey}.json`) : null;
  if (cacheFile && existsSync(cacheFile)) {
    const c = JSON.parse(readFileSync(cacheFile, 'utf8')) as { paths: string[]; dim: number; fallbacks: number; ms: number; vectors: (number[] | null)[] };
    if (paths.every((p) => c.paths.includes(p))) {
      const vectors = new Map<string, Float32Array | null>();
      c.paths.forEach((p, i) => vectors.set(p, c.vectors[i] ? Float32Array.from(c.vectors[i]!) : null));
      return { vectors, cropFallbacks: c.fallbacks, images: c.paths.length, msPerImage: c.ms };
    }
  }
  const one =
    embedOne ??
    (async (path: string) => {
      const faces = await m.embed(path, { crop: true });
      const f = faces[0]?.face.assumedCrop ? faces[0] : centralFace(faces, ...(await size(path)));
      return { vec: f?.embedding ?? null, fallback: Boolean(f?.face.assumedCrop) };
    });
  const vectors = new Map<string, Float32Array | null>();
  let fallbacks = 0;
  const t0 = performance.now();
  for (let i = 0; i < paths.length; i++) {
    const p = paths[i]!;
    try {
      const r = await one(p);
      vectors.set(p, r.vec);
      if (r.fallback) fallbacks++;
    } catch (e) {
      process.stderr.write(`\n${p}: ${(e as Error).message}\n`);
      vectors.set(p, null);
    }
    if (progress && (i % 50 === 0 || i === paths.length - 1)) process.stderr.write(`\r  embedded ${i + 1}/${paths.length}`);
  }
  if (progress) process.stderr.write('\n');
  const ms = (performance.now() - t0) / paths.length;
  if (cacheFile) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      cacheFile,
      JSON.stringify({ paths, fallbacks, ms, vectors: paths.map((p) => (vectors.get(p) ? Array.from(vectors.get(p)!, (x) => +x.toFixed(6)) : null)) }),
    );
  }
  return { vectors, cropFallbacks: fallbacks, images: paths.length, msPerImage: ms };
}

async function size(path: string): Promise<[number, number]> {
  const sharp = (await import('sharp')).default;
  const meta = await sharp(path).metadata();
  return [meta.width ?? 0, meta.height ?? 0];
}
