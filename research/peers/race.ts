/**
 * The peers on reunite-face's job: every face in a large photo, each through the library's
 * full pipeline (detect, align, describe), with its default settings and with the settings
 * its documentation gives for the smallest faces. Returns the face boxes, so a bench can
 * score recall per face size on the same photos it runs reunite-face on.
 *
 * - human: blazeface (256x256 input, the whole photo) -> facemesh -> faceres. Default: the
 *   library's face.detector (maxDetected 1, minConfidence 0.2). Smallest faces: maxDetected
 *   100, minConfidence 0.1, minSize 0. There is no tiling or input-size option.
 * - face-api: default SsdMobilenetv1 (minConfidence 0.5, 512x512 input). Smallest faces:
 *   TinyFaceDetector, whose inputSize is the option its docs tie to small faces, at 0.6x the
 *   photo's long side (rounded up to a multiple of 32, as it requires: a 40-px face becomes
 *   24 px, the scale reunite-face's tiled pyramid used), scoreThreshold 0.3; then the same
 *   landmarks and descriptor nets. Larger inputs found no more faces on a test scene.
 */
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { decodeToTensor, type ImageInput } from './image-tensor.js';
import { packageRoot, packageVersion, requirePackageFile } from './package-info.js';
import { humanConfig } from './human-peer.js';
import { readyTfjsWasm, tfjsBackendLabel } from './tfjs-wasm.js';

export type RaceSetting = 'default' | 'smallest-faces';
export interface RaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface RacePeer {
  name: string;
  setting: RaceSetting;
  settings: string;
  backend: string;
  versions: Record<string, string>;
  /** Full pipeline on every face found; their boxes in photo pixels. */
  facesIn(input: ImageInput): Promise<RaceBox[]>;
  dispose(): void;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const HUMAN_SMALLEST = { maxDetected: 100, minConfidence: 0.1, minSize: 0 };

/** One Human instance (a second one in the same process breaks its backend registry), both settings per call. */
async function humanRace(): Promise<RacePeer[]> {
  const tf = await readyTfjsWasm();
  const { Human } = requirePackageFile<{ Human: new (c: Json) => Json }>('@vladmandic/human', 'dist/human.node-wasm.js');
  const human = new Human(humanConfig());
  await human.load();
  const defaults = { ...human.config.face.detector };
  const backend = await tfjsBackendLabel();
  const peer = (setting: RaceSetting): RacePeer => ({
    name: 'human',
    setting,
    settings:
      setting === 'default'
        ? `face.detector defaults (maxDetected ${defaults.maxDetected}, minConfidence ${defaults.minConfidence})`
        : `face.detector maxDetected ${HUMAN_SMALLEST.maxDetected}, minConfidence ${HUMAN_SMALLEST.minConfidence}, minSize 0`,
    backend,
    versions: { '@vladmandic/human': packageVersion('@vladmandic/human') },
    async facesIn(input) {
      const tensor = await decodeToTensor(tf, input);
      try {
        const detector = setting === 'default' ? defaults : { ...defaults, ...HUMAN_SMALLEST };
        const r = await human.detect(tensor, { face: { detector } });
        if (r.error) throw new Error(`human: ${r.error}`);
        return (r.face as Json[]).map((f) => ({ x: f.box[0], y: f.box[1], width: f.box[2], height: f.box[3] }));
      } finally {
        tensor.dispose();
      }
    },
    dispose() {
      if (setting !== 'default') return;
      for (const m of Object.values(human.models.models) as Json[]) m?.dispose();
      human.models.reset();
    },
  });
  return [peer('default'), peer('smallest-faces')];
}

/** face-api keeps its nets in one module-level object: both detectors load into it, sharing landmarks and descriptor. */
async function faceApiRace(): Promise<RacePeer[]> {
  const tf = await readyTfjsWasm();
  const faceapi = requirePackageFile<Json>('@vladmandic/face-api', 'dist/face-api.node-wasm.js');
  const nets = [faceapi.nets.ssdMobilenetv1, faceapi.nets.tinyFaceDetector, faceapi.nets.faceLandmark68Net, faceapi.nets.faceRecognitionNet];
  if (nets.some((n: Json) => n.isLoaded)) throw new Error('face-api: another face-api peer is still alive; dispose it first');
  const modelDir = join(packageRoot('@vladmandic/face-api'), 'model');
  for (const net of nets) await net.loadFromDisk(modelDir);
  const backend = await tfjsBackendLabel();
  const peer = (setting: RaceSetting): RacePeer => ({
    name: 'face-api',
    setting,
    settings: setting === 'default' ? 'SsdMobilenetv1 minConfidence 0.5 (default)' : 'TinyFaceDetector inputSize 0.6x the long side (multiple of 32), scoreThreshold 0.3',
    backend,
    versions: { '@vladmandic/face-api': packageVersion('@vladmandic/face-api') },
    async facesIn(input) {
      const tensor = (await decodeToTensor(tf, input)) as tfTypes.Tensor3D;
      try {
        const [height, width] = tensor.shape;
        const options =
          setting === 'default'
            ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 })
            : new faceapi.TinyFaceDetectorOptions({ inputSize: 32 * Math.ceil((0.6 * Math.max(width, height)) / 32), scoreThreshold: 0.3 });
        const found = (await faceapi.detectAllFaces(tensor, options).withFaceLandmarks().withFaceDescriptors()) as Json[];
        return found.map((f) => {
          const b = f.detection.box;
          return { x: b.x, y: b.y, width: b.width, height: b.height };
        });
      } finally {
        tensor.dispose();
      }
    },
    dispose() {
      if (setting === 'default') for (const net of nets) net.dispose();
    },
  });
  return [peer('default'), peer('smallest-faces')];
}

/** Both settings of one peer library; dispose the 'default' one last to free the models. */
export function createRacePeers(name: 'human' | 'face-api'): Promise<RacePeer[]> {
  return name === 'human' ? humanRace() : faceApiRace();
}
