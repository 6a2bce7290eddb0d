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

/** A tensor the model declares: element type and shape (a string is a symbolic, free dimension). */
export interface ValueInfo {
  name: string;
  type?: string;
  shape?: readonly (number | string)[];
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** What the runtime reports of the model's inputs and outputs, when it does (checks a user's manifest). */
  readonly inputInfo?: readonly ValueInfo[];
  readonly outputInfo?: readonly ValueInfo[];
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
