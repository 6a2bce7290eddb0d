import { z } from 'zod';
import { packTensor } from '../core/image.js';
import type { ModelContext } from '../core/model-context.js';
import { OnnxModel } from '../core/onnx-model.js';
import type { RawImage } from '../core/types.js';
import { l2normalize, type Embedder } from './embedder.js';

export const onnxEmbedderSchema = z
  .object({
    precision: z.string().optional(),
    /** Faces per inference call when the model's batch dimension is dynamic. */
    batchSize: z.number().int().min(1).max(256).default(32),
  })
  .strict();
export type OnnxEmbedderOptions = z.infer<typeof onnxEmbedderSchema>;

/** Any embedder whose manifest entry says how to pack its input; names one model id. */
export class OnnxEmbedder implements Embedder {
  readonly modelId: { id: string; sha256: string; dim: number };
  readonly inputSize: number;
  private constructor(
    readonly name: string,
    private readonly model: OnnxModel,
    private readonly batchSize: number,
  ) {
    const e = model.entry;
    const layout = e.input.layout;
    this.inputSize = layout === 'NCHW' ? e.input.shape[2]! : e.input.shape[1]!;
    this.modelId = { id: `${e.id}@${e.precision}`, sha256: e.sha256, dim: e.dim ?? 0 };
  }

  static async create(ctx: ModelContext, id: string, options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const model = await OnnxModel.open(ctx, id, options.precision);
    const dynamicBatch = (model.entry.input.shape[0] ?? 1) < 0;
    return new OnnxEmbedder(id, model, dynamicBatch ? options.batchSize : 1);
  }

  async embed(faces: readonly RawImage[]): Promise<Float32Array[]> {
    const { input } = this.model.entry;
    const s = this.inputSize;
    const out: Float32Array[] = [];
    for (let start = 0; start < faces.length; start += this.batchSize) {
      const batch = faces.slice(start, start + this.batchSize);
      const tensor = packTensor(batch, input.layout, input.color, input.mean, input.std);
      const dims = input.layout === 'NCHW' ? [batch.length, 3, s, s] : [batch.length, s, s, 3];
      const res = await this.model.run(tensor, dims);
      const data = res[this.model.entry.outputs[0]!]!.data;
      const dim = data.length / batch.length;
      for (let b = 0; b < batch.length; b++) out.push(l2normalize(data.slice(b * dim, (b + 1) * dim)));
    }
    return out;
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
