/**
 * @vladmandic/human as a peer: its default face pipeline (blazeface detector,
 * facemesh for the aligned crop, faceres descriptor, one face per photo),
 * with the parts that do not serve recognition switched off (iris, emotion,
 * body, hand, gestures) and inter-frame result caching disabled, since every
 * call is an unrelated photo.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as tfTypes from '@tensorflow/tfjs';
import { decodeToTensor, type ImageInput } from './image-tensor.js';
import { packageRoot, packageVersion, requirePackageFile } from './package-info.js';
import type { Peer } from './peer.js';
import { cosine } from '../../bench/lib/similarity.js';
import { localWasmDir, readyTfjsWasm, tfjsBackendLabel } from './tfjs-wasm.js';

/** The slice of Human's API used here (its .d.ts is not reachable through its "exports"). */
interface HumanInstance {
  version: string;
  load(): Promise<void>;
  detect(input: tfTypes.Tensor): Promise<{ face: { embedding?: number[]; score: number }[]; error?: string | null }>;
  models: { models: Record<string, { dispose(): void } | null>; reset(): void };
}
type HumanModule = { Human: new (config: Record<string, unknown>) => HumanInstance };

export async function createHumanPeer(): Promise<Peer> {
  const tf = await readyTfjsWasm();
  const { Human } = requirePackageFile<HumanModule>('@vladmandic/human', 'dist/human.node-wasm.js');
  const human = new Human(humanConfig());
  await human.load();
  for (const m of ['blazeface', 'facemesh', 'faceres']) {
    if (!human.models.models[m]) throw new Error(`human: model ${m} did not load`);
  }
  return {
    name: 'human',
    backend: await tfjsBackendLabel(),
    metric: 'cosine similarity of faceres descriptors (1024-d)',
    versions: {
      '@vladmandic/human': packageVersion('@vladmandic/human'),
      '@tensorflow/tfjs': packageVersion('@tensorflow/tfjs'),
      '@tensorflow/tfjs-backend-wasm': packageVersion('@tensorflow/tfjs-backend-wasm'),
    },
    async embed(input: ImageInput) {
      const tensor = await decodeToTensor(tf, input);
      try {
        const result = await human.detect(tensor);
        if (result.error) throw new Error(`human: ${result.error}`);
        const embedding = result.face[0]?.embedding;
        return embedding && embedding.length > 0 ? Float32Array.from(embedding) : null;
      } finally {
        tensor.dispose();
      }
    },
    similarity: cosine,
    dispose() {
      for (const model of Object.values(human.models.models)) model?.dispose();
      human.models.reset();
    },
  };
}

/** The face pipeline benchmarked here, everything else off; `detector` overrides face.detector. */
export function humanConfig(detector: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    backend: 'wasm',
    wasmPath: localWasmDir(),
    modelBasePath: `${pathToFileURL(join(packageRoot('@vladmandic/human'), 'models')).href}/`,
    cacheModels: false,
    cacheSensitivity: 0,
    warmup: 'none',
    debug: false,
    face: {
      enabled: true,
      detector,
      iris: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      description: { enabled: true },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  };
}
