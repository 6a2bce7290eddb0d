import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { MatcherError } from '../core/errors.js';
import { parseManifest, type ModelEntry } from '../core/manifest.js';
import type { Calibration, Platform } from '../core/platform.js';
import { ortBackend, type OrtModule } from '../runtime/ort-backend.js';
import { hnswIndexFactory } from '../indexes/hnsw.js';
import { decodeNode, type NodeImageInput } from './node-decode.js';
import { readRegularFile } from './node-files.js';
import { nodeImageOps } from './node-image-ops.js';

/** The package's models/ folder: the nearest ancestor of this file holding models/manifest.json (src/ under tsx, dist/ when built). */
export function defaultModelsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'models', 'manifest.json'))) return join(dir, 'models');
    const up = dirname(dir);
    if (up === dir) throw new MatcherError('MODEL_NOT_FOUND', 'cannot find the package models/ folder; pass modelsDir');
    dir = up;
  }
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

export function nodePlatform(modelsDir = defaultModelsDir()): Platform<NodeImageInput> {
  const dir = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
  return {
    name: 'node',
    backend: { ...ortBackend('onnxruntime-node', ort as unknown as OrtModule), imageOps: nodeImageOps },
    async loadManifest() {
      try {
        return parseManifest(await readJson(`${dir}manifest.json`));
      } catch (e) {
        if (e instanceof MatcherError) throw e;
        throw new MatcherError('MODEL_NOT_FOUND', `cannot read ${dir}manifest.json: ${(e as Error).message}`, { cause: e });
      }
    },
    async readModel(entry: ModelEntry) {
      try {
        return new Uint8Array(await readFile(`${dir}${entry.file}`));
      } catch (e) {
        throw new MatcherError(
          'MODEL_NOT_FOUND',
          `model file ${dir}${entry.file} is missing${entry.shipped ? '' : ' (not shipped in the npm package: run `npm run models:build` in a source checkout)'}`,
          { cause: e },
        );
      }
    },
    async loadCalibrations() {
      try {
        return (await readJson(`${dir}calibration.json`)) as Record<string, Calibration[]>;
      } catch {
        return {};
      }
    },
    decode: decodeNode,
    readUserModel: (location) => readRegularFile(typeof location === 'string' ? location : fileURLToPath(location), 'model'),
    indexes: { hnsw: hnswIndexFactory },
  };
}
