/**
 * Node entry: the core Matcher with sharp decoding, models read from the package's models/
 * folder and onnxruntime-node.
 */
import { MatcherError } from './core/errors.js';
import { writeFileAtomic } from './gallery/file-node.js';
import { BaseMatcher, loadMatcher, openMatcher } from './matcher.js';
import type { MatcherOptions } from './options.js';
import { nodePlatform } from './platform/node-platform.js';
import { readRegularFile } from './platform/node-files.js';
import type { NodeImageInput } from './platform/node-decode.js';

export * from './public.js';
export type { NodeImageInput } from './platform/node-decode.js';
export { decodeNode as decodeImage } from './platform/node-decode.js';
export { defaultModelsDir } from './platform/node-platform.js';
// Fitting needs ml-matrix's eigendecomposition, kept out of the browser bundle (size budget).
export { fitEmbeddingMap, DEFAULT_MAP_RANKS, type MapPair, type FitMapOptions } from './core/fit-embedding-map.js';

export interface NodeMatcherOptions extends MatcherOptions {
  /** Folder holding manifest.json and the .onnx files; default: the package's models/. */
  modelsDir?: string;
}

export class Matcher extends BaseMatcher<NodeImageInput> {
  /** Loads the bundled models (sha256-checked, no network) and returns a ready matcher. */
  static async create(options: NodeMatcherOptions = {}): Promise<Matcher> {
    const { modelsDir, ...rest } = options;
    return openMatcher(new Matcher(), nodePlatform(modelsDir), rest);
  }

  /** A matcher holding the gallery saved by `save()` (refused if made with another embedder). */
  static async load(bytes: Uint8Array, options: NodeMatcherOptions & { passphrase?: string } = {}): Promise<Matcher> {
    return loadMatcher(Matcher.create, bytes, options);
  }

  /** `load` of a file; the file's bytes are read into memory once and the vectors stay views into them. */
  static async loadFromFile(path: string, options: NodeMatcherOptions & { passphrase?: string } = {}): Promise<Matcher> {
    // Owned: nothing else holds these bytes, so decoding need not copy the vectors out.
    return loadMatcher(Matcher.create, await readRegularFile(path, 'gallery'), options, true);
  }

  /** Writes the gallery atomically (temp file, fsync, rename): a crash mid-save leaves the old file intact. */
  async saveToFile(path: string, options: { passphrase?: string } = {}): Promise<void> {
    const bytes = await this.save(options);
    try {
      await writeFileAtomic(path, bytes);
    } catch (e) {
      throw new MatcherError('FILE_WRITE_FAILED', `cannot write gallery ${path}: ${(e as Error).message}; the previous file, if any, is unchanged`, { cause: e });
    }
  }
}
