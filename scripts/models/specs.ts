// What each shipped model is and how its input is built. Input specs come from the project issue
// (measured against the faceplugin JS pre-processing), not from the graphs, which carry no such metadata.
import type { ModelInput } from '../../src/core/manifest.js';

export interface SourceModelSpec {
  id: 'ultraface' | 'landmarks68' | 'mobilefacenet';
  task: 'detector' | 'landmarks' | 'embedder';
  /** File inside node_modules/faceplugin-face-recognition-js/model/. */
  sourceFile: string;
  input: ModelInput;
  outputs: string[];
  dim?: number;
  /** Rewrite the graph so the batch dimension is symbolic (only where the graph allows it). */
  dynamicBatch: boolean;
  /**
   * Cut the graph before its constant-prior box decode (output `boxes` becomes the raw
   * regressions `loc`) and make height and width symbolic; `input.shape` stays the size the
   * model was trained at. See graph-edit.ts cutBeforeBoxDecode.
   */
  cutBoxDecode?: { boxes: string; loc: string };
  /** Which calibrated bound the int8 QDQ variant uses for activations. */
  rangeMethod: 'minmax' | 'percentile' | 'mse';
  /** Keep the last layer's output float in the QDQ variant (precision of the values users read). */
  floatOutputs: boolean;
  /** Photos used for calibration: LFW and lag-dev counts. */
  calibration: { lfw: number; lagDev: number };
}

export const SOURCE_PACKAGE = 'faceplugin-face-recognition-js';

export const SOURCE_MODELS: SourceModelSpec[] = [
  {
    id: 'ultraface',
    task: 'detector',
    sourceFile: 'fr_detect.onnx',
    input: { name: 'input', shape: [1, 3, 240, 320], layout: 'NCHW', color: 'RGB', mean: [127, 127, 127], std: [128, 128, 128] },
    outputs: ['scores', 'loc'],
    dynamicBatch: false,
    cutBoxDecode: { boxes: 'boxes', loc: 'loc' },
    rangeMethod: 'percentile',
    floatOutputs: true,
    calibration: { lfw: 100, lagDev: 40 },
  },
  {
    id: 'landmarks68',
    task: 'landmarks',
    sourceFile: 'fr_landmark.onnx',
    input: { name: 'input', shape: [1, 1, 64, 64], layout: 'NCHW', color: 'GRAY', mean: [0], std: [256] },
    outputs: ['output'],
    dynamicBatch: false,
    rangeMethod: 'percentile',
    floatOutputs: true,
    calibration: { lfw: 150, lagDev: 100 },
  },
  {
    id: 'mobilefacenet',
    task: 'embedder',
    sourceFile: 'fr_feature.onnx',
    input: { name: 'input', shape: [-1, 3, 112, 112], layout: 'NCHW', color: 'RGB', mean: [127, 127, 127], std: [128, 128, 128] },
    outputs: ['output'],
    dim: 512,
    dynamicBatch: true,
    rangeMethod: 'mse',
    floatOutputs: true,
    calibration: { lfw: 200, lagDev: 100 },
  },
];
