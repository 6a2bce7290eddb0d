// Runs the original graph in TF.js (pure-JS CPU backend) so converted models can be checked against it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GraphModel } from '@tensorflow/tfjs-converter';
import type { GraphModelJson } from './graph-model.js';

export interface ReferenceModel {
  model: GraphModel;
  outputNames: string[];
  run(input: Float32Array, shape: number[]): Promise<Float32Array[]>;
  dispose(): void;
}

export async function loadReference(json: GraphModelJson, weightData: Uint8Array, outputNames: string[]): Promise<ReferenceModel> {
  await tf.setBackend('cpu');
  await tf.ready();
  const weightSpecs = (json.weightsManifest ?? []).flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData: buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    signature: json.signature ?? undefined,
  } as tf.io.ModelArtifacts);
  const model = new GraphModel(handler);
  await model.load();
  return {
    model,
    outputNames,
    async run(input, shape) {
      const x = tf.tensor(input, shape, 'float32');
      try {
        const outs = model.execute(x, outputNames) as tf.Tensor | tf.Tensor[];
        const list = Array.isArray(outs) ? outs : [outs];
        const data = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
        for (const t of list) t.dispose();
        return data;
      } finally {
        x.dispose();
      }
    },
    dispose() {
      model.dispose();
    },
  };
}
