import type { InferenceBackend, ModelSession, SessionOptions, TensorData, ValueInfo } from './session.js';

/**
 * The slice of the onnxruntime JS API (identical in onnxruntime-node and onnxruntime-web,
 * both built on onnxruntime-common) that this backend uses. The platform entry passes the
 * module it imported, so this is the only file that knows how ORT is called.
 */
export interface OrtModule {
  InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** onnxruntime >= 1.22. */
  readonly inputMetadata?: readonly OrtValueMetadata[];
  readonly outputMetadata?: readonly OrtValueMetadata[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown; dims: readonly number[] }>>;
  release(): Promise<void>;
}

interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

function valueInfo(m: readonly OrtValueMetadata[] | undefined): ValueInfo[] | undefined {
  return m?.map((v) => ({ name: v.name, ...(v.isTensor ? { type: v.type, shape: v.shape } : { type: 'non-tensor' }) }));
}

export function ortBackend(
  name: string,
  ort: OrtModule,
  sessionDefaults: Record<string, unknown> = {},
): InferenceBackend {
  return {
    name,
    async createSession(model: Uint8Array, options: SessionOptions = {}): Promise<ModelSession> {
      const session = await ort.InferenceSession.create(model, {
        graphOptimizationLevel: 'all',
        ...sessionDefaults,
        ...(options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
      });
      const inputInfo = valueInfo(session.inputMetadata);
      const outputInfo = valueInfo(session.outputMetadata);
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        ...(inputInfo ? { inputInfo } : {}),
        ...(outputInfo ? { outputInfo } : {}),
        async run(feeds: Record<string, TensorData>) {
          const ortFeeds: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', v.data, v.dims);
          const res = await session.run(ortFeeds);
          const out: Record<string, TensorData> = {};
          for (const [k, v] of Object.entries(res)) {
            if (!(v.data instanceof Float32Array)) throw new Error(`output ${k} is not float32`);
            out[k] = { data: v.data, dims: v.dims };
          }
          return out;
        },
        dispose: () => session.release(),
      };
    },
  };
}
