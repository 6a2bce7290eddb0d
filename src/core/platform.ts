import type { Manifest, ModelEntry } from './manifest.js';
import type { InferenceBackend } from '../runtime/session.js';
import type { RawImage } from './types.js';
import type { IndexFactory } from '../indexes/index.js';

export interface DecodeLimits {
  maxPixels: number;
  maxBytes: number;
}

/** Score calibration of one embedder: cosine -> false-match rate, measured on impostor pairs. */
export interface Calibration {
  /** Which pairs produced it, e.g. 'lfw' (adults) or 'lag-dev' (child vs adult). */
  set: string;
  impostorPairs: number;
  /** Increasing scores with the fraction of impostor pairs scoring at or above each. */
  points: [score: number, far: number][];
  /** Score at a false-match rate of 1e-3 on this set. */
  thresholdAtFar1e3: number;
}

/** Everything that differs between Node and the browser; the core Matcher only talks to this. */
export interface Platform<Input = unknown> {
  name: 'node' | 'web';
  backend: InferenceBackend;
  loadManifest(): Promise<Manifest>;
  /** Bytes of a model file; the caller verifies sha256. */
  readModel(entry: ModelEntry): Promise<Uint8Array>;
  /** Calibrations keyed by embedder model id ('mobilefacenet@fp32'). */
  loadCalibrations(): Promise<Record<string, Calibration[]>>;
  decode(input: Input, limits: DecodeLimits): Promise<RawImage>;
  /** Bytes of a user's model named by path (Node) or URL (browser); the caller verifies sha256. */
  readUserModel(location: string | URL): Promise<Uint8Array>;
  /** Index kinds only this platform has (Node: `hnsw`), beside those of src/modules/registry.ts. */
  indexes: Record<string, IndexFactory>;
}
