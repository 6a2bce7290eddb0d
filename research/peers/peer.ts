/** What every peer library exposes to the benchmarks. */
import type { ImageInput } from './image-tensor.js';

export type PeerName = 'human' | 'face-api';
export const PEER_NAMES: readonly PeerName[] = ['human', 'face-api'];

export interface Peer {
  name: PeerName;
  /** Runtime the peer runs on, e.g. "tfjs 4.22.0 wasm (simd, 1 thread)". */
  backend: string;
  /** How `similarity` compares descriptors (the library's natural score). */
  metric: string;
  /** Versions of the packages this peer runs on, for reports. */
  versions: Record<string, string>;
  /**
   * Full pipeline on one photo (decode, detect, align, describe). Returns the
   * descriptor of the face the library ranks first, or null when it finds none.
   */
  embed(input: ImageInput): Promise<Float32Array | null>;
  /** Higher = more alike. */
  similarity(a: Float32Array, b: Float32Array): number;
  dispose(): void;
}
