import { FlatIndex } from '../../src/indexes/flat.js';
import { knnFromIndex, type KnnSearch } from '../../src/sightings/face-graph.js';
import { gaussian, seededRandom, unitVector } from '../indexes/random.js';

export interface Face {
  id: string;
  vector: Float32Array;
  person: number;
}

/** `people` identities with `photos` noisy photos each, in d dimensions (ids p<person>-<photo>). */
export function syntheticFaces(people: number, photos: number, noise: number, seed = 1, dim = 32): Face[] {
  const rand = seededRandom(seed);
  const faces: Face[] = [];
  for (let p = 0; p < people; p++) {
    const c = unitVector(rand, dim);
    for (let i = 0; i < photos; i++) faces.push({ id: `p${p}-${i}`, vector: around(c, noise, rand), person: p });
  }
  return faces;
}

export function around(c: Float32Array, noise: number, rand: () => number): Float32Array {
  const v = Float32Array.from(c, (x) => x + (noise / Math.sqrt(c.length)) * gaussian(rand));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** A flat index holding the faces, and its kNN search. */
export async function indexed(faces: readonly { id: string; vector: Float32Array }[], dim = faces[0]!.vector.length): Promise<{ index: FlatIndex; search: KnnSearch }> {
  const index = new FlatIndex(dim);
  if (faces.length) await index.add(faces.map((f) => ({ id: f.id, vector: f.vector })));
  return { index, search: knnFromIndex(index) };
}
