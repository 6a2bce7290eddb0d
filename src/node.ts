/**
 * Node entry: the core Matcher with sharp decoding, models read from the package's models/
 * folder and onnxruntime-node.
 */
import { BaseMatcher } from './matcher.js';
import type { MatcherOptions } from './options.js';
import { nodePlatform } from './platform/node-platform.js';
import type { NodeImageInput } from './platform/node-decode.js';

export * from './public.js';
export type { NodeImageInput } from './platform/node-decode.js';
export { decodeNode as decodeImage } from './platform/node-decode.js';
export { defaultModelsDir } from './platform/node-platform.js';

export interface NodeMatcherOptions extends MatcherOptions {
  /** Folder holding manifest.json and the .onnx files; default: the package's models/. */
  modelsDir?: string;
}

export class Matcher extends BaseMatcher<NodeImageInput> {
  /** Loads the bundled models (sha256-checked, no network) and returns a ready matcher. */
  static async create(options: NodeMatcherOptions = {}): Promise<Matcher> {
    const { modelsDir, ...rest } = options;
    const platform = nodePlatform(modelsDir);
    const { opts, parts } = await BaseMatcher.init(platform, rest);
    return new Matcher(platform, opts, parts);
  }
}
