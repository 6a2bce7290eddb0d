import type { ImageOps } from '../core/image-ops.js';

/**
 * The small slice of an inference runtime the core needs. The core never imports onnxruntime;
 * the platforms (src/platform/node-platform.ts, web-platform.ts) hand it a backend built by
 * `src/runtime/ort-backend.ts` over the onnxruntime they import.
 */
export interface TensorData {
  data: Float32Array;
  dims: readonly number[];
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  dispose(): Promise<void>;
}

export interface SessionOptions {
  /** Intra-op threads; 0 lets the runtime choose. */
  threads?: number;
}

export interface InferenceBackend {
  readonly name: string;
  createSession(model: Uint8Array, options?: SessionOptions): Promise<ModelSession>;
  /** Native pixel operations of the same platform (Node: libvips via sharp; browsers: their scaler). */
  readonly imageOps?: ImageOps;
}
