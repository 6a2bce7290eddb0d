/**
 * @vladmandic/face-api as a peer: SSD MobileNet v1 detector, 68-point
 * landmarks for alignment, and its ResNet-34-like 128-d recognition net,
 * through the library's own detectSingleFace chain.
 *
 * face-api keeps its networks in module-level objects (faceapi.nets), so only
 * one face-api peer may be alive at a time; creating a second one throws.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { join } from 'node:path';
import { decodeToTensor, type ImageInput } from './image-tensor.js';
import { packageRoot, packageVersion, requirePackageFile } from './package-info.js';
import type { Peer } from './peer.js';
import { negativeEuclidean } from '../../bench/lib/similarity.js';
import { readyTfjsWasm, tfjsBackendLabel } from './tfjs-wasm.js';

interface Net {
  isLoaded: boolean;
  loadFromDisk(dir: string): Promise<void>;
  dispose(): void;
}
interface FaceApiModule {
  version: string;
  nets: { ssdMobilenetv1: Net; faceLandmark68Net: Net; faceRecognitionNet: Net };
  SsdMobilenetv1Options: new (o?: { minConfidence?: number; maxResults?: number }) => unknown;
  detectSingleFace(
    input: tfTypes.Tensor3D,
    options: unknown,
  ): {
    withFaceLandmarks(): { withFaceDescriptor(): Promise<{ descriptor: Float32Array } | undefined> };
  };
}

export async function createFaceApiPeer(): Promise<Peer> {
  const tf = await readyTfjsWasm();
  const faceapi = requirePackageFile<FaceApiModule>('@vladmandic/face-api', 'dist/face-api.node-wasm.js');
  const nets = [faceapi.nets.ssdMobilenetv1, faceapi.nets.faceLandmark68Net, faceapi.nets.faceRecognitionNet];
  if (nets.some((n) => n.isLoaded)) throw new Error('face-api: another face-api peer is still alive; dispose it first');
  const modelDir = join(packageRoot('@vladmandic/face-api'), 'model');
  for (const net of nets) await net.loadFromDisk(modelDir);
  // The library's defaults (minConfidence 0.5), stated so they cannot drift.
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 });
  return {
    name: 'face-api',
    backend: await tfjsBackendLabel(),
    metric: 'negative Euclidean distance of 128-d descriptors (the library matches on Euclidean distance)',
    versions: {
      '@vladmandic/face-api': packageVersion('@vladmandic/face-api'),
      '@tensorflow/tfjs': packageVersion('@tensorflow/tfjs'),
      '@tensorflow/tfjs-backend-wasm': packageVersion('@tensorflow/tfjs-backend-wasm'),
    },
    async embed(input: ImageInput) {
      const tensor = await decodeToTensor(tf, input);
      try {
        const result = await faceapi.detectSingleFace(tensor, options).withFaceLandmarks().withFaceDescriptor();
        return result ? Float32Array.from(result.descriptor) : null;
      } finally {
        tensor.dispose();
      }
    },
    similarity: negativeEuclidean,
    dispose() {
      for (const net of nets) net.dispose();
    },
  };
}
