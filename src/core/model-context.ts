import type { Manifest, ModelEntry } from './manifest.js';
import type { InferenceBackend } from '../runtime/session.js';

/** Where a user's ONNX model comes from: its bytes, or a path (Node) / URL (browser). */
export type ModelSource = Uint8Array | ArrayBuffer | string | URL;

/** What a module factory needs to open its model; built from the platform by `modelContext` in src/matcher/assemble.ts. */
export interface ModelContext {
  manifest: Manifest;
  backend: InferenceBackend;
  /** Reads a model's bytes and checks them against the manifest sha256 before returning. */
  loadModel(entry: ModelEntry): Promise<Uint8Array>;
  threads: number;
  /** Default precision when a module's options do not name one. */
  precision: string;
  /** A user's model bytes (`{ name: 'onnx', model }`): read from a path or URL, or given; not yet checked. */
  readUserModel?(source: ModelSource): Promise<Uint8Array>;
}
