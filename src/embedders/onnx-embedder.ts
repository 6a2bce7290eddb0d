import { z } from 'zod';
import { applyEmbeddingMap, checkEmbeddingMap, type EmbeddingMap } from '../core/embedding-map.js';
import { MatcherError } from '../core/errors.js';
import { packTensor } from '../core/image.js';
import type { ModelEntry } from '../core/manifest.js';
import type { ModelContext } from '../core/model-context.js';
import { OnnxModel } from '../core/onnx-model.js';
import type { RawImage } from '../core/types.js';
import { l2normalize } from '../core/vectors.js';
import type { Embedder } from './embedder.js';
import { SHIPPED_MAPS } from './shipped-maps.js';

const mapSchema = z.object({ id: z.string(), dim: z.number(), directions: z.array(z.array(z.number())), scales: z.array(z.number()) });

export const onnxEmbedderSchema = z
  .object({
    precision: z.string().optional(),
    /** Faces per inference call when the model's batch dimension is dynamic. */
    batchSize: z.number().int().min(1).max(256).default(32),
    /**
     * A linear map applied to every embedding (gallery and query alike) that damps the directions
     * along which a face moves from childhood to adulthood: 'lag-dev' (the map shipped beside the
     * embedder, see its model card; the default when there is one), 'none' (the default for
     * embedders without one, e.g. a user's ONNX model), or a map of your own from `fitEmbeddingMap`. Its id
     * becomes part of the embedder's id, so a gallery made with another map is refused (one made
     * without any is re-projected on load).
     */
    map: z.union([z.literal('lag-dev'), z.literal('none'), mapSchema]).optional(),
  })
  .strict();
export type OnnxEmbedderOptions = z.infer<typeof onnxEmbedderSchema>;

/** Any embedder whose manifest entry says how to pack its input; names one model id. */
export class OnnxEmbedder implements Embedder {
  readonly modelId: { id: string; sha256: string; dim: number };
  readonly baseModelId: { id: string; sha256: string; dim: number };
  readonly inputSize: number;
  private constructor(
    readonly name: string,
    private readonly model: OnnxModel,
    private readonly batchSize: number,
    private readonly map: EmbeddingMap | undefined,
  ) {
    const e = model.entry;
    const layout = e.input.layout;
    this.inputSize = layout === 'NCHW' ? e.input.shape[2]! : e.input.shape[1]!;
    this.baseModelId = { id: `${e.id}@${e.precision}`, sha256: e.sha256, dim: e.dim ?? 0 };
    this.modelId = { ...this.baseModelId, id: map ? `${this.baseModelId.id}+${map.id}` : this.baseModelId.id };
  }

  static async create(ctx: ModelContext, id: string, options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const model = await OnnxModel.open(ctx, id, options.precision);
    const dynamicBatch = (model.entry.input.shape[0] ?? 1) < 0;
    const map = await loadMap(ctx, id, model.entry, options.map);
    return new OnnxEmbedder(id, model, dynamicBatch ? options.batchSize : 1, map);
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
      for (let b = 0; b < batch.length; b++) out.push(this.project(l2normalize(data.slice(b * dim, (b + 1) * dim))));
    }
    return out;
  }

  /** An embedding of the bare model (`baseModelId`) as this embedder gives it: with its map, if any (in place). */
  project(v: Float32Array): Float32Array {
    return this.map ? applyEmbeddingMap(this.map, v) : v;
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

async function loadMap(ctx: ModelContext, id: string, entry: ModelEntry, given: OnnxEmbedderOptions['map'] | undefined): Promise<EmbeddingMap | undefined> {
  const option = given ?? (SHIPPED_MAPS[id] ? 'lag-dev' : 'none');
  if (option === 'none') return undefined;
  let map: EmbeddingMap;
  if (option === 'lag-dev') {
    const shipped = SHIPPED_MAPS[id];
    if (!shipped) throw new MatcherError('INVALID_OPTIONS', `embedder '${id}' has no shipped map; pass map: 'none' or a map of your own`);
    // A checksummed data file, read like a model file (Node: models/; browser: the models URL).
    const bytes = await ctx.loadModel({ ...entry, file: shipped.file, sha256: shipped.sha256, bytes: shipped.bytes, shipped: true });
    map = parseMap(new TextDecoder().decode(bytes), shipped.file);
  } else map = parseMap(option, 'options.embedder.map');
  if (map.dim !== (entry.dim ?? map.dim)) throw new MatcherError('INVALID_OPTIONS', `map ${map.id} is for ${map.dim} dimensions, embedder '${id}' gives ${entry.dim}`);
  return map;
}

function parseMap(src: string | object, where: string): EmbeddingMap {
  try {
    return checkEmbeddingMap(typeof src === 'string' ? JSON.parse(src) : src);
  } catch (e) {
    throw new MatcherError('INVALID_OPTIONS', `${where}: ${(e as Error).message}`, { cause: e });
  }
}
