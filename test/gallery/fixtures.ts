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

/** A gallery with two sightings (three faces), a grouping and a reviewer decision. */
export function galleryWithSightings(seed = 3): GalleryState {
  const rand = seededRandom(seed);
  const face = (x: number) => ({
    box: { x, y: 10, width: 40, height: 50 },
    score: 0.98,
    landmarks: [[x + 10, 25], [x + 30, 25], [x + 20, 35], [x + 12, 45], [x + 28, 45]] as [number, number][],
    quality: { eyeDistance: 20, sharpness: 150, yaw: 0.02, roll: -1, detectorScore: 0.98, ok: true, issues: [] },
    vector: unitVector(rand, EMBEDDER.dim),
  });
  return {
    ...smallGallery(2, seed),
    sightings: {
      sightings: [
        { sightingId: 'street-1', metadata: { place: 'Dakar, market', takenAt: '2026-10-01T09:00:00Z', source: 'volunteer 7' }, addedAt: '2026-11-30T10:00:00.000Z', faces: [face(0), face(60)] },
        { sightingId: 'street-2', metadata: { place: 'Dakar, port' }, addedAt: '2026-11-30T10:05:00.000Z', faces: [{ ...face(5), assumedCrop: true }] },
      ],
      grouping: {
        options: { pairThreshold: 0.52, groupThreshold: 0.3, crowdWeight: 1, crowdBaseline: 0.35, k: 20, outlierMargin: 0.05 },
        nextGroup: 4,
        groupOf: { 'street-1#0': 'g1', 'street-1#1': 'g3', 'street-2#0': 'g1' },
        decisions: { together: [['street-1#0', 'street-2#0']], apart: [[['street-1#0', 'street-2#0'], ['street-1#1']]] },
      },
    },
  };
}
