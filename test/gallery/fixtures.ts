import type { GalleryState } from '../../src/gallery/format.js';
import type { Metadata } from '../../src/indexes/index.js';
import { seededRandom, unitVector } from '../indexes/random.js';

export const EMBEDDER = { id: 'mobilefacenet', sha256: 'a'.repeat(64), dim: 8 };

export function smallGallery(count = 3, seed = 1): GalleryState {
  const rand = seededRandom(seed);
  return {
    embedder: { ...EMBEDDER },
    templates: Array.from({ length: count }, (_, i) => ({
      templateId: `t${i}`,
      subjectId: `s${i % 2}`,
      vector: unitVector(rand, EMBEDDER.dim),
      metadata: (i === 0 ? {} : { case: `case-${i}`, age: 5 + i, photo: i % 2 === 0, note: null }) as Metadata,
      enrolledAt: `2026-11-2${i}T10:00:00.000Z`,
    })),
  };
}
